/**
 * A stand-in for Google's Cloud Billing Catalog API on 127.0.0.1: `GET /v1/services/{serviceId}/skus` with
 * `pageSize` and `pageToken` in, `{skus, nextPageToken}` out (an empty token on the last page), SKUs with `name`,
 * `skuId`, `description`, `category`, `serviceRegions` and `pricingInfo[].pricingExpression.tieredRates[].unitPrice`
 * (`{currencyCode, units, nanos}`), and errors in Google's `{"error": {"code", "message", "status"}}` form. A bearer
 * token is required. Give googleapis `rootUrl: server.url + '/'` (DLRUN_CLOUDBILLING_URL to dlrun).
 */
import http from 'node:http';
import type { TestContext } from 'vitest';
import { defer } from '../support/cleanup.js';
import { listenOnLoopback } from './stand-in-requests.js';

/** One SKU the stand-in lists: its description, regions, and price per unit in USD. */
export interface SkuOffer {
  readonly description: string;
  readonly regions: readonly string[];
  readonly usd: number;
  /** `h` for a core or a GPU, `GiBy.h` for memory. */
  readonly usageUnit: string;
  readonly usageType?: string;
}

export interface CloudBillingServerOptions {
  /** The service whose SKUs are listed ("C7E2-9256-1C43"); others are NOT_FOUND. */
  readonly serviceId: string;
  readonly skus: readonly SkuOffer[];
  readonly requireToken: string;
  /** SKUs per page at most, whatever pageSize asks (Google's cap is 5,000). */
  readonly pageSize?: number;
}

export interface CloudBillingServer {
  readonly url: string;
  readonly requests: { readonly path: string; readonly query: Record<string, string>; readonly auth?: string }[];
  /** The next `times` requests get this error. */
  fail(code: number, status: string, message: string, times?: number): void;
  close(): Promise<void>;
}

function skuOf(offer: SkuOffer, serviceId: string, index: number): Record<string, unknown> {
  const skuId = `5TAN-D${String(index).padStart(3, '0')}-0000`;
  const units = Math.floor(offer.usd);
  const nanos = Math.round((offer.usd - units) * 1e9);
  return {
    name: `services/${serviceId}/skus/${skuId}`,
    skuId,
    description: offer.description,
    category: {
      serviceDisplayName: 'Vertex AI',
      resourceFamily: 'Compute',
      resourceGroup: 'CPU',
      usageType: offer.usageType ?? 'OnDemand',
    },
    serviceRegions: offer.regions,
    pricingInfo: [
      {
        summary: '',
        pricingExpression: {
          usageUnit: offer.usageUnit,
          displayQuantity: 1,
          tieredRates: [{ startUsageAmount: 0, unitPrice: { currencyCode: 'USD', units: String(units), nanos } }],
          usageUnitDescription: offer.usageUnit === 'h' ? 'hour' : 'gibibyte hour',
          baseUnit: offer.usageUnit === 'h' ? 's' : 'By.s',
          baseUnitDescription: offer.usageUnit === 'h' ? 'second' : 'byte second',
          baseUnitConversionFactor: offer.usageUnit === 'h' ? 3600 : 3865470566400,
        },
        currencyConversionRate: 1,
        effectiveTime: '2026-12-01T00:00:00Z',
      },
    ],
    serviceProviderName: 'Google',
  };
}

export async function startCloudBillingServer(options: CloudBillingServerOptions): Promise<CloudBillingServer> {
  const skus = options.skus.map((offer, index) => skuOf(offer, options.serviceId, index));
  const requests: CloudBillingServer['requests'][number][] = [];
  const failures: { code: number; status: string; message: string; times: number }[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand');
    const query = Object.fromEntries(url.searchParams);
    requests.push({
      path: url.pathname,
      query,
      ...(request.headers.authorization ? { auth: request.headers.authorization } : {}),
    });
    const answer = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify(body));
    };
    const error = (code: number, status: string, message: string): void =>
      answer(code, { error: { code, message, status } });
    if (request.headers.authorization !== `Bearer ${options.requireToken}`) {
      error(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other ' +
          'valid authentication credential.',
      );
      return;
    }
    const failure = failures.find((candidate) => candidate.times > 0);
    if (failure) {
      failure.times -= 1;
      error(failure.code, failure.status, failure.message);
      return;
    }
    const match = /^\/v1\/services\/([^/]+)\/skus$/.exec(url.pathname);
    if (request.method !== 'GET' || !match) {
      error(404, 'NOT_FOUND', 'The requested URL was not found on this server.');
      return;
    }
    if (match[1] !== options.serviceId) {
      error(404, 'NOT_FOUND', `Service not found: services/${match[1]}`);
      return;
    }
    const start = query.pageToken ? Number(query.pageToken.replace(/^stand-/, '')) : 0;
    if (!Number.isInteger(start) || start < 0 || start > skus.length) {
      error(400, 'INVALID_ARGUMENT', 'Invalid page token.');
      return;
    }
    const size = Math.min(Number(query.pageSize ?? 5000) || 5000, options.pageSize ?? 5000);
    const end = start + size;
    answer(200, { skus: skus.slice(start, end), nextPageToken: end < skus.length ? `stand-${end}` : '' });
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    requests,
    fail(code, status, message, times = 1) {
      failures.push({ code, status, message, times });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function cloudBillingServerFor(
  t: TestContext,
  options: CloudBillingServerOptions,
): Promise<CloudBillingServer> {
  const server = await startCloudBillingServer(options);
  defer(t, () => server.close());
  return server;
}

/**
 * A stand-in for AWS's Price List Query API (`GetProducts`) on 127.0.0.1, which moto does not serve: the AWS JSON 1.1
 * protocol (`POST /`, `X-Amz-Target: AWSPriceListService.GetProducts`, `Content-Type: application/x-amz-json-1.1`,
 * errors as `{"__type", "message"}` with a 400), the filter types TERM_MATCH and ANY_OF (a comma-separated value,
 * API_pricing_Filter), NextToken pages, and `PriceList` as an array of JSON strings in the aws_v1 format, as
 * providers.md 1.8 describes it. Requests must be signed (an `Authorization: AWS4-HMAC-SHA256 ...` header); the
 * signature itself is not checked. Give the SDK `endpoint: server.url` (or AWS_ENDPOINT_URL_PRICING to dlrun).
 */
import http from 'node:http';
import type { TestContext } from 'vitest';
import { defer } from '../support/cleanup.js';
import { listenOnLoopback } from './stand-in-requests.js';

/** One on-demand Linux price the stand-in sells: an instance type, or (with `volumeApiName`) a volume type. */
export interface PricingOffer {
  readonly regionCode: string;
  readonly instanceType?: string;
  readonly volumeApiName?: string;
  readonly usd: number;
  /** Attributes that make the product one the Linux on-demand filters must leave out (Windows, Dedicated...). */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface PricingServerOptions {
  readonly offers: readonly PricingOffer[];
  /** Products per page at most (the API's own MaxResults cap is 100). */
  readonly pageSize?: number;
}

interface RecordedGetProducts {
  readonly target: string | undefined;
  readonly contentType: string | undefined;
  readonly signed: boolean;
  readonly body: Record<string, unknown>;
}

export interface PricingServer {
  readonly url: string;
  readonly requests: readonly RecordedGetProducts[];
  /** The next `times` requests get this error (`__type`, HTTP status). */
  fail(type: string, status: number, message: string, times?: number): void;
  close(): Promise<void>;
}

const PUBLISHED = '2026-12-01T00:00:00Z';

/** A product as GetProducts answers it in aws_v1: product attributes, terms.OnDemand.*.priceDimensions.*. */
function productOf(offer: PricingOffer, index: number): { attributes: Record<string, string>; json: string } {
  const sku = `STANDSKU${String(index).padStart(8, '0')}`;
  const attributes: Record<string, string> = offer.volumeApiName
    ? { servicecode: 'AmazonEC2', regionCode: offer.regionCode, volumeApiName: offer.volumeApiName }
    : {
        servicecode: 'AmazonEC2',
        regionCode: offer.regionCode,
        instanceType: offer.instanceType ?? 'unknown',
        operatingSystem: 'Linux',
        tenancy: 'Shared',
        preInstalledSw: 'NA',
        capacitystatus: 'Used',
        licenseModel: 'No License required',
      };
  Object.assign(attributes, offer.attributes);
  const productFamily = offer.volumeApiName ? 'Storage' : 'Compute Instance';
  const unit = offer.volumeApiName ? 'GB-Mo' : 'Hrs';
  const product = {
    product: { productFamily, attributes, sku },
    serviceCode: 'AmazonEC2',
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          priceDimensions: {
            [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: {
              unit,
              endRange: 'Inf',
              description: `$${offer.usd} per ${unit}`,
              appliesTo: [],
              rateCode: `${sku}.JRTCKXETXF.6YS6EN2CT7`,
              beginRange: '0',
              pricePerUnit: { USD: offer.usd.toFixed(10) },
            },
          },
          sku,
          effectiveDate: PUBLISHED,
          offerTermCode: 'JRTCKXETXF',
          termAttributes: {},
        },
      },
    },
    version: '20261201000000',
    publicationDate: PUBLISHED,
  };
  return { attributes: { ...attributes, productFamily, ServiceCode: 'AmazonEC2' }, json: JSON.stringify(product) };
}

function matches(attributes: Record<string, string>, filter: Record<string, unknown>): boolean {
  const value = attributes[String(filter.Field)];
  const wanted = String(filter.Value ?? '');
  if (value === undefined) return false;
  if (filter.Type === 'TERM_MATCH' || filter.Type === 'EQUALS') return value.toLowerCase() === wanted.toLowerCase();
  if (filter.Type === 'ANY_OF')
    return wanted.split(',').some((one) => one.trim().toLowerCase() === value.toLowerCase());
  return false;
}

export async function startPricingServer(options: PricingServerOptions): Promise<PricingServer> {
  const products = options.offers.map(productOf);
  const requests: RecordedGetProducts[] = [];
  const failures: { type: string; status: number; message: string; times: number }[] = [];
  const tokens = new Map<string, number>();
  let nextToken = 1;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'stand' });
        response.end(JSON.stringify(body));
      };
      const error = (status: number, type: string, message: string): void => answer(status, { __type: type, message });
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        error(400, 'SerializationException', 'Start of structure or map found where not expected.');
        return;
      }
      const target = request.headers['x-amz-target'] as string | undefined;
      const signed = /^AWS4-HMAC-SHA256 /.test(request.headers.authorization ?? '');
      requests.push({ target, contentType: request.headers['content-type'], signed, body });
      if (request.method !== 'POST' || request.url !== '/') {
        error(404, 'UnknownOperationException', 'Unknown operation');
        return;
      }
      if (!signed) {
        error(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
        return;
      }
      const failure = failures.find((candidate) => candidate.times > 0);
      if (failure) {
        failure.times -= 1;
        error(failure.status, failure.type, failure.message);
        return;
      }
      if (target !== 'AWSPriceListService.GetProducts') {
        error(400, 'UnknownOperationException', `Unknown operation ${target}`);
        return;
      }
      if (body.ServiceCode !== 'AmazonEC2') {
        error(400, 'InvalidParameterException', `Input parameters are invalid. Invalid service code.`);
        return;
      }
      if (body.FormatVersion !== undefined && body.FormatVersion !== 'aws_v1') {
        error(400, 'InvalidParameterException', 'Input parameters are invalid. Invalid format version.');
        return;
      }
      const filters = Array.isArray(body.Filters) ? (body.Filters as Record<string, unknown>[]) : [];
      for (const filter of filters) {
        if (String(filter.Value ?? '').length > 1024) {
          error(400, 'ValidationException', "Value at 'filters.member.value' failed to satisfy constraint");
          return;
        }
      }
      const matching = products.filter(({ attributes }) => filters.every((filter) => matches(attributes, filter)));
      let start = 0;
      if (typeof body.NextToken === 'string') {
        const at = tokens.get(body.NextToken);
        if (at === undefined) {
          error(400, 'InvalidNextTokenException', 'The pagination token is invalid. Try again without a token.');
          return;
        }
        start = at;
      }
      const size = Math.min(Number(body.MaxResults ?? 100) || 100, options.pageSize ?? 100);
      const page = matching.slice(start, start + size);
      const rest = start + size < matching.length;
      const token = rest ? `stand-token-${nextToken++}` : undefined;
      if (token) tokens.set(token, start + size);
      answer(200, {
        FormatVersion: 'aws_v1',
        PriceList: page.map((product) => product.json),
        ...(token ? { NextToken: token } : {}),
      });
    });
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    requests,
    fail(type, status, message, times = 1) {
      failures.push({ type, status, message, times });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function pricingServerFor(t: TestContext, options: PricingServerOptions): Promise<PricingServer> {
  const server = await startPricingServer(options);
  defer(t, () => server.close());
  return server;
}

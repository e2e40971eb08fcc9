import type { Filter, PricingClient } from '@aws-sdk/client-pricing';
import { DlrunError } from '../../src/base/errors.js';
import type { BackendContext } from '../../src/backend/training-backend.js';
import { EC2_INSTANCE_TYPES } from '../../src/cost/catalogs/index.js';
import { PRICE_SOURCES } from '../../src/cost/catalogs/ec2-price-row.js';
import type { FetchedPrices, PriceRefresher } from '../../src/cost/price-refresh.js';
import type { JsonValue } from '../../src/cost/price-snapshot.js';
import { clientSettings } from './ec2-clients.js';
import { withDeadlines } from './ec2-deadlines.js';
import { awsError } from './ec2-errors.js';
import { ec2PriceBook } from './ec2-price-book.js';
import { pricingSdk } from './ec2-sdk.js';

/**
 * EC2 prices from AWS's Price List Query API (`GetProducts`, providers.md 1.8): the on-demand Linux price of every
 * instance type in dlrun's catalog, in every region dlrun prices, and the gp3 volume price there. The API is served
 * from a few regions only, so the client always asks us-east-1's endpoint, or the one the SDK's configured-endpoint
 * settings give the Pricing service (AWS_ENDPOINT_URL_PRICING, then AWS_ENDPOINT_URL...; a stand-in in tests), with
 * the same credentials, as for the other services.
 */

const PRICING_REGION = 'us-east-1';
const DEFAULT_ENDPOINT = 'https://api.pricing.us-east-1.amazonaws.com';
/** GetProducts' largest page. */
const PAGE_SIZE = 100;
/** A Filter's Value holds at most 1,024 characters (API_pricing_Filter). */
const MAX_FILTER_VALUE = 1024;

/** The filters that pin one on-demand Linux price per instance type (providers.md 1.8). */
const LINUX_ON_DEMAND: readonly [string, string][] = [
  ['operatingSystem', 'Linux'],
  ['tenancy', 'Shared'],
  ['preInstalledSw', 'NA'],
  ['capacitystatus', 'Used'],
  ['licenseModel', 'No License required'],
];

export const ec2PriceRefresher: PriceRefresher = {
  async refresh(context, progress) {
    const endpoint = pricingEndpoint(context);
    const client = pricingClient(context, endpoint);
    const regions = ec2PriceBook().pricedRegions();
    const rows: JsonValue[] = [];
    const asOf = new Date().toISOString().slice(0, 10);
    const source = [endpoint, PRICE_SOURCES.priceListQueryApi];
    for (const region of regions) {
      progress(`${region}: instance types`);
      const found = new Map<string, number>();
      // ANY_OF takes the types as one comma-separated value of at most 1,024 characters (API_pricing_Filter), so
      // the catalog's ~200 types go in a few requests per region rather than one per type.
      for (const names of chunks(EC2_INSTANCE_TYPES.map((type) => type.name))) {
        const filters = [
          term('regionCode', region),
          ...LINUX_ON_DEMAND.map(([field, value]) => term(field, value)),
          { Type: 'ANY_OF' as const, Field: 'instanceType', Value: names.join(',') },
        ];
        for (const product of await products(client, filters, `reading ${region} instance prices`)) {
          const type = attribute(product, 'instanceType');
          const price = onDemandUsd(product, 'Hrs');
          if (type && price !== undefined && !found.has(type)) found.set(type, price);
        }
      }
      for (const [instance_type, usd_per_hour] of found) {
        rows.push({ kind: 'instance', region, instance_type, usd_per_hour, source, as_of: asOf });
      }
      progress(`${region}: gp3 volumes`);
      const volumes = await products(
        client,
        [term('regionCode', region), term('productFamily', 'Storage'), term('volumeApiName', 'gp3')],
        `reading ${region} gp3 volume prices`,
      );
      const gp3 = volumes.map((product) => onDemandUsd(product, 'GB-Mo')).find((price) => price !== undefined);
      if (gp3 !== undefined) {
        rows.push({ kind: 'volume', region, volume_type: 'gp3', usd_per_gb_month: gp3, source, as_of: asOf });
      }
    }
    const fetched: FetchedPrices = {
      source: 'AWS Price List Query API (GetProducts, AmazonEC2, on-demand Linux, shared tenancy)',
      endpoint,
      rows,
      notes: [
        'metal sizes, which the Price List files under Dedicated tenancy, and types AWS sells no on-demand ' +
          "Linux price for keep the repository's price",
      ],
    };
    return fetched;
  },
};

function pricingEndpoint(context: BackendContext): string {
  return clientSettings('Pricing', PRICING_REGION, context).endpoint?.replace(/\/+$/, '') ?? DEFAULT_ENDPOINT;
}

/** The user's credentials and network deadlines as every AWS client of dlrun has them, at the Price List's endpoint. */
function pricingClient(context: BackendContext, endpoint: string): PricingClient {
  const {
    endpoint: _configured,
    ignoreConfiguredEndpointUrls: _ignore,
    ...settings
  } = clientSettings('Pricing', PRICING_REGION, context);
  const sdk = pricingSdk();
  return withDeadlines(
    new sdk.PricingClient({ ...settings, region: PRICING_REGION, endpoint, ignoreConfiguredEndpointUrls: true }),
    context.env,
  );
}

/** Every product of every page (NextToken) for the filters, each PriceList entry parsed from its JSON string. */
async function products(client: PricingClient, filters: Filter[], doing: string): Promise<Record<string, unknown>[]> {
  const { GetProductsCommand } = pricingSdk();
  const found: Record<string, unknown>[] = [];
  let token: string | undefined;
  do {
    let answer: { readonly PriceList?: unknown; readonly NextToken?: string | undefined };
    try {
      answer = await client.send(
        new GetProductsCommand({
          ServiceCode: 'AmazonEC2',
          FormatVersion: 'aws_v1',
          Filters: filters,
          MaxResults: PAGE_SIZE,
          ...(token ? { NextToken: token } : {}),
        }),
      );
    } catch (error) {
      throw pricingError(error, doing);
    }
    const list = Array.isArray(answer.PriceList) ? answer.PriceList : [];
    for (const entry of list) {
      try {
        const parsed: unknown = JSON.parse(String(entry));
        if (typeof parsed === 'object' && parsed !== null) found.push(parsed as Record<string, unknown>);
      } catch {
        // An entry that is not JSON prices nothing; the rest of the page still counts.
      }
    }
    token = answer.NextToken || undefined;
  } while (token);
  return found;
}

/** A product attribute (`product.attributes.<name>`), when it is text. */
function attribute(product: Record<string, unknown>, name: string): string | undefined {
  const attributes = (product.product as { attributes?: Record<string, unknown> } | undefined)?.attributes;
  const value = attributes?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The one on-demand USD price per `unit` (`terms.OnDemand.*.priceDimensions.*.pricePerUnit.USD`), if positive. */
function onDemandUsd(product: Record<string, unknown>, unit: string): number | undefined {
  const offers = (product.terms as { OnDemand?: Record<string, unknown> } | undefined)?.OnDemand ?? {};
  for (const offer of Object.values(offers)) {
    const dimensions = (offer as { priceDimensions?: Record<string, unknown> }).priceDimensions ?? {};
    for (const dimension of Object.values(dimensions)) {
      const shape = dimension as { unit?: unknown; pricePerUnit?: { USD?: unknown } };
      const usd = Number(shape.pricePerUnit?.USD);
      if (shape.unit === unit && Number.isFinite(usd) && usd > 0) return usd;
    }
  }
  return undefined;
}

function term(field: string, value: string): Filter {
  return { Type: 'TERM_MATCH', Field: field, Value: value };
}

/** Names grouped so each group joined by commas fits one filter value. */
function chunks(names: readonly string[]): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const name of names) {
    if (current.length && length + 1 + name.length > MAX_FILTER_VALUE) {
      groups.push(current);
      current = [];
      length = 0;
    }
    length += (current.length ? 1 : 0) + name.length;
    current.push(name);
  }
  if (current.length) groups.push(current);
  return groups;
}

function pricingError(error: unknown, doing: string): unknown {
  const name = (error as { name?: unknown }).name;
  if (name === 'CredentialsProviderError') {
    return new DlrunError(`${doing}: no AWS credentials (the Price List API needs any valid AWS identity)`, {
      hint: 'set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws configure`',
    });
  }
  return awsError(error, `${doing} from the AWS Price List API`);
}

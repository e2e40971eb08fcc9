import { VERTEX_ACCELERATORS, VERTEX_MACHINE_TYPES, VERTEX_PRICE_SOURCES } from '../../src/cost/catalogs/index.js';
import type { PriceRefresher } from '../../src/cost/price-refresh.js';
import type { JsonValue } from '../../src/cost/price-snapshot.js';
import { vertexClients } from './vertex-clients.js';
import { google } from './vertex-errors.js';

/**
 * Vertex AI custom-training prices from Google's Cloud Billing Catalog API (`GET /v1/services/{id}/skus`, every
 * page), mapped onto dlrun's Vertex catalog as well as the SKU descriptions allow:
 *
 * - a machine type's node price is its vCPUs x the family's "Vertex AI: Training/Pipelines on <FAMILY> ... Instance
 *   Core running in <place>" SKU plus its GiB x the family's "... Instance Ram ..." SKU, plus the family's
 *   "Training/Pipelines Management fee on <FAMILY> Instance Core/RAM" SKUs when Google lists them;
 * - an accelerator's price is the "Vertex AI: Training/Pipelines on <GPU name> ..." SKU whose name, written as
 *   Vertex's enum (NVIDIA_TESLA_T4), is one of the catalog's accelerators.
 *
 * Regions come from each SKU's `serviceRegions`. Spot, preemptible and commitment SKUs, and any SKU that maps to
 * nothing, are ignored; a machine without a fetched price keeps the repository's. The description patterns were read
 * from public scripts that price Vertex training from this API, not from a Google document, so each row is marked
 * unconfirmed.
 */

/** Vertex AI's service in the Cloud Billing Catalog. */
export const VERTEX_BILLING_SERVICE = 'services/C7E2-9256-1C43';
/** The catalog answers up to 5,000 SKUs a page. */
const PAGE_SIZE = 5000;
/** More pages than Vertex has SKUs for: a stand-in (or a bug) that hands out tokens forever is stopped. */
const MAX_PAGES = 100;

const PREFIX = 'Vertex AI: Training/Pipelines ';
const CORE =
  /^Vertex AI: Training\/Pipelines on ([A-Za-z0-9]+)(?: Predefined| Custom)? Instance Core (?:running )?in /i;
const RAM = /^Vertex AI: Training\/Pipelines on ([A-Za-z0-9]+)(?: Predefined| Custom)? Instance Ram (?:running )?in /i;
const FEE_CORE = /^Vertex AI: Training\/Pipelines Management fee on ([A-Za-z0-9]+) Instance Core (?:running )?in /i;
const FEE_RAM = /^Vertex AI: Training\/Pipelines Management fee on ([A-Za-z0-9]+) Instance Ram (?:running )?in /i;
const ACCELERATOR = /^Vertex AI: Training\/Pipelines on (.+?) (?:running )?in /i;
const NOT_ON_DEMAND = /spot|preemptible|commit/i;

interface Sku {
  readonly description?: string | null;
  readonly category?: { readonly usageType?: string | null } | null;
  readonly serviceRegions?: readonly string[] | null;
  readonly pricingInfo?:
    | readonly {
        readonly pricingExpression?: {
          readonly usageUnit?: string | null;
          readonly tieredRates?:
            | readonly {
                readonly startUsageAmount?: number | null;
                readonly unitPrice?: {
                  readonly currencyCode?: string | null;
                  readonly units?: string | null;
                  readonly nanos?: number | null;
                } | null;
              }[]
            | null;
        } | null;
      }[]
    | null;
}

type Part = 'core' | 'ram' | 'fee-core' | 'fee-ram';

export const vertexPriceRefresher: PriceRefresher = {
  async refresh(context, progress) {
    const clients = vertexClients(undefined, context);
    const endpoint = `${clients.cloudbillingUrl}v1/${VERTEX_BILLING_SERVICE}/skus`;
    const skus: Sku[] = [];
    let pageToken: string | undefined;
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      progress(`Cloud Billing Catalog: Vertex AI SKUs, page ${page}`);
      const answer = await google(
        'reading Vertex AI prices from the Cloud Billing Catalog API',
        () =>
          clients.cloudbilling.services.skus.list({
            parent: VERTEX_BILLING_SERVICE,
            pageSize: PAGE_SIZE,
            currencyCode: 'USD',
            ...(pageToken ? { pageToken } : {}),
          }),
        clients.deadline,
      );
      skus.push(...((answer.data.skus ?? []) as Sku[]));
      pageToken = answer.data.nextPageToken || undefined;
      if (!pageToken) break;
    }
    return mapSkus(skus, endpoint);
  },
};

/** The catalog's rows the SKUs price, with notes on what they did not. */
export function mapSkus(
  skus: readonly Sku[],
  endpoint: string,
): { source: string; endpoint: string; rows: JsonValue[]; notes: string[] } {
  const parts = new Map<string, number>(); // `${region} ${family} ${part}`
  const accelerators = new Map<string, { usd: number; description: string }>(); // `${region} ${name}`
  const names = new Map(VERTEX_ACCELERATORS.map((accelerator) => [accelerator.name, accelerator.name]));
  for (const sku of skus) {
    const description = sku.description ?? '';
    if (!description.startsWith(PREFIX) || NOT_ON_DEMAND.test(description)) continue;
    if (sku.category?.usageType && sku.category.usageType !== 'OnDemand') continue;
    const hourly = hourlyUsd(sku);
    if (hourly === undefined) continue;
    const regions = (sku.serviceRegions ?? []).filter((region) => /^[a-z]+-[a-z]+\d{1,2}$/.test(region));
    const machinePart = machinePartOf(description);
    if (machinePart) {
      if (hourly.unit !== (machinePart.part.endsWith('ram') ? 'GiBy.h' : 'h')) continue;
      for (const region of regions) parts.set(`${region} ${machinePart.family} ${machinePart.part}`, hourly.usd);
      continue;
    }
    const gpu = ACCELERATOR.exec(description)?.[1];
    const name = gpu && names.get(enumName(gpu));
    if (name && hourly.unit === 'h') {
      for (const region of regions) accelerators.set(`${region} ${name}`, { usd: hourly.usd, description });
    }
  }
  const asOf = new Date().toISOString().slice(0, 10);
  const source = [endpoint, VERTEX_PRICE_SOURCES.billingCatalogApi];
  const rows: JsonValue[] = [];
  const regions = new Set([...parts.keys(), ...accelerators.keys()].map((entry) => entry.split(' ')[0]!));
  for (const region of [...regions].sort()) {
    for (const machine of VERTEX_MACHINE_TYPES) {
      const family = machine.family.toLowerCase();
      const core = parts.get(`${region} ${family} core`);
      const ram = parts.get(`${region} ${family} ram`);
      if (core === undefined || ram === undefined) continue;
      const feeCore = parts.get(`${region} ${family} fee-core`) ?? 0;
      const feeRam = parts.get(`${region} ${family} fee-ram`) ?? 0;
      const usd = machine.vcpus * (core + feeCore) + machine.memory_gib * (ram + feeRam);
      rows.push({
        region,
        kind: 'machine',
        item: machine.name,
        usd_per_hour: Math.round(usd * 1e8) / 1e8,
        source,
        as_of: asOf,
        note:
          `${machine.vcpus} vCPUs x $${core}/h + ${machine.memory_gib} GiB x $${ram}/GiB-h ` +
          `(the ${family.toUpperCase()} Training/Pipelines core and RAM SKUs)` +
          (feeCore || feeRam ? `, plus the management fee SKUs ($${feeCore}/vCPU-h, $${feeRam}/GiB-h)` : ''),
      });
    }
    for (const [entry, { usd, description }] of accelerators) {
      const [where, item] = entry.split(' ');
      if (where !== region) continue;
      rows.push({
        region,
        kind: 'accelerator',
        item: item!,
        usd_per_hour: usd,
        source,
        as_of: asOf,
        note: description,
      });
    }
  }
  const notes = [
    "machine types and accelerators without a matching SKU keep the repository's price; spot, preemptible and " +
      'commitment SKUs are not read',
  ];
  if (rows.length === 0) notes.push(`none of the ${skus.length} SKUs read matched a custom-training machine or GPU`);
  return { source: 'Google Cloud Billing Catalog API (Vertex AI SKUs)', endpoint, rows, notes };
}

function machinePartOf(description: string): { family: string; part: Part } | undefined {
  for (const [pattern, part] of [
    [CORE, 'core'],
    [RAM, 'ram'],
    [FEE_CORE, 'fee-core'],
    [FEE_RAM, 'fee-ram'],
  ] as const) {
    const family = pattern.exec(description)?.[1];
    if (family) return { family: family.toLowerCase(), part };
  }
  return undefined;
}

/** "Nvidia Tesla T4 GPU" -> "NVIDIA_TESLA_T4", "NVIDIA H100 80GB" -> "NVIDIA_H100_80GB". */
function enumName(text: string): string {
  return text
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .replace(/_GPU$/, '');
}

/** The first tier's USD price per unit (`units` + `nanos`), with the unit, when it is a positive USD figure. */
function hourlyUsd(sku: Sku): { usd: number; unit: string } | undefined {
  const expression = sku.pricingInfo?.at(-1)?.pricingExpression;
  const rates = expression?.tieredRates ?? [];
  const tier = rates.find((rate) => (rate.startUsageAmount ?? 0) === 0) ?? rates[0];
  const price = tier?.unitPrice;
  if (!price || (price.currencyCode && price.currencyCode !== 'USD') || !expression?.usageUnit) return undefined;
  const usd = Number(price.units ?? 0) + (price.nanos ?? 0) / 1e9;
  return Number.isFinite(usd) && usd > 0 ? { usd, unit: expression.usageUnit } : undefined;
}

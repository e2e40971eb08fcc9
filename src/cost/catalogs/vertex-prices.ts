import { CATALOG_READ_ON } from './catalog-row.js';
import {
  VERTEX_PRICE_SOURCES,
  type VertexPriceAbsence,
  type VertexTrainingBilling,
  type VertexTrainingPrice,
} from './vertex-price-row.js';
import { VERTEX_SOURCES } from './vertex-rows.js';

const { pricingPage, agentPlatformPricingPage, apiEvangelistCopy, billingCatalogApi } = VERTEX_PRICE_SOURCES;

/** The day the Vertex price sources below were looked for and read (the copies, the absences, the billing rules). */
export const VERTEX_PRICES_READ_ON = '2026-12-06';

/** The date the copy of Google's page states it read the page ("read: '2026-10-07'"). */
const COPY_READ_ON = '2026-10-07';

/** Why every figure here is secondary: the page's own tables could not be read, only figures quoted from them. */
const FROM_A_COPY =
  "Read from a third party's copy of Google's Vertex AI pricing page, not from the page: re-check against the page " +
  '(or the Cloud Billing Catalog API) before relying on it.';

/**
 * Vertex AI custom-training prices, on demand, USD per hour: a machine type per node (accelerators extra), an
 * accelerator per GPU. Only figures a source states are here; everything else in the Vertex catalog is listed in
 * VERTEX_PRICE_ABSENCES with the reason, and a region with no row has no Vertex prices at all.
 */
export const VERTEX_TRAINING_PRICES: readonly VertexTrainingPrice[] = [
  {
    region: 'us-central1',
    kind: 'machine',
    item: 'n1-standard-4',
    usd_per_hour: 0.21849885,
    secondary: true,
    source: [pricingPage, agentPlatformPricingPage, apiEvangelistCopy],
    as_of: COPY_READ_ON,
    note:
      `${FROM_A_COPY} The copy lists "Custom training n1-standard-4 $0.21849885 / 1 hour" without its region; two ` +
      "public project notes read on 2026-09-06 and 2026-09-08 quote the same figure from the page's table for Iowa " +
      '(us-central1), without a savings plan.',
  },
  {
    region: 'us-central1',
    kind: 'accelerator',
    item: 'NVIDIA_H100_80GB',
    usd_per_hour: 9.79655057,
    secondary: true,
    source: [pricingPage, agentPlatformPricingPage, apiEvangelistCopy],
    as_of: COPY_READ_ON,
    unconfirmed_fields: ['region'],
    note:
      `${FROM_A_COPY} The copy lists "Accelerator NVIDIA_H100_80GB (training) $9.79655057 / 1 hour" without its ` +
      'region; us-central1 is assumed, as for the n1-standard-4 figure of the same copy, which other copies place in ' +
      'Iowa (us-central1). No a3 machine price was found, so an H100 job still cannot be priced.',
  },
];

/** Names of several sizes of one machine series: series('n1-standard', [1, 2]) -> n1-standard-1, n1-standard-2. */
function series(prefix: string, sizes: readonly (number | string)[]): string[] {
  return sizes.map((size) => `${prefix}-${size}`);
}

const TABLES_NOT_READ =
  "Google's Vertex AI pricing page lists a custom-training price for it by region, but its tables could not be read " +
  'here: the stored copies of the page stop before them, and no copy of the tables (or of the Cloud Billing ' +
  "Catalog API's Vertex AI SKUs) was found. Compute Engine's prices (Cyclenerd's pricing.yml, SkyPilot's " +
  "vms.csv) are not Vertex's, which sit above them, so they were not used.";

/**
 * Every machine type and accelerator of the Vertex catalog that no row above prices in any region, with the reason.
 * A priced item has no price outside the regions of its rows either: prices differ by region.
 */
export const VERTEX_PRICE_ABSENCES: readonly VertexPriceAbsence[] = [
  {
    items: [
      ...series('n1-standard', [1, 2, 8, 16, 32, 64, 96]),
      ...series('n1-highmem', [2, 4, 8, 16, 32, 64, 96]),
      ...series('n1-highcpu', [2, 4, 8, 16, 32, 64, 96]),
      ...series('n2-standard', [2, 4, 8, 16, 32, 48, 64, 80, 96, 128]),
      ...series('n2-highmem', [2, 4, 8, 16, 32, 48, 64, 80, 96, 128]),
      ...series('n2-highcpu', [2, 4, 8, 16, 32, 48, 64, 80, 96]),
      ...series('e2-standard', [2, 4, 8, 16, 32]),
      ...series('e2-highmem', [2, 4, 8, 16]),
      ...series('e2-highcpu', [2, 4, 8, 16, 32]),
    ],
    reason: TABLES_NOT_READ,
    source: [pricingPage, agentPlatformPricingPage],
    as_of: VERTEX_PRICES_READ_ON,
  },
  {
    items: [
      ...series('a2-highgpu', ['1g', '2g', '4g', '8g']),
      'a2-megagpu-16g',
      ...series('a2-ultragpu', ['1g', '2g', '4g', '8g']),
      ...series('a3-highgpu', ['1g', '2g', '4g', '8g']),
      'a3-megagpu-8g',
      'a3-ultragpu-8g',
      'a4-highgpu-8g',
      ...series('g2-standard', [4, 8, 12, 16, 24, 32, 48, 96]),
    ],
    reason: `${TABLES_NOT_READ} Vertex prices these machine types apart from the GPUs they come with.`,
    source: [pricingPage, agentPlatformPricingPage],
    as_of: VERTEX_PRICES_READ_ON,
  },
  {
    items: [
      'NVIDIA_TESLA_P100',
      'NVIDIA_TESLA_V100',
      'NVIDIA_TESLA_P4',
      'NVIDIA_TESLA_T4',
      'NVIDIA_TESLA_A100',
      'NVIDIA_A100_80GB',
      'NVIDIA_L4',
      'NVIDIA_H100_MEGA_80GB',
      'NVIDIA_H200_141GB',
      'NVIDIA_B200',
      'NVIDIA_GB200',
      'NVIDIA_RTX_PRO_6000',
    ],
    reason:
      `${TABLES_NOT_READ} providers.md 2.6 recalls $0.4025/h for a T4 in us-central1, unverified, so it is ` +
      'not used.',
    source: [pricingPage, agentPlatformPricingPage],
    as_of: VERTEX_PRICES_READ_ON,
  },
  {
    items: ['NVIDIA_TESLA_K80'],
    reason: 'Google ended support for the K80; the enum keeps the value only as deprecated, so there is no price.',
    source: [VERTEX_SOURCES.k80EndOfLife, VERTEX_SOURCES.machineSpec],
    as_of: CATALOG_READ_ON,
  },
];

/**
 * How a custom-training job's time is billed. No source states Vertex's billing increment or minimum for custom
 * training (providers.md 2.6 and section 6, item 3, mark them [U]), so dlrun bills each replica per second of
 * endTime − startTime with no minimum, and says the figure is unconfirmed. The legacy AI Platform rule (per minute,
 * at least ten minutes) is a recollection, not a source, and is not applied.
 */
export const VERTEX_TRAINING_BILLING: VertexTrainingBilling = {
  billing_increment_s: 1,
  minimum_billed_s: 0,
  billed_span: "each replica, from the job's startTime (first RUNNING) to its endTime",
  source: [pricingPage, agentPlatformPricingPage, billingCatalogApi],
  as_of: VERTEX_PRICES_READ_ON,
  unconfirmed: true,
  note:
    'The pricing page says resources are charged per node-hour while the job holds them (providers.md 2.6, ' +
    'confirmed), but states no increment or minimum for custom training; whether a failed custom job is billed is ' +
    'unconfirmed as well (the page\'s "not billed on failure" sentence sits in its AutoML section).',
};

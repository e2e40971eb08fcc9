import { RESCALE_PRICE_SOURCES, type RescaleBilling, type RescaleCoreTypePrice } from './rescale-price-row.js';

export type { RescaleBilling, RescaleCoreTypePrice } from './rescale-price-row.js';
export { RESCALE_PRICE_SOURCES } from './rescale-price-row.js';

const { apiDocs2016, interlinkCoreTypesFixture, billingPage, prepaidBlog } = RESCALE_PRICE_SOURCES;

/**
 * The day the sources below were looked for and read. A core types list fetched from the API after this day
 * (rescale-price-cache.ts) replaces this table for its platform.
 */
export const RESCALE_PRICES_READ_ON = '2026-12-06';

/**
 * Rescale core type prices, USD per core-hour, on demand and low priority. Rescale publishes its prices only behind
 * the authenticated core types endpoint, so every row here comes from a sample of that endpoint's answer, not a
 * price list, and is marked unconfirmed: the figures are real answers' shapes but may be old or from another
 * platform. A code with no row (emerald, ferrite, the GPU types ...) has no price at all: dlrun says so instead of
 * guessing. `dlrun check` with a key reads the endpoint and caches the live prices.
 */
export const RESCALE_CORE_TYPE_PRICES: readonly RescaleCoreTypePrice[] = [
  {
    code: 'standard-plus',
    name: 'Marble',
    usd_per_core_hour: 0.1,
    low_priority_usd_per_core_hour: 0.05,
    cores_per_node: [1, 2, 4, 8],
    memory_mb_per_core: 3750,
    processor: 'Intel Xeon E5-2670 v2',
    source: [apiDocs2016],
    as_of: RESCALE_PRICES_READ_ON,
    unconfirmed: true,
    note:
      'From the sample response of the core types endpoint in a 2016 copy of Rescale\'s API docs ("price": 0.1, ' +
      '"lowPriorityPrice": "0.050"); which platform it came from is not stated, and the type may have been repriced ' +
      'or retired since. The same sample lists a core type "test" (HPC Test, $0.25) that is left out: a test type, ' +
      'not one users run on.',
  },
  {
    code: 'adamite',
    name: 'Adamite',
    usd_per_core_hour: 0.1751,
    low_priority_usd_per_core_hour: 0.0988,
    cores_per_node: [24],
    memory_mb_per_core: 8000,
    processor: 'Intel Xeon Platinum 8259CL',
    source: [interlinkCoreTypesFixture],
    as_of: RESCALE_PRICES_READ_ON,
    unconfirmed: true,
    note:
      "From the fixture of a test in Rescale's own client (Rescale Interlink) that checks every field of the core " +
      'types answer survives ("price": 0.1751, "lowPriorityPrice": "0.0988", cores [24], 8000 MB per core): the ' +
      'shape of a real answer, but a test fixture, of unstated date and platform.',
  },
];

/**
 * How Rescale bills a job's hardware: per core-hour from when its cluster starts until it stops (providers.md 5.3
 * and 5.5, [U]). No source states the increment or a minimum, so per second and none are assumed and marked
 * unconfirmed; the "$1 failed-job charge" users report may be an hourly minimum instead (providers.md 5.5).
 */
export const RESCALE_BILLING: RescaleBilling = {
  billing_increment_s: 1,
  minimum_billed_s: 0,
  billed_span: "the cluster's time, from the job's Started status to its last (terminal) status",
  source: [billingPage],
  as_of: RESCALE_PRICES_READ_ON,
  unconfirmed: true,
  note:
    "Rescale's billing page describes monthly summaries in core hours, and its API has no per-job charge; neither " +
    'it nor any other source read states the increment or minimum billed. Verify against the Billing CSV of a job ' +
    'that fails at once.',
};

/**
 * Core types a source names with a price but no code the API would take, so no row can price them; kept so the
 * docs and the message for a missing price can say what was found.
 */
export const RESCALE_PRICES_WITHOUT_CODE: readonly { name: string; usd_per_core_hour: number; source: string }[] = [
  // "our popular Nickel core type ... $0.15 per hour On Demand" (2015, updated 2023): the code is not given.
  { name: 'Nickel', usd_per_core_hour: 0.15, source: prepaidBlog },
];

const BY_CODE: ReadonlyMap<string, RescaleCoreTypePrice> = new Map(
  RESCALE_CORE_TYPE_PRICES.map((row) => [row.code, row]),
);

/** The repository's price row of a core type, or undefined when no source priced it. */
export function findRescaleCoreTypePrice(code: string): RescaleCoreTypePrice | undefined {
  return BY_CODE.get(code);
}

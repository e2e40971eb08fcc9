import type { Sourced } from './catalog-row.js';

/**
 * The price of one Rescale core type per core-hour, as `GET /api/v2/coretypes/` gives it (`price`, on demand, and
 * `lowPriorityPrice`, On-Demand Economy), with the node sizes the same answer gives (`cores`, `memory`), so a row
 * read from the API is enough to choose hardware by. A job's hardware rate is price x coresPerSlot x slots
 * (providers.md 5.5).
 */
export interface RescaleCoreTypePrice
  extends Sourced<
    'usd_per_core_hour' | 'low_priority_usd_per_core_hour' | 'cores_per_node' | 'memory_mb_per_core' | 'platform'
  > {
  /** The code the API takes ("adamite"). */
  readonly code: string;
  /** The display name ("Adamite"), when the source gives one. */
  readonly name?: string;
  /** `price`: USD per core-hour, on demand (On-Demand Priority). */
  readonly usd_per_core_hour: number;
  /** `lowPriorityPrice`: USD per core-hour for a low-priority (On-Demand Economy) job; null when none was given. */
  readonly low_priority_usd_per_core_hour: number | null;
  /** `cores`: the cores-per-node choices, when the source gives them. */
  readonly cores_per_node?: readonly number[];
  /** `memory`: MB per core, when the source gives it. */
  readonly memory_mb_per_core?: number;
  /** `processorInfo`, when given. */
  readonly processor?: string;
  /** `isDeprecated`: Rescale refuses new jobs on a deprecated core type. */
  readonly deprecated?: true;
}

/** How Rescale bills a job's cluster time, with where that comes from (or that nothing confirms it). */
export interface RescaleBilling extends Sourced<'billing_increment_s' | 'minimum_billed_s'> {
  /** Seconds; 1 for per-second billing. */
  readonly billing_increment_s: number;
  readonly minimum_billed_s: number;
  /** What is billed, from which statuses. */
  readonly billed_span: string;
}

/** Where the Rescale price data module reads its figures. */
export const RESCALE_PRICE_SOURCES = {
  /**
   * A 2016 mirror of Rescale's API docs (engineering.rescale.com/api-docs): the core types endpoint's sample
   * response, with `price` and `lowPriorityPrice` per core type, and its field table ("Price per core hour").
   */
  apiDocs2016: 'https://github.com/MatthiasHertel/api-docs/blob/master/source/includes/_informational_endpoints.md',
  /**
   * Rescale's own Go client (Rescale Interlink): a test of its raw core types call, whose fixture is one core type
   * with all 18 fields of the endpoint's answer, prices included. Pinned to the commit read.
   */
  interlinkCoreTypesFixture:
    'https://github.com/rescale-labs/Rescale_Interlink/blob/f7535eb1f8234a32b8f530c5006be3dfb04fda67/' +
    'internal/api/client_raw_test.go',
  /** Rescale's Billing Summaries & CSV page: monthly totals, core hours and compute charges, no per-job API. */
  billingPage: 'https://rescale.com/documentation/main/administration-portals/financials/billing/',
  /** Rescale's blog on prepaid and on-demand prices: names the Nickel core type at $0.15 per core-hour on demand. */
  prepaidBlog: 'https://rescale.com/blog/cost-comparison-prepaid-vs-on-demand/',
} as const;

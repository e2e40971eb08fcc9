import { billedSeconds, type PriceSnapshot, roundUsd } from '../../src/cost/price-snapshot.js';

/**
 * What a Rescale price snapshot was built from, stored with the job at launch (`PriceSnapshot.basis`), so its bill
 * charges its core-hours at the price then in force, under the billing rule then believed.
 */
export type RescalePriceBasis = {
  readonly platform: string;
  readonly core_type: string;
  readonly cores_per_slot: number;
  readonly slots: number;
  /** isLowPriority (On-Demand Economy): the job was priced at `lowPriorityPrice`. */
  readonly low_priority: boolean;
  /** The price per core-hour the job pays (on demand, or low priority). */
  readonly usd_per_core_hour: number;
  /** Where the price came from: the repository's table, or the platform's core types list fetched into the cache. */
  readonly price_origin: 'table' | 'api';
  readonly billing_increment_s: number;
  readonly minimum_billed_s: number;
  /** True while no source confirms the increment and minimum above. */
  readonly billing_unconfirmed: boolean;
  /** How long a Rescale cluster takes to come up, billed before the job's command runs (4 to 8 minutes). */
  readonly startup_min_s: number;
  readonly startup_max_s: number;
};

/** The basis stored with a Rescale job's price, or undefined when it has none (it is then billed at its flat rate). */
export function rescalePriceBasisOf(price: PriceSnapshot): RescalePriceBasis | undefined {
  const stored = price.basis;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return undefined;
  const basis = stored as Partial<RescalePriceBasis>;
  return typeof basis.core_type === 'string' &&
    typeof basis.usd_per_core_hour === 'number' &&
    typeof basis.cores_per_slot === 'number' &&
    typeof basis.slots === 'number'
    ? (basis as RescalePriceBasis)
    : undefined;
}

/** The job's hourly rate: price per core-hour x cores per slot x slots. */
export function rescaleRatePerHour(
  basis: Pick<RescalePriceBasis, 'usd_per_core_hour' | 'cores_per_slot' | 'slots'>,
): number {
  return roundToCentMillionths(basis.usd_per_core_hour * basis.cores_per_slot * basis.slots);
}

/** What one start that fails costs, low and high: the start-up billed at the job's rate under its billing rule. */
export interface FailedStartCost {
  readonly low_usd: number;
  readonly high_usd: number;
  readonly startup_min_s: number;
  readonly startup_max_s: number;
}

/**
 * What one failed start of a job costs at its quoted price: Rescale bills the cluster from when it starts, so a job
 * whose command fails at once still pays its 4 to 8 minutes of start-up, at the job's rate, under the billing
 * increment and minimum. Undefined for a snapshot that is not a Rescale one.
 */
export function failedStartUsd(snapshot: PriceSnapshot): FailedStartCost | undefined {
  const basis = rescalePriceBasisOf(snapshot);
  if (!basis) return undefined;
  const cost = (seconds: number): number => rescaleStartupUsd(basis, seconds);
  return {
    low_usd: cost(basis.startup_min_s),
    high_usd: cost(basis.startup_max_s),
    startup_min_s: basis.startup_min_s,
    startup_max_s: basis.startup_max_s,
  };
}

/** A start-up of `seconds` billed at the job's rate under its billing rule: what a start that fails costs. */
export function rescaleStartupUsd(
  basis: Pick<
    RescalePriceBasis,
    'usd_per_core_hour' | 'cores_per_slot' | 'slots' | 'billing_increment_s' | 'minimum_billed_s'
  >,
  seconds: number,
): number {
  return roundUsd((billedSeconds(seconds, basis) * rescaleRatePerHour(basis)) / 3600);
}

/** Rates keep eight decimals, as Vertex's do: a per-core price times cores must not lose the price's precision. */
export function roundToCentMillionths(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

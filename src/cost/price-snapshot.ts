import type { Ec2PriceBasis } from '../../adapters/ec2/ec2-price-basis.js';

/**
 * The price in force when a job launched, stored with the job so later catalog updates never rewrite its bill.
 * Field names follow `quote --json` / `bill --json` (JOB-SPEC.md section 3).
 */
export interface PriceSnapshot {
  /** Instance / machine / core type, or "this machine" for the local backend. */
  readonly machine: string;
  readonly rate_per_hour_usd: number;
  /** Billing granularity in seconds (1 for per-second billing). */
  readonly billing_increment_s: number;
  /** The shortest time billed for one run (60 s on EC2). */
  readonly minimum_billed_s: number;
  /** Where the price came from: a catalog URL, or how an owned machine's rate was computed. */
  readonly price_source: string;
  /** The date the price was read from its source (YYYY-MM-DD). */
  readonly price_as_of: string;
  /** True when the figure could not be confirmed from its source. */
  readonly unconfirmed?: boolean;
  /** EC2 only: the per-instance and per-volume prices behind the rate, for a bill under EC2's own rules. */
  readonly ec2?: Ec2PriceBasis;
}

/** Seconds billed for a run of `seconds` under a price's minimum and increment. */
export function billedSeconds(
  seconds: number,
  price: Pick<PriceSnapshot, 'billing_increment_s' | 'minimum_billed_s'>,
): number {
  if (seconds <= 0) return 0;
  const increment = Math.max(1, price.billing_increment_s);
  return Math.max(price.minimum_billed_s, Math.ceil(seconds / increment) * increment);
}

/** Dollars for `seconds` of run time, rounded to the cent's hundredth so sums stay stable. */
export function costOf(seconds: number, price: PriceSnapshot): number {
  return roundUsd((billedSeconds(seconds, price) * price.rate_per_hour_usd) / 3600);
}

export function roundUsd(amount: number): number {
  return Math.round(amount * 10_000) / 10_000;
}

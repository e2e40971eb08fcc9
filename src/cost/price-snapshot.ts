/** A JSON value, as the ledger stores it. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * The price in force when a job launched, stored with the job so later catalog updates never rewrite its bill.
 * Field names follow `quote --json` / `bill --json` (JOB-SPEC.md section 3).
 */
export interface PriceSnapshot {
  /** Instance / machine / core type, or "this machine" for a machine the user owns. */
  readonly machine: string;
  readonly rate_per_hour_usd: number;
  /** Billing granularity in seconds (1 for per-second billing). */
  readonly billing_increment_s: number;
  /** The shortest time billed for one run (0 when there is none). */
  readonly minimum_billed_s: number;
  /** Where the price came from: a catalog URL, or how an owned machine's rate was computed. */
  readonly price_source: string;
  /** The date the price was read from its source (YYYY-MM-DD). */
  readonly price_as_of: string;
  /** True when the figure could not be confirmed from its source. */
  readonly unconfirmed?: boolean;
  /**
   * What the backend built the rate from, for a bill under its own rules (`BackendPricing.charges`): opaque to
   * everything but that backend, stored as it is. Never shown: `quote --json` and `bill --json` leave it out.
   */
  readonly basis?: JsonValue;
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

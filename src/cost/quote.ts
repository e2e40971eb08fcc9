import { billedSeconds, costOf, type PriceSnapshot } from './price-snapshot.js';

/** One backend's price for a job, as `quote --json` prints it (JOB-SPEC.md section 3). */
export interface Quote {
  readonly backend: string;
  readonly machine: string;
  readonly rate_per_hour_usd: number;
  readonly billing_increment_s: number;
  readonly minimum_billed_s: number;
  readonly runtime_s: number;
  readonly billed_s: number;
  readonly total_usd: number;
  readonly price_source: string;
  readonly price_as_of: string;
  readonly unconfirmed: boolean;
}

export function quote(backend: string, price: PriceSnapshot, runtimeSeconds: number): Quote {
  return {
    backend,
    machine: price.machine,
    rate_per_hour_usd: price.rate_per_hour_usd,
    billing_increment_s: price.billing_increment_s,
    minimum_billed_s: price.minimum_billed_s,
    runtime_s: runtimeSeconds,
    billed_s: billedSeconds(runtimeSeconds, price),
    total_usd: costOf(runtimeSeconds, price),
    price_source: price.price_source,
    price_as_of: price.price_as_of,
    unconfirmed: price.unconfirmed ?? false,
  };
}

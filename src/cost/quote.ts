import { billedSeconds, costOf, type PriceSnapshot } from './price-snapshot.js';
import type { Startup } from './startup.js';

/** One backend's price for a job, as `quote --json` prints it (JOB-SPEC.md section 3). */
export interface Quote {
  readonly backend: string;
  readonly machine: string;
  readonly rate_per_hour_usd: number;
  readonly billing_increment_s: number;
  readonly minimum_billed_s: number;
  readonly runtime_s: number;
  readonly billed_s: number;
  /** The run time's cost; the start-up before the job's command is `startup_usd`, billed on top. */
  readonly total_usd: number;
  readonly price_source: string;
  readonly price_as_of: string;
  readonly unconfirmed: boolean;
  /** Seconds billed before the job's own command runs (provisioning plus setup). */
  readonly startup_s?: number;
  /** Those seconds at the rate, under the billing increment and minimum. */
  readonly startup_usd?: number;
  /** Where `startup_s` came from: this ledger's median, or the backend's dated default with its source. */
  readonly startup_source?: string;
  /** What one start that fails there costs (its start-up billed, with the minimum). */
  readonly failed_start_usd?: number;
  /** Which prices were in force: the newest price snapshot (`dlrun prices refresh`), or the repository's catalog. */
  readonly prices?: PricesUsed;
}

/**
 * The prices a quote used: a snapshot fetched by `dlrun prices refresh` (when, from where, how old), or the dated
 * catalog in the repository. Where a snapshot has no row for the machine, the repository's price stands in, and the
 * quote's `price_source` says so.
 */
export type PricesUsed =
  | { readonly from: 'repo catalog' }
  | {
      readonly from: 'snapshot';
      readonly file: string;
      /** ISO 8601. */
      readonly fetched_at: string;
      readonly age_s: number;
      readonly source: string;
      readonly endpoint: string;
      readonly rows: number;
    };

export function quote(
  backend: string,
  price: PriceSnapshot,
  runtimeSeconds: number,
  startup?: Startup & { readonly usd: number; readonly failed_start_usd: number },
  prices?: PricesUsed,
): Quote {
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
    ...(startup
      ? {
          startup_s: startup.seconds,
          startup_usd: startup.usd,
          startup_source: startup.source,
          failed_start_usd: startup.failed_start_usd,
        }
      : {}),
    ...(prices ? { prices } : {}),
  };
}

import type { JobState } from '../backend/job-state.js';
import type { ProviderDetails } from '../backend/training-backend.js';
import type { JobSpec } from '../spec/job-spec.js';
import type { LineItem } from './bill.js';
import type { Ownership } from './break-even.js';
import type { RefreshedPrices } from './price-refresh.js';
import type { JsonValue, PriceSnapshot } from './price-snapshot.js';

/**
 * What a backend's price and bill rules answer. Each backend that has prices keeps them in its own folder
 * (`adapters/<name>/`) and hands this object to the registry (`src/core/backends.ts`, field `pricing`); generic code
 * prices and bills a job only through it. Offline and pure: no cloud SDK, no I/O beyond reading local settings.
 */
export interface BackendPricing {
  /**
   * The price a job would pay on the backend now: what `quote` shows and `submit` stores with the job. Throws a
   * user error when the job cannot be priced there (an unknown machine, a region without prices). `env`: the
   * merged environment, where a backend may find a setting the job file leaves out (a region). `refreshed`: the
   * newest valid price snapshot of the backend (`dlrun prices refresh`), whose rows (checked by `snapshotRows`) win
   * over the repository's catalog where they price the machine; the working (`price_source`) says which was used.
   */
  price(
    job: JobSpec,
    now: Date,
    env: Readonly<Record<string, string | undefined>>,
    refreshed?: RefreshedPrices,
  ): PriceSnapshot;
  /**
   * The rows of a price snapshot this backend can use, from a file that is untrusted input: anything that is not one
   * of its catalog's rows, well formed, is dropped. Absent: the backend has no snapshots.
   */
  snapshotRows?(rows: readonly unknown[]): readonly JsonValue[];
  /**
   * The charges of a job under the backend's own rules, from the price stored with it at launch (`price.basis`)
   * and, once it ended, what the backend read from its provider for the bill (`TrainingBackend.billingFacts`);
   * up to `now` for a job still going. Absent, or undefined returned: the job's run time at the snapshot's rate,
   * under its billing increment and minimum.
   */
  charges?(job: ChargedJob, price: PriceSnapshot, now: Date, facts: unknown): JobCharges | undefined;
  /**
   * How long a job takes on the backend before its own command runs, billed (provisioning plus setup), when this
   * ledger has fewer than three finished jobs on the same machine to measure it from: data with its source and date.
   * Absent: nothing is billed to start.
   */
  readonly startup?: StartupDefault;
  /**
   * What one start that fails costs at this price when start-up lasts `startupSeconds`. Absent: the start-up at the
   * price's rate under its billing increment and minimum.
   */
  failedStartUsd?(price: PriceSnapshot, startupSeconds: number): number;
  /**
   * For a machine the user owns: what buying it cost, its lifetime, power and electricity, when the job file gives a
   * purchase price and lifetime, so `quote` can set owning against renting (`break-even.ts`). Absent, or undefined
   * returned: nothing to buy, no break-even.
   */
  ownership?(job: JobSpec): Ownership | undefined;
}

/**
 * The part of a backend's price rules a quote reads: all but the bill's `charges`, so that `quote` loads none of the
 * modules that work out a bill (provider details, billing facts, state maps).
 */
export type QuoteRules = Omit<BackendPricing, 'charges'>;

/** A backend's default start-up, as data in its own folder. */
export interface StartupDefault {
  readonly seconds: number;
  /** Where the figure came from, or how it was worked out. */
  readonly source: string;
  /** When the source was read (YYYY-MM-DD). */
  readonly as_of: string;
  /** True when no primary source confirms the figure. */
  readonly unconfirmed?: boolean;
}

/** What of a job, as the ledger keeps it, a backend's bill rules may read. */
export interface ChargedJob {
  readonly state: JobState;
  /** When the job left the queue (ISO 8601), or null before. */
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  /** The provider's id of the job's machines (comma-separated when there are several). */
  readonly externalId: string | null;
  readonly providerDetails: ProviderDetails | null;
}

/** A job's charges under its backend's rules: the bill's line items and totals. */
export interface JobCharges {
  readonly line_items: readonly LineItem[];
  readonly total_usd: number;
  readonly billed_s: number;
  /** What the figure assumes, added to the bill's price source. */
  readonly note: string | undefined;
}

import type { Phase } from '../backend/job-state.js';
import type { BackendPricing } from './backend-pricing.js';
import { costOf, type PriceSnapshot } from './price-snapshot.js';

/** Finished jobs needed on a backend and machine before their median replaces the backend's default start-up. */
export const LEDGER_STARTUP_MIN_JOBS = 3;

/** The start-up a quote counts: its seconds and where the figure came from. */
export interface Startup {
  readonly seconds: number;
  readonly source: string;
  readonly unconfirmed: boolean;
}

/** What of a stored job the ledger median reads: fields of the ledger's StoredJob, a layer this one may not name. */
export interface StartupSample {
  readonly backend: string;
  readonly price: PriceSnapshot | null;
  readonly endedAt: string | null;
  readonly finalPhases: Readonly<Record<Phase, number>> | null;
}

/**
 * The median provisioning plus setup of this ledger's finished jobs on `backend` and `machine` (the machine of the
 * price stored with each job), or undefined below LEDGER_STARTUP_MIN_JOBS. A finished job is one that ended after its
 * own command began (its run phase lasted), so its start-up was complete; a job that failed in setup is not one.
 */
export function ledgerStartup(
  jobs: readonly StartupSample[],
  backend: string,
  machine: string,
): { seconds: number; jobs: number } | undefined {
  const seconds = jobs
    .filter(
      (job) =>
        job.backend === backend &&
        job.price?.machine === machine &&
        job.endedAt !== null &&
        job.finalPhases !== null &&
        job.finalPhases.run > 0,
    )
    .map((job) => job.finalPhases!.provisioning + job.finalPhases!.setup)
    .sort((first, second) => first - second);
  if (seconds.length < LEDGER_STARTUP_MIN_JOBS) return undefined;
  const middle = Math.floor(seconds.length / 2);
  const median = seconds.length % 2 ? seconds[middle]! : (seconds[middle - 1]! + seconds[middle]!) / 2;
  return { seconds: Math.round(median * 1000) / 1000, jobs: seconds.length };
}

/** The ledger's median when it has enough jobs, else the backend's dated default (none: nothing billed to start). */
export function startupOf(
  pricing: Pick<BackendPricing, 'startup'>,
  jobs: readonly StartupSample[],
  backend: string,
  machine: string,
): Startup {
  const measured = ledgerStartup(jobs, backend, machine);
  if (measured) {
    return {
      seconds: measured.seconds,
      source:
        `the median provisioning plus setup of this ledger's ${measured.jobs} finished ${backend} jobs ` +
        `on ${machine}`,
      unconfirmed: false,
    };
  }
  const fallback = pricing.startup;
  if (!fallback) return { seconds: 0, source: 'nothing is billed to start', unconfirmed: false };
  return {
    seconds: fallback.seconds,
    source:
      `default (fewer than ${LEDGER_STARTUP_MIN_JOBS} finished jobs on ${machine} in this ledger): ` +
      `${fallback.source}, as of ${fallback.as_of}${fallback.unconfirmed ? '; unconfirmed' : ''}`,
    unconfirmed: fallback.unconfirmed ?? false,
  };
}

/** The start-up's cost at the price: its seconds under the billing increment and minimum, at the rate. */
export function startupUsd(startupSeconds: number, price: PriceSnapshot): number {
  return costOf(startupSeconds, price);
}

/** What one start that fails costs there: the backend's own rule, else the start-up billed like any run. */
export function failedStartUsd(
  pricing: Pick<BackendPricing, 'failedStartUsd'>,
  price: PriceSnapshot,
  startupSeconds: number,
): number {
  return pricing.failedStartUsd ? pricing.failedStartUsd(price, startupSeconds) : costOf(startupSeconds, price);
}

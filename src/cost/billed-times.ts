import type { ChargedJob } from './backend-pricing.js';

/** The span a job is billed over, and whose times those are, for the bill's note. */
export interface BilledTimes {
  readonly start: string | null;
  readonly end: string | null;
  /** `provider` when both times are the provider's own, `ledger` when neither is, else `mixed`. */
  readonly source: 'provider' | 'ledger' | 'mixed';
}

/** The provider's own start and end where its billing facts have them, else the ledger's times. */
export function billedTimes(job: ChargedJob, providerStart?: string, providerEnd?: string): BilledTimes {
  const fromProvider = [providerStart, providerEnd].filter(Boolean).length;
  return {
    start: providerStart ?? job.startedAt,
    end: providerEnd ?? job.endedAt,
    source: fromProvider === 0 ? 'ledger' : fromProvider === 2 ? 'provider' : 'mixed',
  };
}

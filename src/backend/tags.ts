import type { JobId, LedgerId } from './job-id.js';

/**
 * Every provider resource dlrun creates carries these two tags (labels on Google Cloud), so `gc` and reconcile
 * find their own resources and never touch another ledger's (a colleague's) jobs.
 */
export const JOB_ID_TAG = 'dlrun-job-id';
export const LEDGER_TAG = 'dlrun-ledger';

export interface ResourceTags {
  readonly [JOB_ID_TAG]: string;
  readonly [LEDGER_TAG]: string;
}

export function resourceTags(jobId: JobId, ledgerId: LedgerId): ResourceTags {
  return { [JOB_ID_TAG]: jobId, [LEDGER_TAG]: ledgerId };
}

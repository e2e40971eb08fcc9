import type { JobSpec } from '../spec/job-spec.js';

/**
 * The job as the ledger keeps it: every setting (secret values are never in a JobSpec, only their names), and
 * where it came from, without the per-field positions that only validation needs.
 */
export function storableSpec(job: JobSpec): unknown {
  const { positions: _positions, ...source } = job.source;
  return { ...job, source };
}

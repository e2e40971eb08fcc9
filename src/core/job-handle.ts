import type { JobHandle, TrainingBackend } from '../backend/training-backend.js';
import type { StoredJob } from '../ledger/ledger.js';

/** How a backend finds a job again: its provider id and the details its plan kept in the ledger. */
export function handleOf(job: StoredJob, backend: Pick<TrainingBackend, 'name'>): JobHandle {
  return {
    jobId: job.jobId,
    backend: backend.name,
    externalId: job.externalId,
    submittedAt: job.submittedAt,
    ...(job.providerDetails ? { details: job.providerDetails } : {}),
  };
}

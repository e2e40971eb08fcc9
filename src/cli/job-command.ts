import { DlrunError, UnknownJobError } from '../base/errors.js';
import type { TrainingBackend, JobHandle } from '../backend/training-backend.js';
import type { Config } from '../config.js';
import { canLaunch, loadBackend } from '../core/backends.js';
import { handleOf } from '../core/job-handle.js';
import { onlyReachableFrom, refuseIfElsewhere } from '../core/job-owner.js';
import { refuseEmptyJobId, resolveJob } from '../core/resolve-job-id.js';
import type { Ledger, StoredJob } from '../ledger/ledger.js';
import { openExistingLedger } from '../ledger/open-ledger.js';
import { isBackendName } from '../spec/backend-names.js';

export interface JobInContext {
  readonly ledger: Ledger;
  readonly job: StoredJob;
}

/** Open the ledger and find the job a command names (an id or an unambiguous start of one), then run `work`. */
export async function withJob<T>(
  config: Config,
  typedId: string,
  work: (found: JobInContext) => Promise<T>,
): Promise<T> {
  refuseEmptyJobId(typedId);
  const ledger = await openExistingLedger(config);
  if (!ledger) throw new UnknownJobError(typedId);
  try {
    return await work({ ledger, job: await resolveJob(ledger, typedId) });
  } finally {
    await ledger.close();
  }
}

/**
 * The backend a job ran on, and the handle to reach the job there; `what` is what the command does to the job
 * ("cancelled"), for the error when only another host can reach it.
 */
export async function backendOf(
  job: StoredJob,
  what: string,
): Promise<{ backend: TrainingBackend; handle: JobHandle }> {
  await refuseIfElsewhere(job, what);
  const backend = await launchableBackend(job);
  if (!backend) throw new DlrunError(`this version of dlrun cannot reach ${job.backend} jobs`);
  return { backend, handle: handleOf(job, backend) };
}

/**
 * The backend of a job when this version can reach it from this host; undefined for the others (their ledger view
 * is all there is): a backend this version cannot launch on, or a job only another host can reach.
 */
export async function launchableBackend(job: StoredJob): Promise<TrainingBackend | undefined> {
  if (!isBackendName(job.backend) || !(await canLaunch(job.backend))) return undefined;
  return (await onlyReachableFrom(job)) === undefined ? loadBackend(job.backend) : undefined;
}

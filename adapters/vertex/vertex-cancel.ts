import { ProviderError } from '../../src/base/errors.js';
import { isTerminal } from '../../src/backend/job-state.js';
import type { BackendContext, JobHandle } from '../../src/backend/training-backend.js';
import type { VertexClients } from './vertex-clients.js';
import { clientsOf, decodeVertexDetails, jobObjects, stagingOf, type VertexJobDetails } from './vertex-details.js';
import { google } from './vertex-errors.js';
import { deleteJobSecrets } from './vertex-secrets.js';
import { customJobOf, getCustomJob } from './vertex-get-job.js';
import type { CustomJob } from './vertex-list-jobs.js';
import { mapVertexJob } from './vertex-map-state.js';
import { putText } from './vertex-staging.js';

/**
 * End a Vertex AI job: first the `cancel-requested` object in the staging bucket (so that status tells the user's
 * cancel from Vertex's own stop at the limit, vertex-map-state.ts), then customJobs.cancel, once. Vertex then stops
 * the replicas (SIGTERM, the bootstrap uploads what it can) and the job goes CANCELLING, then CANCELLED; the
 * machines are Vertex's own, so nothing else is left running. A no-op on a job that has ended, is already being
 * cancelled, or that Vertex has no trace of.
 *
 * A cancel is not retried blindly: when its answer is lost (a dropped connection, a 5xx) or Vertex refuses it as
 * out of place, the job is read again, and the cancel is sent a second time only when the job is still neither
 * CANCELLING nor ended. A cancel that stopped nothing rejects, saying so.
 */
export async function cancelVertexJob(handle: JobHandle, context: BackendContext): Promise<void> {
  const details = decodeVertexDetails(handle.details, context);
  const clients = clientsOf(details, context);
  await markCancelRequested(clients, details, handle, context);
  const job = await customJobOf(handle, details, clients, context);
  if (!job?.name || !stillToCancel(handle, job)) return;
  const name = job.name;
  for (let attempt = 1; ; attempt++) {
    try {
      await google(
        `cancelling the Vertex AI custom job ${name}`,
        () =>
          clients.aiplatform.projects.locations.customJobs.cancel(
            { name },
            context.signal ? { signal: context.signal } : {},
          ),
        clients.deadline,
      );
      break;
    } catch (error) {
      if (!answerUnknown(error)) throw error;
      // Did it arrive? Vertex says CANCELLING (or the job ended meanwhile): then the cancel did its work.
      const now = await getCustomJob(clients, name, context.signal).catch(() => undefined);
      if (now !== undefined && !stillToCancel(handle, now)) break;
      if (attempt >= 2 || now === undefined) throw cancelFailed(error, handle, name);
    }
  }
  await deleteJobSecrets(clients, details, context.ledgerId, handle.jobId);
}

/** Whether a cancel has anything to do: the job neither ended nor being cancelled already. */
function stillToCancel(handle: JobHandle, job: CustomJob): boolean {
  if (job.state === 'JOB_STATE_CANCELLING') return false;
  return !isTerminal(mapVertexJob({ jobId: handle.jobId, job, observedAt: new Date().toISOString() }).state);
}

/**
 * A cancel whose outcome is not known: no answer, a 5xx, or FAILED_PRECONDITION (Vertex refusing to cancel a job
 * that ended between the read and the cancel [U] the code).
 */
function answerUnknown(error: unknown): boolean {
  if (!(error instanceof ProviderError)) return false;
  return error.isRetryable || error.providerCode === 'FAILED_PRECONDITION';
}

function cancelFailed(error: unknown, handle: JobHandle, name: string): ProviderError {
  const cause = error as { message?: string; hint?: string };
  return new ProviderError(
    `the custom job ${name} of job ${handle.jobId} may still be running: ${cause.message ?? String(error)}`,
    error instanceof ProviderError ? error.providerCode : undefined,
    {
      retryable: true,
      hint: `run 'dlrun cancel ${handle.jobId}' again${cause.hint ? `; ${cause.hint}` : ''}`,
      cause: error,
    },
  );
}

/**
 * The `cancel-requested` object, labelled as every object of the job. Written before the cancel, so a status that
 * sees the job CANCELLED always finds it. A write that fails does not stop the cancel (stopping the machines
 * matters more): a cancel past the job's limit may then be reported as the limit reached.
 */
async function markCancelRequested(
  clients: VertexClients,
  details: VertexJobDetails,
  handle: JobHandle,
  context: BackendContext,
): Promise<void> {
  if (!details.bucket) return;
  const name = jobObjects(details, context.ledgerId, handle.jobId).cancelRequested;
  await putText(
    clients.storage,
    stagingOf(details),
    name,
    `dlrun cancel asked at ${new Date().toISOString()}\n`,
    { jobId: handle.jobId, ledgerId: context.ledgerId },
    clients.storageDeadline,
  ).catch(() => undefined);
}

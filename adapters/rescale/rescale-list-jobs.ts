import type { JobId } from '../../src/backend/job-id.js';
import type { JobHandle, JobStatus } from '../../src/backend/training-backend.js';
import type { RescaleClient } from './rescale-client.js';
import { deletedUnsubmitted } from './rescale-delete-job.js';
import { jobIdOfName, rescaleJobName } from './rescale-details.js';

/** A job as `GET /api/v2/jobs/` lists it [V]: its current status is in the list. */
export interface ListedJob {
  readonly id: string;
  readonly name: string;
  readonly description?: string | null;
  readonly jobStatus?: { readonly content?: string | null; readonly statusDate?: string | null } | null;
  readonly dateInserted?: string | null;
}

/** How long a created job may stay unsubmitted before status settles it: a live submit submits in seconds. */
export const UNSUBMITTED_GRACE_MS = 2 * 60_000;

/**
 * Every job of the account that dlrun named (`dlrun <job id>`), every page followed. `search` narrows the list to
 * names with the word dlrun where Rescale honours it [U]; the names are checked here all the same.
 */
export async function listDlrunJobs(client: RescaleClient): Promise<ListedJob[]> {
  const listed = await client.listAll<ListedJob>('/api/v2/jobs/', { search: 'dlrun', page_size: 100 });
  return listed.filter(
    (job) => typeof job?.id === 'string' && typeof job?.name === 'string' && jobIdOfName(job.name) !== undefined,
  );
}

/** The Rescale job of one dlrun job, found by its name; the oldest of two. */
export async function findJobByName(client: RescaleClient, jobId: JobId): Promise<ListedJob | undefined> {
  const name = rescaleJobName(jobId);
  const found = (await listDlrunJobs(client)).filter((job) => job.name === name);
  return found.sort((a, b) => (a.dateInserted ?? '').localeCompare(b.dateInserted ?? ''))[0];
}

/**
 * A job created but never submitted: its submit stopped between the two requests. Once the grace has passed it is
 * deleted, not submitted: a submit the user interrupted must not start a machine they may have meant to stop, and
 * nothing ran or was billed. Within the grace it is left as it is (a submit may be about to send it).
 */
export async function settleUnsubmitted(
  client: RescaleClient,
  handle: JobHandle,
  job: ListedJob,
  observedAt: string,
): Promise<JobStatus> {
  const submittedAt = handle.submittedAt ? Date.parse(handle.submittedAt) : Number.NaN;
  const base = { jobId: handle.jobId, providerState: 'Pending', observedAt, externalId: job.id };
  if (!(Date.now() - submittedAt > UNSUBMITTED_GRACE_MS))
    return { ...base, state: 'submitting', message: 'the Rescale job is created and about to be submitted' };
  if (!(await deletedUnsubmitted(client, `/api/v2/jobs/${encodeURIComponent(job.id)}/`)))
    return {
      ...base,
      state: 'pending',
      phase: 'queued',
      message: 'Rescale has the job submitted; it is not queued yet',
    };
  return {
    ...base,
    state: 'cancelled',
    endedAt: observedAt,
    message:
      `its submit stopped between creating and submitting the Rescale job ${job.id}; dlrun deleted that job ` +
      '(it never ran and costs nothing): submit the job file again to run it',
  };
}

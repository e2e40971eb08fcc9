import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '../../src/base/errors.js';
import type { JobId } from '../../src/backend/job-id.js';
import type { JobHandle, LaunchPlan, SubmitContext } from '../../src/backend/training-backend.js';
import { singleFlight } from '../../src/util/single-flight.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import type { RescaleClient } from './rescale-client.js';
import { submitClient } from './rescale-job-client.js';
import type { RescaleJobDetails } from './rescale-details.js';
import { type RescaleJobBody, rescaleJobBody } from './rescale-job-body.js';
import { findJobByName, type ListedJob } from './rescale-list-jobs.js';
import { newestStatus } from './rescale-cancel.js';
import { RescaleApiError } from './rescale-errors.js';
import { MAX_RETRY_AFTER_MS } from './rescale-retry.js';
import { stageRescaleWorkdir } from './rescale-workdir.js';

/** Attempts at create and at submit, each after a look-up that shows the one before did not happen. */
export const ATTEMPTS = 3;
const PAUSES_MS = [1000, 3000];

/** What a plan made by planRescaleJob launches, kept beside the plan (which is printed as it is). */
export interface RescaleLaunchInput {
  readonly details: RescaleJobDetails;
  readonly command: string;
  /** The job's environment for the bootstrap, secrets not included (they are added at submit). */
  readonly envVars: Readonly<Record<string, string>>;
}

const launchInputs = new WeakMap<LaunchPlan, RescaleLaunchInput>();

export function rememberLaunchInput(plan: LaunchPlan, input: RescaleLaunchInput): void {
  launchInputs.set(plan, input);
}

function inputOf(plan: LaunchPlan): RescaleLaunchInput {
  const input = launchInputs.get(plan);
  if (!input) throw new Error('a Rescale job is launched from the plan planRescaleJob made for it');
  return input;
}

/** Submits of one job in flight in this process: a second submit of the same job waits for the first. */
const oneLaunchPerJob = singleFlight<JobHandle>();

/**
 * Launch a Rescale job, carefully: create and submit take no request id at Rescale, so the job is looked up by its
 * name (`dlrun <job id>`) before the create, before any retry of it and before any second submit; a job found is
 * used, never a second one created. The workdir goes up first (an unchanged one reuses the file uploaded before).
 */
export function launchRescaleJob(plan: LaunchPlan, context: SubmitContext): Promise<JobHandle> {
  return oneLaunchPerJob(`${context.ledgerId}/${plan.jobId}`, () => launchOnce(plan, context));
}

async function launchOnce(plan: LaunchPlan, context: SubmitContext): Promise<JobHandle> {
  const { details, command, envVars } = inputOf(plan);
  const client = submitClient(plan, details.platform, context);
  const found = await findJobByName(client, plan.jobId);
  if (found) {
    if (await isUnsubmitted(client, found)) await submitOnce(client, found.id, context);
    return handleOf(plan, found.id);
  }
  const file = await stageRescaleWorkdir(client, listWorkdir(plan.job.workdir), details.workdirFileName);
  const body = rescaleJobBody({
    jobId: plan.jobId,
    ledgerId: context.ledgerId,
    command,
    hardware: { coreType: details.coreType, coresPerSlot: details.coresPerSlot, slots: details.slots },
    walltimeHours: details.walltimeHours,
    lowPriority: details.lowPriority,
    inputFileId: file.id,
    envVars: { ...envVars, ...secretValues(plan, context) },
  });
  const jobId = await create(client, body, plan.jobId, context);
  // Only the submit starts machines: until then an interrupted submit certainly launched nothing.
  await context.launching?.();
  await submitOnce(client, jobId, context);
  return handleOf(plan, jobId);
}

async function create(client: RescaleClient, body: RescaleJobBody, jobId: JobId, context: SubmitContext) {
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await client.postOnce<{ id?: unknown }>('/api/v2/jobs/', body);
      if (typeof created?.id !== 'string') throw new ProviderError('Rescale created the job but gave no id', 'NO_ID');
      return created.id;
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.isRetryable || attempt >= ATTEMPTS) throw error;
      await sleep(pauseMs(error, attempt), undefined, { signal: context.signal });
      // The create may have been carried out though its answer was lost: look before sending it again.
      const found = await findJobByName(client, jobId);
      if (found) return found.id;
    }
  }
}

/** Submit, once; an answer that is lost is followed by a look at the job's status before any second submit. */
async function submitOnce(client: RescaleClient, id: string, context: SubmitContext): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.postOnce(`/api/v2/jobs/${encodeURIComponent(id)}/submit/`);
      return;
    } catch (error) {
      // Refused, say as submitted already: another submit of this job (a retry in another terminal) got there
      // first, and its status may show Pending for a moment after. Wait for it to move before believing the refusal.
      if (error instanceof ProviderError && !error.isRetryable && (await leavesPending(client, id, context))) return;
      if (!(error instanceof ProviderError) || !error.isRetryable || attempt >= ATTEMPTS) throw error;
      await sleep(pauseMs(error, attempt), undefined, { signal: context.signal });
      if (!(await isUnsubmittedId(client, id))) return;
    }
  }
}

/**
 * The wait before another create or submit: the fixed pause, or longer when a 429 (or 503) said how long to wait in
 * its Retry-After. Before, a 429's Retry-After was ignored here (postOnce does not wait it out, so that the job is
 * looked up first), and the next attempt came back early into the same throttle. A wait longer than
 * MAX_RETRY_AFTER_MS ends the submit with Rescale's message instead.
 */
function pauseMs(error: ProviderError, attempt: number): number {
  const fixed = PAUSES_MS[attempt - 1] ?? 3000;
  const asked = error instanceof RescaleApiError ? error.retryAfterMs : undefined;
  if (asked === undefined) return fixed;
  if (asked > MAX_RETRY_AFTER_MS) throw error;
  return Math.max(fixed, asked);
}

async function isUnsubmitted(client: RescaleClient, job: ListedJob): Promise<boolean> {
  return (job.jobStatus?.content ?? '') === 'Pending' && (await isUnsubmittedId(client, job.id));
}

/** Whether the job's newest status is still Pending (created, never submitted). */
async function isUnsubmittedId(client: RescaleClient, id: string): Promise<boolean> {
  return (await newestStatus(client, id)) === 'Pending';
}

/** Whether the job's status moves past Pending within a few seconds (it was submitted by someone). */
async function leavesPending(client: RescaleClient, id: string, context: SubmitContext): Promise<boolean> {
  for (let look = 0; look < SUBMITTED_LOOKS; look++) {
    if (!(await isUnsubmittedId(client, id))) return true;
    await sleep(1000, undefined, { signal: context.signal });
  }
  return false;
}

const SUBMITTED_LOOKS = 5;

function secretValues(plan: LaunchPlan, context: SubmitContext): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of plan.job.secrets ?? []) values[name] = context.secrets[name] ?? '';
  return values;
}

function handleOf(plan: LaunchPlan, id: string): JobHandle {
  return { jobId: plan.jobId, backend: 'rescale', externalId: id, ...(plan.details ? { details: plan.details } : {}) };
}

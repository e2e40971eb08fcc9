import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '../../src/base/errors.js';
import type { JobHandle, LaunchPlan, SubmitContext } from '../../src/backend/training-backend.js';
import { singleFlight } from '../../src/util/single-flight.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import type { VertexClients } from './vertex-clients.js';
import type { VertexCustomJobBody } from './vertex-custom-job.js';
import { clientsOf, stagingOf } from './vertex-details.js';
import { google } from './vertex-errors.js';
import { type CustomJob, findJob, parentOf } from './vertex-list-jobs.js';
import { launchInputOf } from './vertex-plan.js';
import { stageSecrets } from './vertex-secrets.js';
import { checkStagingBucket, stageWorkdir } from './vertex-staging.js';

/** Attempts at customJobs.create, and the pauses between them (each retry preceded by a look-up by label). */
export const CREATE_ATTEMPTS = 4;
const CREATE_PAUSES_MS = [1000, 2000, 4000];

/** Submits of one job in flight in this process: a second submit of the same job waits for the first. */
const oneLaunchPerJob = singleFlight<JobHandle>();

/**
 * Checks that need Google's answer but create nothing, before the ledger row is written: the project is known, the
 * credentials may list custom jobs in the region (the API is reachable), and the staging bucket exists and may be
 * written. A job refused here leaves no trace.
 */
export async function preflightVertexJob(plan: LaunchPlan, context: SubmitContext): Promise<void> {
  const { details } = inputOf(plan);
  const clients = clientsOf(details, context);
  const parent = parentOf(await clients.project(), details.region);
  await findJob(clients, parent, context.ledgerId, plan.jobId, context.signal);
  await checkStagingBucket(
    clients.storage,
    stagingOf(details),
    { jobId: plan.jobId, ledgerId: context.ledgerId },
    clients.storageDeadline,
  );
}

/**
 * Launch a Vertex AI custom job, idempotently: CustomJob creation takes no request id, so the job is looked up by
 * its labels before the create and before every retry of it; a job found is returned, never a second one created.
 * The workdir is staged first (content-addressed: an unchanged workdir is not uploaded again), then the secrets.
 */
export function launchVertexJob(plan: LaunchPlan, context: SubmitContext): Promise<JobHandle> {
  return oneLaunchPerJob(`${context.ledgerId}/${plan.jobId}`, () => launchOnce(plan, context));
}

async function launchOnce(plan: LaunchPlan, context: SubmitContext): Promise<JobHandle> {
  const { details, body } = inputOf(plan);
  const clients = clientsOf(details, context);
  const parent = parentOf(await clients.project(), details.region);
  const found = await findJob(clients, parent, context.ledgerId, plan.jobId, context.signal);
  if (found) return handleOf(plan, found);
  const labels = { jobId: plan.jobId, ledgerId: context.ledgerId };
  await stageWorkdir(clients.storage, stagingOf(details), labels, listWorkdir(plan.job.workdir), {
    plannedName: details.workdirObject ?? undefined,
    deadline: clients.storageDeadline,
  });
  // The secrets go to their own object, which the bootstrap reads: never into the CustomJob, which Vertex shows.
  if (details.secrets) await stageSecrets(clients, details, context.ledgerId, plan.jobId, secretValues(plan, context));
  await context.launching?.();
  return handleOf(plan, await create(clients, parent, body, plan, context));
}

async function create(
  clients: VertexClients,
  parent: string,
  body: VertexCustomJobBody,
  plan: LaunchPlan,
  context: SubmitContext,
): Promise<CustomJob> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await google(
        `creating the Vertex AI custom job in ${parent}`,
        () =>
          clients.aiplatform.projects.locations.customJobs.create(
            { parent, requestBody: body as never },
            context.signal ? { signal: context.signal } : {},
          ),
        clients.deadline,
      );
      return data;
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.isRetryable || attempt >= CREATE_ATTEMPTS) throw error;
      await sleep(CREATE_PAUSES_MS[attempt - 1] ?? 4000, undefined, { signal: context.signal });
      // The create may have been carried out though its answer was lost: look before sending it again.
      const found = await findJob(clients, parent, context.ledgerId, plan.jobId, context.signal);
      if (found) return found;
    }
  }
}

function secretValues(plan: LaunchPlan, context: SubmitContext): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of plan.job.secrets ?? []) values[name] = context.secrets[name] ?? '';
  return values;
}

function inputOf(plan: LaunchPlan) {
  const input = launchInputOf(plan);
  if (!input) throw new Error('a Vertex AI job is launched from the plan planVertexJob made for it');
  return input;
}

function handleOf(plan: LaunchPlan, job: CustomJob): JobHandle {
  return {
    jobId: plan.jobId,
    backend: 'vertex',
    externalId: job.name ?? null,
    ...(plan.details ? { details: plan.details } : {}),
  };
}

import type {
  BackendContext,
  JobHandle,
  LaunchPlan,
  SubmitContext,
  TrainingBackend,
} from '../../src/backend/training-backend.js';
import { vertexBillingFacts } from './vertex-billing-facts.js';
import { cancelVertexJob } from './vertex-cancel.js';
import { vertexCapabilities } from './vertex-capabilities.js';
import { checkVertex } from './vertex-check.js';
import { clientsOf, decodeVertexDetails } from './vertex-details.js';
import { vertexEndpoints } from './vertex-endpoints.js';
import { findVertexGarbage, removeVertexGarbage } from './vertex-garbage.js';
import { launchVertexJob, preflightVertexJob } from './vertex-launch.js';
import { jobIdLabel, ledgerFilter, listCustomJobs, parentOf } from './vertex-list-jobs.js';
import { vertexLogs } from './vertex-logs.js';
import { pullVertexOutputs } from './vertex-outputs.js';
import { planVertexJob } from './vertex-plan.js';
import { vertexStatus } from './vertex-status.js';

/**
 * The Vertex AI backend: custom training jobs created through the aiplatform v1 API, staged in and reported through
 * a Cloud Storage bucket, stopped by Vertex's own scheduling.timeout.
 */
export function createBackend(): TrainingBackend {
  return {
    name: 'vertex',
    capabilities: vertexCapabilities,
    plan: planVertexJob,
    submit,
    preflight,
    announcesLaunch: true,
    status: vertexStatus,
    cancel: cancelVertexJob,
    logs: vertexLogs,
    billingFacts: vertexBillingFacts,
    pullOutputs: pullVertexOutputs,
    list,
    check: checkVertex,
    endpoints: vertexEndpoints,
    findGarbage: findVertexGarbage,
    removeGarbage: removeVertexGarbage,
  };
}

/** Plans preflight has checked: submit does not ask Google the same questions a second time. */
const checked = new WeakSet<object>();

async function submit(plan: LaunchPlan, context: SubmitContext): Promise<JobHandle> {
  if (!checked.has(plan)) await preflight(plan, context);
  return launchVertexJob(plan, context);
}

async function preflight(plan: LaunchPlan, context: SubmitContext): Promise<void> {
  await preflightVertexJob(plan, context);
  checked.add(plan);
}

/** Every custom job labelled with this ledger's id, in the region and project the settings name. */
async function list(context: BackendContext): Promise<JobHandle[]> {
  const details = decodeVertexDetails(undefined, context);
  const clients = clientsOf(details, context);
  const parent = parentOf(await clients.project(), details.region);
  const jobs = await listCustomJobs(clients, parent, ledgerFilter(context.ledgerId), context.signal);
  return jobs.flatMap((job) => {
    const jobId = jobIdLabel(job);
    return jobId
      ? [{ jobId: jobId as JobHandle['jobId'], backend: 'vertex' as const, externalId: job.name ?? null }]
      : [];
  });
}

import type {
  BackendContext,
  JobHandle,
  LaunchPlan,
  SubmitContext,
  TrainingBackend,
} from '../../src/backend/training-backend.js';
import { mapLimited } from '../../src/util/map-limited.js';
import { cancelRescaleJob } from './rescale-cancel.js';
import { rescaleCapabilities } from './rescale-capabilities.js';
import { checkRescale } from './rescale-check.js';
import { rescaleClient } from './rescale-client.js';
import { jobIdOfName, startedByLedger } from './rescale-details.js';
import { rescaleEndpoints } from './rescale-endpoints.js';
import { findRescaleGarbage, removeRescaleGarbage } from './rescale-garbage.js';
import { launchRescaleJob } from './rescale-launch.js';
import { listDlrunJobs } from './rescale-list-jobs.js';
import { rescaleLogs } from './rescale-logs.js';
import { pullRescaleOutputs } from './rescale-outputs.js';
import { planRescaleJob } from './rescale-plan.js';
import { rescalePlatform } from './rescale-platform.js';
import { preflightRescaleJob } from './rescale-preflight.js';
import { rescaleStatus } from './rescale-status.js';

/**
 * The Rescale backend: one job with one analysis through Rescale's REST API v2, its command dlrun's bootstrap,
 * stopped by Rescale's walltime and by the bootstrap at the job's exact limit.
 */
export function createBackend(): TrainingBackend {
  return {
    name: 'rescale',
    capabilities: rescaleCapabilities,
    plan: planRescaleJob,
    submit,
    preflight,
    announcesLaunch: true,
    status: rescaleStatus,
    cancel: cancelRescaleJob,
    logs: rescaleLogs,
    pullOutputs: pullRescaleOutputs,
    list,
    check: checkRescale,
    endpoints: rescaleEndpoints,
    findGarbage: findRescaleGarbage,
    removeGarbage: removeRescaleGarbage,
  };
}

const checked = new WeakSet<object>();

async function submit(plan: LaunchPlan, context: SubmitContext): Promise<JobHandle> {
  if (!checked.has(plan)) await preflight(plan, context);
  return launchRescaleJob(plan, context);
}

async function preflight(plan: LaunchPlan, context: SubmitContext): Promise<void> {
  await preflightRescaleJob(plan, context);
  checked.add(plan);
}

/**
 * Every Rescale job this ledger started on the platform the settings name: dlrun's name in the list, and the ledger
 * in the job's description, which only the job's own record has (a request per dlrun job; `list` is for gc and
 * reconcile, not the status of every minute).
 */
async function list(context: BackendContext): Promise<JobHandle[]> {
  const client = rescaleClient(rescalePlatform(undefined, context.env, context.fromDotenv), context);
  const jobs = await listDlrunJobs(client);
  const described = await mapLimited(jobs, 8, (job) =>
    client.get<{ description?: unknown }>(`/api/v2/jobs/${encodeURIComponent(job.id)}/`),
  );
  return jobs
    .filter((_, index) => {
      const description = described[index]?.description;
      return typeof description === 'string' && startedByLedger(description, context.ledgerId);
    })
    .map((job) => ({
      jobId: jobIdOfName(job.name) as JobHandle['jobId'],
      backend: 'rescale' as const,
      externalId: job.id,
    }));
}

import type { JobId } from '../../src/backend/job-id.js';
import { DlrunError } from '../../src/base/errors.js';
import type { BackendContext, JobHandle, SubmitContext, TrainingBackend } from '../../src/backend/training-backend.js';
import { formatDuration } from '../../src/util/format-duration.js';
import { ec2BillingFacts } from './ec2-billing-facts.js';
import { cancelEc2Job } from './ec2-cancel.js';
import { ec2Capabilities } from './ec2-capabilities.js';
import { checkEc2 } from './ec2-check.js';
import { regionOf } from './aws-region.js';
import { ec2Clients } from './ec2-clients.js';
import { ec2Endpoints } from './ec2-endpoints.js';
import { findEc2Garbage, removeEc2Garbage } from './ec2-garbage.js';
import { ledgerInstances } from './ec2-instances.js';
import { type Ec2JobDetails, decodeEc2Details } from './ec2-details.js';
import { launchEc2Job } from './ec2-launch.js';
import { ec2Logs } from './ec2-logs.js';
import { ec2Usage } from './ec2-usage.js';
import { planEc2Job } from './ec2-plan.js';
import { UPLOAD_MARGIN_MINUTES } from './ec2-requests.js';
import { pullEc2Outputs } from './ec2-outputs.js';
import { ec2Status } from './ec2-status.js';

/**
 * The EC2 backend: machines launched through the EC2 API, staged and reported through S3, stopped by their own timer.
 */
export function createBackend(): TrainingBackend {
  return {
    name: 'ec2',
    capabilities: ec2Capabilities,
    plan: planEc2Job,
    submit,
    preflight,
    announcesLaunch: true,
    status: ec2Status,
    cancel: cancelEc2Job,
    logs: ec2Logs,
    usage: ec2Usage,
    billingFacts: ec2BillingFacts,
    pullOutputs: pullEc2Outputs,
    list,
    check: checkEc2,
    endpoints: ec2Endpoints,
    findGarbage: findEc2Garbage,
    removeGarbage: removeEc2Garbage,
  };
}

/** Plans whose credentials preflight has checked: submit does not resolve the credential chain a second time. */
const checked = new WeakSet<object>();

async function submit(plan: Parameters<TrainingBackend['submit']>[0], context: SubmitContext): Promise<JobHandle> {
  // A caller of the backend that skips preflight must not launch with credentials that will expire either.
  if (!checked.has(plan)) await preflight(plan, context);
  return launchEc2Job(plan, context, decodeEc2Details(plan.details, context));
}

async function preflight(plan: Parameters<TrainingBackend['submit']>[0], context: SubmitContext): Promise<void> {
  const details = decodeEc2Details(plan.details, context);
  await refuseExpiringCredentials(details.region, credentialsNeededSeconds(details), context);
  checked.add(plan);
}

/** Time for a machine to boot before its job starts, in the credentials' reckoning. */
const BOOT_SECONDS = 5 * 60;

/**
 * How long the machine relies on URLs signed now: boot, the job's limit, then the final uploads its stop timer
 * allows. Not the URLs' own lifetime, which adds an hour of slack; a job without a limit needs them indefinitely.
 */
function credentialsNeededSeconds(details: Ec2JobDetails): number {
  const limit = details.stopAfter.seconds;
  return limit === null ? Infinity : BOOT_SECONDS + limit + UPLOAD_MARGIN_MINUTES * 60;
}

/**
 * Presigned URLs stop working when the credentials that signed them expire; the machine could not upload its log,
 * outputs and result after that. Temporary credentials that expire before the job's limit are refused, with the fix.
 */
async function refuseExpiringCredentials(
  region: string,
  lifetimeSeconds: number,
  context: BackendContext,
): Promise<void> {
  const { ec2 } = ec2Clients(region, context);
  const credentials = await ec2.config.credentials().catch((error: unknown) => {
    throw new DlrunError(`no AWS credentials were found: ${(error as Error).message}`, {
      hint: 'run aws configure, set AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (.env works too)',
    });
  });
  const expiration = credentials.expiration;
  if (expiration && !(expiration.getTime() >= Date.now() + lifetimeSeconds * 1000)) {
    const limit = Number.isFinite(lifetimeSeconds)
      ? `${formatDuration(lifetimeSeconds)} from now, with time to start and upload`
      : 'the job has no limit';
    throw new DlrunError(
      `your AWS credentials are temporary and expire at ${expiration.toISOString()}, ` +
        `before this job's limit is reached (${limit}): ` +
        'the machine could not upload its log and outputs after that',
      {
        hint:
          'use long-lived credentials (a profile with an access key), get a longer session, ' +
          'or lower limits.max_runtime',
      },
    );
  }
}

async function list(context: BackendContext): Promise<JobHandle[]> {
  const { ec2 } = ec2Clients(regionOf(undefined, context.env), context);
  const byJob = new Map<JobId, string[]>();
  for (const { jobId, instance } of await ledgerInstances(ec2, context.ledgerId))
    byJob.set(jobId, [...(byJob.get(jobId) ?? []), instance.InstanceId!]);
  return [...byJob].map(([jobId, ids]) => ({ jobId, backend: 'ec2', externalId: ids.join(',') }));
}

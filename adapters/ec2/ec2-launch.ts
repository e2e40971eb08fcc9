import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EC2Client, Instance } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import { DlrunError, ProviderError } from '../../src/base/errors.js';
import type { JobHandle, LaunchPlan, SubmitContext } from '../../src/backend/training-backend.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import { ec2Clients } from './ec2-clients.js';
import { createClusterNetwork, deleteClusterNetwork } from './ec2-cluster.js';
import type { Ec2JobDetails } from './ec2-details.js';
import { resolveImage, rootDeviceOf } from './ec2-image.js';
import { ledgerInstances } from './ec2-instances.js';
import {
  type BuiltLaunch,
  type Ec2LaunchInput,
  type LaunchName,
  type LaunchValues,
  launchRequests,
  nodesText,
  ranksOf,
  secretsBody,
  secretsRequests,
  type UrlNeed,
  urlNeedId,
  urlsNeeded,
} from './ec2-requests.js';
import { runInstances } from './ec2-run-instances.js';
import { awsSdk } from './ec2-sdk.js';
import { ensureBucket, presign, putText, stageWorkdir } from './ec2-staging.js';
import { uploadPartBytes } from './ec2-upload.js';

/** How long node 0 may take to get its private address before the other nodes can be told it. */
const ADDRESS_TIMEOUT_MS = 120_000;

/**
 * Launch an EC2 job, idempotently: instances tagged with the job id are looked up first (and a retry finds them),
 * then every RunInstances call carries a ClientToken derived from the job id. Node 0 is launched first; the other
 * nodes are launched all at once (or not at all) and told node 0's private address.
 */
export async function launchEc2Job(
  plan: LaunchPlan,
  context: SubmitContext,
  details: Ec2JobDetails,
): Promise<JobHandle> {
  const { ec2, s3 } = ec2Clients(details.region, context);
  const existing = await ledgerInstances(ec2, context.ledgerId, [plan.jobId]);
  if (existing.length)
    return handleOf(
      plan.jobId,
      existing.map((found) => found.instance),
    );
  const input: Ec2LaunchInput = { jobId: plan.jobId, ledgerId: context.ledgerId, job: plan.job, details };
  await ensureBucket(s3, details.bucket, details.region, context.ledgerId);
  await stageWorkdir(s3, details.bucket, context.ledgerId, listWorkdir(plan.job.workdir), {
    plannedKey: details.workdirKey,
    partBytes: uploadPartBytes(context.env),
  });
  const imageId = await resolveImage(details.image, details.region, context);
  const rootDevice = details.rootVolumeGib ? await rootDeviceOf(ec2, imageId) : undefined;
  const securityGroupId = details.nodes > 1 ? await createClusterNetwork(ec2, input) : undefined;
  // RunInstances is retried by dlrun itself, with a look-up by tag before each retry (runInstances below).
  const launcher = ec2Clients(details.region, context, 1).ec2;
  let announced = false;
  const launch = async (name: LaunchName, masterAddress: string | undefined): Promise<Instance[]> => {
    const built = await signedLaunch(s3, input, name, { imageId, rootDevice, securityGroupId, masterAddress });
    await Promise.all(built.bootstraps.map((bootstrap) => putText(s3, bootstrap.body)));
    if (!announced) {
      announced = true;
      await context.launching?.();
    }
    const count = built.ranks.length;
    return runInstances(
      launcher,
      ec2,
      context.ledgerId,
      plan.jobId,
      name,
      built.runInstances.body,
      `launching ${count} ${details.instanceType} instance${count === 1 ? '' : 's'}`,
    );
  };
  for (const secrets of secretsRequests(input, secretsBody(plan.job.secrets ?? [], context.secrets)))
    await putText(s3, secrets.body);
  const leader = await launch('node-0', undefined);
  if (details.nodes === 1) return handleOf(plan.jobId, leader);
  try {
    const address = await privateAddress(ec2, leader[0]!.InstanceId!);
    const workers = await launch('workers', address);
    return handleOf(plan.jobId, [...leader, ...workers]);
  } catch (error) {
    throw await abandonLaunch(ec2, plan.jobId, context.ledgerId, details.nodes, leader, error);
  }
}

/**
 * One launch's requests with real URLs. Each launch signs its own when it happens: the workers, launched once node 0
 * has an address, get a boot window of their own.
 */
async function signedLaunch(
  s3: S3Client,
  input: Ec2LaunchInput,
  name: LaunchName,
  values: Omit<LaunchValues, 'url'>,
): Promise<BuiltLaunch> {
  const bucket = input.details.bucket;
  const signed = new Map(
    await Promise.all(
      urlsNeeded(input, name, values).map(
        async (need) => [urlNeedId(need), await presign(s3, bucket, need.key, need.method, need.seconds)] as const,
      ),
    ),
  );
  const url = (need: UrlNeed): string => {
    const found = signed.get(urlNeedId(need));
    if (found === undefined) throw new DlrunError(`no URL was signed for ${urlNeedId(need)}`, { audience: 'internal' });
    return found;
  };
  return launchRequests(input, name, { ...values, url });
}

/**
 * All or nothing: a multi-node job without all its nodes would only bill. Every instance of the job is terminated,
 * not only node 0: a worker launch whose answer was lost may still have started machines. The job's groups are
 * deleted where EC2 already allows it (`dlrun gc` finishes once the instances are gone). The error is final (not
 * retryable), so submit records the job as failed, and says what became of node 0.
 */
async function abandonLaunch(
  ec2: EC2Client,
  jobId: JobId,
  ledgerId: LedgerId,
  nodes: number,
  leader: readonly Instance[],
  error: unknown,
): Promise<ProviderError> {
  const { ec2: sdk } = awsSdk();
  const tagged = await ledgerInstances(ec2, ledgerId, [jobId]).catch(() => []);
  const ids = [
    ...new Set([
      ...leader.map((instance) => instance.InstanceId!),
      ...tagged.map(({ instance }) => instance.InstanceId!),
    ]),
  ];
  const terminated = await ec2.send(new sdk.TerminateInstancesCommand({ InstanceIds: ids })).then(
    () => true,
    () => false,
  );
  if (terminated) await deleteClusterNetwork(ec2, jobId).catch(() => false);
  const cause = error as { message?: string; providerCode?: string; hint?: string };
  const workers = nodesText(ranksOf('workers', nodes));
  const leaderIds = leader.map((instance) => instance.InstanceId).join(', ');
  const outcome = terminated
    ? `node 0 (${leaderIds}) was terminated: a ${nodes}-node job runs with all its nodes or not at all`
    : `node 0 (${leaderIds}) could not be terminated and may still bill: run 'dlrun cancel ${jobId}'`;
  return new ProviderError(
    `${workers} could not be launched (${cause.message ?? String(error)}); ${outcome}`,
    cause.providerCode,
    {
      retryable: false,
      hint: cause.hint ?? 'submit the job again',
      cause: error,
    },
  );
}

function handleOf(jobId: JobId, instances: readonly Instance[]): JobHandle {
  return {
    jobId,
    backend: 'ec2',
    externalId:
      instances
        .map((instance) => instance.InstanceId)
        .filter(Boolean)
        .join(',') || null,
  };
}

async function privateAddress(ec2: EC2Client, instanceId: string): Promise<string> {
  const { ec2: sdk } = awsSdk();
  const deadline = Date.now() + ADDRESS_TIMEOUT_MS;
  for (;;) {
    try {
      const answer = await ec2.send(new sdk.DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const address = answer.Reservations?.[0]?.Instances?.[0]?.PrivateIpAddress;
      if (address) return address;
    } catch (error) {
      // A just-launched id may be unknown for a few seconds (EC2 is eventually consistent).
      if ((error as { name?: string }).name !== 'InvalidInstanceID.NotFound') throw error;
    }
    if (Date.now() > deadline)
      throw new ProviderError(
        `node 0 (${instanceId}) got no private address in ${ADDRESS_TIMEOUT_MS / 1000} s; the job was not launched`,
        undefined,
        { retryable: true },
      );
    await sleep(2_000);
  }
}

import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EC2Client, Instance, RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import { ProviderError } from '../../src/base/errors.js';
import { DEFAULT_MASTER_PORT } from '../../src/backend/job-environment.js';
import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';
import type { JobHandle, LaunchPlan, SubmitContext } from '../../src/backend/training-backend.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import type { Ec2BootstrapInput, Ec2NodeUrls } from './ec2-bootstrap-input.js';
import { ec2Clients } from './ec2-clients.js';
import { resolveImage, rootDeviceOf } from './ec2-image.js';
import { LAUNCH_TAG, ledgerInstances } from './ec2-instances.js';
import { createClusterNetwork, deleteClusterNetwork, type ClusterNetwork } from './ec2-cluster.js';
import { runInstances } from './ec2-run-instances.js';
import type { Ec2PlanDetails } from './ec2-plan-details.js';
import { awsSdk } from './ec2-sdk.js';
import { shellQuote } from './ec2-shell-quote.js';
import { ensureBucket, jobPrefix, objectTagging, presign, putText, stageWorkdir } from './ec2-staging.js';
import { uploadPartBytes } from './ec2-upload.js';
import { encodeUserData, renderBootstrap, renderStub } from './ec2-user-data.js';

/** Seconds between the machine's log uploads. */
const LOG_INTERVAL_SECONDS = 15;

/**
 * How long the URLs that lead to the job's secrets and code live, from the moment they are signed (just before
 * RunInstances): the user data's bootstrap URLs, the secrets and workdir URLs in the bootstrap. An instance is
 * running within a minute or two of RunInstances and cloud-init starts the user data a minute or two later (a Deep
 * Learning AMI on a GPU type is among the slowest); 15 minutes leaves room for a slow boot and a retried fetch, and
 * bounds how long anyone who can read the user data (DescribeInstanceAttribute, or a process on the machine through
 * the instance metadata) could follow it to a secret the machine has not read yet. The machine deletes both the
 * bootstrap and the secrets object once it has read them, so after boot the URLs lead to nothing at all.
 */
export const BOOT_WINDOW_SECONDS = 15 * 60;
/** How long node 0 may take to get its private address before the other nodes can be told it. */
const ADDRESS_TIMEOUT_MS = 120_000;

/** The bootstrap of one node: fetched once by that machine's user data stub, which then deletes it. */
export function bootstrapKey(ledgerId: string, jobId: string, rank: number): string {
  return `${jobPrefix(ledgerId, jobId)}bootstrap-node-${rank}.sh`;
}

/** The keys of one node's objects. */
export function nodeKeys(
  ledgerId: string,
  jobId: string,
  rank: number,
): Record<'log' | 'markers' | 'result' | 'outputs' | 'secrets' | 'address', string> {
  const base = `${jobPrefix(ledgerId, jobId)}nodes/${rank}/`;
  return {
    log: `${base}output.log`,
    markers: `${base}markers`,
    result: `${base}result`,
    outputs: `${base}outputs.tar.gz`,
    secrets: `${base}secrets.sh`,
    address: `${base}address`,
  };
}

/** Minutes the machine's own stop timer allows beyond the job's limit: the final log, outputs and result uploads. */
export const UPLOAD_MARGIN_MINUTES = 10;

/** The stop timer of the user data stub: the job's limit plus the upload margin, in whole minutes. */
export function shutdownAfterMinutes(stopAfterSeconds: number | null): number | null {
  return stopAfterSeconds === null ? null : Math.ceil(stopAfterSeconds / 60) + UPLOAD_MARGIN_MINUTES;
}

/**
 * A ClientToken derived from the job id and the launch, so that a retried RunInstances (a crash, a timeout, a
 * second submit of the same job id) is the same request to EC2, which launches nothing new. At most 64 characters
 * (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html).
 */
function clientToken(jobId: string, launch: string): string {
  return `dlrun-${createHash('sha256').update(`${jobId}/${launch}`).digest('hex').slice(0, 40)}`;
}

/**
 * Launch an EC2 job, idempotently: instances tagged with the job id are looked up first (and a retry finds them),
 * then every RunInstances call carries a ClientToken derived from the job id. Node 0 is launched first; the other
 * nodes are launched all at once (or not at all) and told node 0's private address.
 */
export async function launchEc2Job(
  plan: LaunchPlan,
  context: SubmitContext,
  details: Ec2PlanDetails,
): Promise<JobHandle> {
  const { ec2, s3 } = ec2Clients(details.region, context);
  const existing = await ledgerInstances(ec2, context.ledgerId, [plan.jobId]);
  if (existing.length)
    return handleOf(
      plan.jobId,
      existing.map((found) => found.instance),
    );
  await ensureBucket(s3, details.bucket, details.region, context.ledgerId);
  const workdir = await stageWorkdir(s3, details.bucket, context.ledgerId, listWorkdir(plan.job.workdir), {
    plannedKey: details.workdirKey,
    partBytes: uploadPartBytes(context.env),
  });
  const imageId = await resolveImage(details.image, details.region, context);
  const rootDevice = details.rootVolumeGib ? await rootDeviceOf(ec2, imageId) : undefined;
  const network = details.nodes > 1 ? await createClusterNetwork(ec2, plan, context.ledgerId) : undefined;
  // Each launch signs its own URLs when it happens: the workers, launched once node 0 has an address, get a boot
  // window of their own. Each machine gets a bootstrap of its own (read once, then deleted by it), picked by its
  // launch index, so that no machine's deletion takes a sibling's bootstrap away.
  const launch = async (ranks: number[], name: string, masterAddress: string | undefined): Promise<Instance[]> => {
    const addressUrls = exchangesAddresses(plan, details)
      ? await Promise.all(
          Array.from({ length: details.nodes }, (_, rank) =>
            presign(
              s3,
              details.bucket,
              nodeKeys(context.ledgerId, plan.jobId, rank).address,
              'GET',
              details.urlLifetimeSeconds,
            ),
          ),
        )
      : [];
    const workdirUrl = await presign(s3, details.bucket, workdir.key, 'GET', BOOT_WINDOW_SECONDS);
    const bootstraps = await Promise.all(
      ranks.map(async (rank) => {
        const key = bootstrapKey(context.ledgerId, plan.jobId, rank);
        const urls = await urlsOf(s3, details, context, plan, rank);
        await putText(
          s3,
          details.bucket,
          key,
          renderBootstrap(bootstrapInput(plan, details, rank, masterAddress, urls, workdirUrl, addressUrls)),
          objectTagging(plan.jobId, context.ledgerId),
        );
        return {
          get: await presign(s3, details.bucket, key, 'GET', BOOT_WINDOW_SECONDS),
          delete: await presign(s3, details.bucket, key, 'DELETE', BOOT_WINDOW_SECONDS),
        };
      }),
    );
    const stub = renderStub({
      jobId: plan.jobId,
      bootstraps,
      shutdownAfterMinutes: shutdownAfterMinutes(details.stopAfter.seconds),
    });
    const request = runInstancesRequest(plan, details, context.ledgerId, {
      imageId,
      rootDevice,
      network,
      count: ranks.length,
      launch: name,
      userData: encodeUserData(stub),
    });
    if (!announced) {
      announced = true;
      await context.launching?.();
    }
    return runInstances(
      launcher,
      ec2,
      context.ledgerId,
      plan.jobId,
      name,
      request,
      `launching ${ranks.length} ${details.instanceType} instance${ranks.length === 1 ? '' : 's'}`,
    );
  };
  // RunInstances is retried by dlrun itself, with a look-up by tag before each retry (runInstances below).
  const launcher = ec2Clients(details.region, context, 1).ec2;
  let announced = false;
  await writeSecrets(s3, details, context, plan.jobId);
  const leader = await launch([0], 'node-0', undefined);
  if (details.nodes === 1) return handleOf(plan.jobId, leader);
  try {
    const address = await privateAddress(ec2, leader[0]!.InstanceId!);
    const workers = await launch(
      Array.from({ length: details.nodes - 1 }, (_, index) => index + 1),
      'workers',
      address,
    );
    return handleOf(plan.jobId, [...leader, ...workers]);
  } catch (error) {
    throw await abandonLaunch(ec2, plan.jobId, context.ledgerId, details.nodes, leader, error);
  }
}

/**
 * All or nothing: a multi-node job without all its nodes would only bill. Every instance of the job is terminated,
 * not only node 0: a worker launch whose answer was lost may still have started machines. The job's groups are
 * deleted where EC2 already allows it (`dlrun gc` finishes once the instances are gone). The error is final (not
 * retryable), so submit records the job as failed, and says what became of node 0.
 */
async function abandonLaunch(
  ec2: EC2Client,
  jobId: string,
  ledgerId: string,
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
  const workers = nodes === 2 ? 'node 1' : `nodes 1-${nodes - 1}`;
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

function handleOf(jobId: string, instances: readonly Instance[]): JobHandle {
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

/** The RunInstances request, exactly as sent (and, with placeholders for what only submit knows, as a dry run shows it). */
export function runInstancesRequest(
  plan: LaunchPlan,
  details: Ec2PlanDetails,
  ledgerId: string,
  launch: {
    imageId: string;
    rootDevice: string | undefined;
    network: ClusterNetwork | undefined;
    count: number;
    launch: string;
    userData: string;
  },
): RunInstancesCommandInput {
  const options = plan.job.backends?.ec2;
  const tags = [
    { Key: JOB_ID_TAG, Value: plan.jobId },
    { Key: LEDGER_TAG, Value: ledgerId },
    { Key: LAUNCH_TAG, Value: launch.launch },
    { Key: 'Name', Value: `dlrun ${plan.jobId}` },
  ];
  const securityGroups = [
    ...(options?.security_groups ?? []),
    ...(launch.network ? [launch.network.securityGroupId] : []),
  ];
  return {
    ImageId: launch.imageId,
    InstanceType: details.instanceType as RunInstancesCommandInput['InstanceType'],
    MinCount: launch.count,
    MaxCount: launch.count,
    UserData: launch.userData,
    ClientToken: clientToken(plan.jobId, launch.launch),
    // An OS shutdown (the job's end, or the machine's own timer) terminates: a stopped machine's disks still bill.
    InstanceInitiatedShutdownBehavior: 'terminate',
    TagSpecifications: [
      { ResourceType: 'instance', Tags: tags },
      { ResourceType: 'volume', Tags: tags },
    ],
    MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
    ...(options?.subnet ? { SubnetId: options.subnet } : {}),
    ...(securityGroups.length ? { SecurityGroupIds: securityGroups } : {}),
    ...(options?.key_name ? { KeyName: options.key_name } : {}),
    ...(options?.iam_instance_profile
      ? {
          IamInstanceProfile: options.iam_instance_profile.startsWith('arn:')
            ? { Arn: options.iam_instance_profile }
            : { Name: options.iam_instance_profile },
        }
      : {}),
    ...(launch.network ? { Placement: { GroupName: launch.network.placementGroup } } : {}),
    ...(details.spot
      ? {
          InstanceMarketOptions: {
            MarketType: 'spot',
            SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' },
          },
        }
      : {}),
    ...(details.rootVolumeGib && launch.rootDevice
      ? {
          BlockDeviceMappings: [
            {
              DeviceName: launch.rootDevice,
              Ebs: { VolumeSize: Math.ceil(details.rootVolumeGib), VolumeType: 'gp3', DeleteOnTermination: true },
            },
          ],
        }
      : {}),
  };
}

/** TensorFlow on several nodes wants every node's address (TF_CONFIG); the nodes exchange them through S3. */
function exchangesAddresses(plan: LaunchPlan, details: Ec2PlanDetails): boolean {
  return details.nodes > 1 && plan.job.framework?.name === 'tensorflow';
}

function bootstrapInput(
  plan: LaunchPlan,
  details: Ec2PlanDetails,
  rank: number,
  masterAddress: string | undefined,
  urls: Ec2NodeUrls,
  workdirUrl: string,
  addressUrls: string[],
): Ec2BootstrapInput {
  const job = plan.job;
  return {
    jobId: plan.jobId,
    nodes: details.nodes,
    rank,
    masterAddress,
    masterPort: DEFAULT_MASTER_PORT,
    gpusPerNode: job.resources.gpu?.count ?? 0,
    tensorflow: job.framework?.name === 'tensorflow',
    env: job.env ?? {},
    setup: job.setup,
    run: job.run,
    outputs: job.outputs,
    workdirUrl,
    stopAfterSeconds: details.stopAfter.seconds,
    stopReason: details.stopAfter.reason,
    logIntervalSeconds: LOG_INTERVAL_SECONDS,
    urls,
    addressUrls,
  };
}

async function urlsOf(
  s3: S3Client,
  details: Ec2PlanDetails,
  context: SubmitContext,
  plan: LaunchPlan,
  rank: number,
): Promise<Ec2NodeUrls> {
  const keys = nodeKeys(context.ledgerId, plan.jobId, rank);
  const lifetime = details.urlLifetimeSeconds;
  const hasSecrets = Object.keys(context.secrets).length > 0;
  // Secrets are read once, right after boot: their URLs live only as long as a machine takes to start.
  const secretsLifetime = BOOT_WINDOW_SECONDS;
  return {
    log: await presign(s3, details.bucket, keys.log, 'PUT', lifetime),
    markers: await presign(s3, details.bucket, keys.markers, 'PUT', lifetime),
    result: await presign(s3, details.bucket, keys.result, 'PUT', lifetime),
    outputs: rank === 0 ? await presign(s3, details.bucket, keys.outputs, 'PUT', lifetime) : null,
    secretsGet: hasSecrets ? await presign(s3, details.bucket, keys.secrets, 'GET', secretsLifetime) : null,
    secretsDelete: hasSecrets ? await presign(s3, details.bucket, keys.secrets, 'DELETE', secretsLifetime) : null,
    address: exchangesAddresses(plan, details)
      ? await presign(s3, details.bucket, keys.address, 'PUT', lifetime)
      : null,
  };
}

/** One short-lived object per node holding the secrets' values; the node reads it once and deletes it. */
async function writeSecrets(
  s3: S3Client,
  details: Ec2PlanDetails,
  context: SubmitContext,
  jobId: string,
): Promise<void> {
  const entries = Object.entries(context.secrets);
  if (!entries.length) return;
  const body = `${entries.map(([name, value]) => `export ${name}=${shellQuote(value, `the secret ${name}`)}`).join('\n')}\n`;
  for (let rank = 0; rank < details.nodes; rank++)
    await putText(
      s3,
      details.bucket,
      nodeKeys(context.ledgerId, jobId, rank).secrets,
      body,
      objectTagging(jobId, context.ledgerId),
    );
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

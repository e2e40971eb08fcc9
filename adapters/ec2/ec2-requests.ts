/**
 * Every request an EC2 launch sends that creates or changes something, built in one place. The launch sends what
 * these functions return; the dry run (ec2-plan.ts) prints what the same functions return when the values only a
 * launch knows (presigned URLs, the AMI id, the security group, node 0's address) are named placeholders. So the dry
 * run shows the requests the launch sends, and test/adapters/ec2/ec2-plan-matches-launch.test.ts holds them to it.
 */
import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { createHash } from 'node:crypto';
import type {
  AuthorizeSecurityGroupIngressCommandInput,
  CreatePlacementGroupCommandInput,
  CreateSecurityGroupCommandInput,
  RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import type { CreateBucketCommandInput, PutBucketTaggingCommandInput } from '@aws-sdk/client-s3';
import { DlrunError } from '../../src/base/errors.js';
import { DEFAULT_MASTER_PORT } from '../../src/backend/job-environment.js';
import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';
import type { PlannedRequest } from '../../src/backend/training-backend.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import type { Ec2BootstrapInput } from './ec2-bootstrap-input.js';
import type { Ec2JobDetails } from './ec2-details.js';
import { LAUNCH_TAG } from './ec2-instances.js';
import { bootstrapKey, clusterName, nodeKeys, objectTagging } from './ec2-names.js';
import { shellQuote } from './ec2-shell-quote.js';
import { encodeUserData, renderBootstrap, renderStub } from './ec2-user-data.js';

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
/** Seconds between the machine's log uploads. */
const LOG_INTERVAL_SECONDS = 15;
/** Minutes the machine's own stop timer allows beyond the job's limit: the final log, outputs and result uploads. */
export const UPLOAD_MARGIN_MINUTES = 10;

/** The stop timer of the user data stub: the job's limit plus the upload margin, in whole minutes. */
function shutdownAfterMinutes(stopAfterSeconds: number | null): number | null {
  return stopAfterSeconds === null ? null : Math.ceil(stopAfterSeconds / 60) + UPLOAD_MARGIN_MINUTES;
}

/**
 * A ClientToken derived from the job id and the launch, so that a retried RunInstances (a crash, a timeout, a
 * second submit of the same job id) is the same request to EC2, which launches nothing new. At most 64 characters
 * (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html).
 */
function clientToken(jobId: JobId, launch: LaunchName): string {
  return `dlrun-${createHash('sha256').update(`${jobId}/${launch}`).digest('hex').slice(0, 40)}`;
}

/** An object dlrun writes: a script or the secrets (Body), or the workdir's archive (streamed from a file). */
export interface PutObjectBody {
  readonly Bucket: string;
  readonly Key: string;
  readonly Tagging: string;
  readonly Body?: string;
}

/** The body of each operation: the SDK command's input, as the launch passes it to the SDK. */
interface Ec2RequestBodies {
  's3:CreateBucket': CreateBucketCommandInput;
  's3:PutBucketTagging': PutBucketTaggingCommandInput;
  's3:PutObject': PutObjectBody;
  'ec2:CreatePlacementGroup': CreatePlacementGroupCommandInput;
  'ec2:CreateSecurityGroup': CreateSecurityGroupCommandInput;
  'ec2:AuthorizeSecurityGroupIngress': AuthorizeSecurityGroupIngressCommandInput;
  'ec2:RunInstances': RunInstancesCommandInput;
}

type Ec2Operation = keyof Ec2RequestBodies;

export interface Ec2Request<O extends Ec2Operation = Ec2Operation> extends PlannedRequest {
  readonly operation: O;
  readonly body: Ec2RequestBodies[O];
}

function request<O extends Ec2Operation>(operation: O, description: string, body: Ec2RequestBodies[O]): Ec2Request<O> {
  return { operation, description, body };
}

/** What a job's requests are built from: the plan's details (ec2-details.ts), the job file, the ledger. */
export interface Ec2LaunchInput {
  readonly jobId: JobId;
  readonly ledgerId: LedgerId;
  readonly job: JobSpec;
  readonly details: Ec2JobDetails;
}

export type PresignedMethod = 'GET' | 'PUT' | 'DELETE';

/** A presigned URL a machine uses: the object, what it may do with it, for how long from the signing. */
export interface UrlNeed {
  readonly key: string;
  readonly method: PresignedMethod;
  readonly seconds: number;
}

/** A multi-node job's launches: node 0 first, then the workers, in one call, once node 0 has an address. */
export type LaunchName = 'node-0' | 'workers';

/** What one launch knows only when it happens. The dry run passes named placeholders (ec2-plan.ts). */
export interface LaunchValues {
  /** The URL for `need`, presigned right before the launch whose machines use it. */
  readonly url: (need: UrlNeed) => string;
  /** The AMI id the image setting resolves to. */
  readonly imageId: string;
  /** The AMI's root device, when the job sizes its root volume. */
  readonly rootDevice: string | undefined;
  /** The job's security group, when it has several nodes. */
  readonly securityGroupId: string | undefined;
  /** Node 0's private address: the workers' launch needs it. */
  readonly masterAddress: string | undefined;
}

/** One launch, as sent: each machine's bootstrap object, then the RunInstances whose user data fetches them. */
export interface BuiltLaunch {
  readonly name: LaunchName;
  readonly ranks: readonly number[];
  /** One per rank, in rank order; each Body is the rendered bootstrap. */
  readonly bootstraps: readonly Ec2Request<'s3:PutObject'>[];
  /** The user data stub as text (RunInstances carries it in base64). */
  readonly userData: string;
  readonly runInstances: Ec2Request<'ec2:RunInstances'>;
}

function internal(message: string): never {
  throw new DlrunError(message, { audience: 'internal' });
}

export function launchNames(nodes: number): LaunchName[] {
  return nodes > 1 ? ['node-0', 'workers'] : ['node-0'];
}

/** The ranks of the nodes one launch starts. */
export function ranksOf(name: LaunchName, nodes: number): number[] {
  return name === 'node-0' ? [0] : Array.from({ length: nodes - 1 }, (_, index) => index + 1);
}

/** "node 0", "node 1", "nodes 1-3". */
export function nodesText(ranks: readonly number[]): string {
  return ranks.length === 1 ? `node ${ranks[0]}` : `nodes ${ranks[0]}-${ranks.at(-1)}`;
}

/** The bucket, when it does not exist yet: created in the job's region, then tagged with the ledger. */
export function bucketRequests(
  bucket: string,
  region: string,
  ledgerId: LedgerId,
): [Ec2Request<'s3:CreateBucket'>, Ec2Request<'s3:PutBucketTagging'>] {
  return [
    request('s3:CreateBucket', `create the bucket ${bucket}, unless it exists`, {
      Bucket: bucket,
      ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
    }),
    request('s3:PutBucketTagging', 'tag the bucket dlrun created with the ledger', {
      Bucket: bucket,
      Tagging: { TagSet: [{ Key: LEDGER_TAG, Value: ledgerId }] },
    }),
  ];
}

/** The workdir's archive (named by its contents: workdirArchiveKey), uploaded unless it is there already. */
export function workdirRequest(bucket: string, key: string, ledgerId: LedgerId): Ec2Request<'s3:PutObject'> {
  return request(
    's3:PutObject',
    'stage the workdir as a tar.gz, unless an identical one is already there (in parts when it is large)',
    { Bucket: bucket, Key: key, Tagging: objectTagging(undefined, ledgerId) },
  );
}

/** The body of a node's secrets object: an `export NAME='value'` line for each of the job's secrets. */
export function secretsBody(names: readonly string[], values: Readonly<Record<string, string>>): string {
  const lines = names.map((name) => {
    const value = values[name] ?? internal(`the value of the secret ${name} was not read`);
    return `export ${name}=${shellQuote(value, `the secret ${name}`)}`;
  });
  return `${lines.join('\n')}\n`;
}

/** One short-lived object per node holding the secrets (`body`); the node reads it once and deletes it. */
export function secretsRequests(input: Ec2LaunchInput, body: string): Ec2Request<'s3:PutObject'>[] {
  if (!input.job.secrets?.length) return [];
  return Array.from({ length: input.details.nodes }, (_, rank) =>
    request('s3:PutObject', `node ${rank}'s secrets object, read once by it and deleted at once`, {
      Bucket: input.details.bucket,
      Key: nodeKeys(input.ledgerId, input.jobId, rank).secrets,
      Body: body,
      Tagging: objectTagging(input.jobId, input.ledgerId),
    }),
  );
}

function groupTags(jobId: JobId, ledgerId: LedgerId): { Key: string; Value: string }[] {
  return [
    { Key: JOB_ID_TAG, Value: jobId },
    { Key: LEDGER_TAG, Value: ledgerId },
  ];
}

/** A multi-node job's cluster placement group: its nodes close together, in one zone. */
export function placementGroupRequest(jobId: JobId, ledgerId: LedgerId): Ec2Request<'ec2:CreatePlacementGroup'> {
  return request('ec2:CreatePlacementGroup', "the job's cluster placement group, unless it exists", {
    GroupName: clusterName(jobId),
    Strategy: 'cluster',
    TagSpecifications: [{ ResourceType: 'placement-group', Tags: groupTags(jobId, ledgerId) }],
  });
}

/** A multi-node job's own security group, in `vpcId` (the subnet's VPC, or the default one). */
export function securityGroupRequest(
  jobId: JobId,
  ledgerId: LedgerId,
  vpcId: string | undefined,
): Ec2Request<'ec2:CreateSecurityGroup'> {
  return request('ec2:CreateSecurityGroup', "the job's security group, unless it exists", {
    GroupName: clusterName(jobId),
    Description: `dlrun job ${jobId}: its nodes reach each other`,
    ...(vpcId ? { VpcId: vpcId } : {}),
    TagSpecifications: [{ ResourceType: 'security-group', Tags: groupTags(jobId, ledgerId) }],
  });
}

/** The job's nodes reach each other on every port (torchrun, NCCL and TF_CONFIG's workers pick theirs). */
export function ingressRequest(groupId: string): Ec2Request<'ec2:AuthorizeSecurityGroupIngress'> {
  return request('ec2:AuthorizeSecurityGroupIngress', "let the job's nodes reach each other on every port", {
    GroupId: groupId,
    IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }],
  });
}

/** TensorFlow on several nodes wants every node's address (TF_CONFIG); the nodes exchange them through S3. */
function exchangesAddresses(input: Ec2LaunchInput): boolean {
  return input.details.nodes > 1 && input.job.framework?.name === 'tensorflow';
}

/** What the bootstrap of the node of `rank` holds: the job's values and this node's own URLs. */
function bootstrapInput(input: Ec2LaunchInput, rank: number, values: LaunchValues): Ec2BootstrapInput {
  const { job, details, jobId, ledgerId } = input;
  const lasting = (key: string, method: PresignedMethod): string =>
    values.url({ key, method, seconds: details.urlLifetimeSeconds });
  // Read once, right after boot: these URLs live only as long as a machine takes to start.
  const booting = (key: string, method: PresignedMethod): string =>
    values.url({ key, method, seconds: BOOT_WINDOW_SECONDS });
  const keys = nodeKeys(ledgerId, jobId, rank);
  const hasSecrets = (job.secrets?.length ?? 0) > 0;
  const exchanges = exchangesAddresses(input);
  const workdirKey = details.workdirKey ?? internal(`the plan of job ${jobId} names no workdir archive`);
  return {
    jobId,
    nodes: details.nodes,
    rank,
    masterAddress:
      rank === 0
        ? undefined
        : (values.masterAddress ?? internal(`node ${rank} of job ${jobId} needs node 0's address`)),
    masterPort: DEFAULT_MASTER_PORT,
    gpusPerNode: job.resources.gpu?.count ?? 0,
    tensorflow: job.framework?.name === 'tensorflow',
    env: job.env ?? {},
    setup: job.setup,
    run: job.run,
    outputs: job.outputs,
    workdirUrl: booting(workdirKey, 'GET'),
    stopAfterSeconds: details.stopAfter.seconds,
    stopReason: details.stopAfter.reason,
    logIntervalSeconds: LOG_INTERVAL_SECONDS,
    urls: {
      log: lasting(keys.log, 'PUT'),
      markers: lasting(keys.markers, 'PUT'),
      result: lasting(keys.result, 'PUT'),
      outputs: rank === 0 ? lasting(keys.outputs, 'PUT') : null,
      secretsGet: hasSecrets ? booting(keys.secrets, 'GET') : null,
      secretsDelete: hasSecrets ? booting(keys.secrets, 'DELETE') : null,
      address: exchanges ? lasting(keys.address, 'PUT') : null,
    },
    addressUrls: exchanges
      ? Array.from({ length: details.nodes }, (_, other) => lasting(nodeKeys(ledgerId, jobId, other).address, 'GET'))
      : [],
  };
}

/** The RunInstances of one launch of `count` machines whose user data is `userData` (base64). */
function runInstancesRequest(
  input: Ec2LaunchInput,
  name: LaunchName,
  ranks: readonly number[],
  values: LaunchValues,
  userData: string,
): Ec2Request<'ec2:RunInstances'> {
  const { job, details, jobId, ledgerId } = input;
  const options = job.backends?.ec2;
  const tags = [
    ...groupTags(jobId, ledgerId),
    { Key: LAUNCH_TAG, Value: name },
    { Key: 'Name', Value: `dlrun ${jobId}` },
  ];
  const cluster = details.nodes > 1;
  const securityGroupId = cluster
    ? (values.securityGroupId ?? internal(`job ${jobId} has ${details.nodes} nodes and no security group`))
    : undefined;
  const securityGroups = [...(options?.security_groups ?? []), ...(securityGroupId ? [securityGroupId] : [])];
  const description =
    name === 'workers'
      ? `launch ${nodesText(ranks)} in one call (all or none), told node 0's address`
      : cluster
        ? 'launch node 0'
        : 'launch the machine';
  return request('ec2:RunInstances', description, {
    ImageId: values.imageId,
    InstanceType: details.instanceType as RunInstancesCommandInput['InstanceType'],
    MinCount: ranks.length,
    MaxCount: ranks.length,
    UserData: userData,
    ClientToken: clientToken(jobId, name),
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
    ...(cluster ? { Placement: { GroupName: clusterName(jobId) } } : {}),
    ...(details.spot
      ? {
          InstanceMarketOptions: {
            MarketType: 'spot',
            SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' },
          },
        }
      : {}),
    ...(details.rootVolumeGib
      ? {
          BlockDeviceMappings: [
            {
              DeviceName: values.rootDevice ?? internal(`job ${jobId} sizes a root volume of an unknown device`),
              Ebs: { VolumeSize: Math.ceil(details.rootVolumeGib), VolumeType: 'gp3', DeleteOnTermination: true },
            },
          ],
        }
      : {}),
  });
}

/**
 * One launch: a bootstrap of its own for each of its machines (read once, then deleted by it), and the RunInstances
 * whose user data fetches them, each machine its own by its launch index, so that no machine's deletion takes a
 * sibling's bootstrap away.
 */
export function launchRequests(input: Ec2LaunchInput, name: LaunchName, values: LaunchValues): BuiltLaunch {
  const { details, jobId, ledgerId } = input;
  const ranks = ranksOf(name, details.nodes);
  const bootstraps = ranks.map((rank) =>
    request('s3:PutObject', `node ${rank}'s bootstrap, fetched once by its machine and deleted by it`, {
      Bucket: details.bucket,
      Key: bootstrapKey(ledgerId, jobId, rank),
      Body: renderBootstrap(bootstrapInput(input, rank, values)),
      Tagging: objectTagging(jobId, ledgerId),
    }),
  );
  const userData = renderStub({
    jobId,
    bootstraps: bootstraps.map(({ body }) => ({
      get: values.url({ key: body.Key, method: 'GET', seconds: BOOT_WINDOW_SECONDS }),
      delete: values.url({ key: body.Key, method: 'DELETE', seconds: BOOT_WINDOW_SECONDS }),
    })),
    shutdownAfterMinutes: shutdownAfterMinutes(details.stopAfter.seconds),
  });
  const runInstances = runInstancesRequest(input, name, ranks, values, encodeUserData(userData, jobId));
  return { name, ranks, bootstraps, userData, runInstances };
}

/** The URLs one launch hands its machines, for the launch to sign before it builds the requests with them. */
export function urlsNeeded(input: Ec2LaunchInput, name: LaunchName, values: Omit<LaunchValues, 'url'>): UrlNeed[] {
  const needs = new Map<string, UrlNeed>();
  launchRequests(input, name, {
    ...values,
    url: (need) => {
      needs.set(urlNeedId(need), need);
      return urlNeedId(need);
    },
  });
  return [...needs.values()];
}

/** One string per distinct need, to find a signed URL again. */
export function urlNeedId(need: UrlNeed): string {
  return `${need.method} ${need.seconds} ${need.key}`;
}

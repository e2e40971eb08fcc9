import { DlrunError } from '../../src/base/errors.js';
import type { LaunchPlan, PlanContext, PlannedRequest, ProviderDetails } from '../../src/backend/training-backend.js';
import { resourceTags } from '../../src/backend/tags.js';
import { cheapestEc2InstanceType, namedEc2InstanceType } from './ec2-instance-choice.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { formatDuration } from '../../src/util/format-duration.js';
import { ec2RegionOf } from './aws-region.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import { imageSetting } from './ec2-image.js';
import {
  BOOT_WINDOW_SECONDS,
  bootstrapKey,
  nodeKeys,
  runInstancesRequest,
  shutdownAfterMinutes,
} from './ec2-launch.js';
import type { Ec2PlanDetails } from './ec2-plan-details.js';
import { bucketName, MAX_PRESIGNED_SECONDS, workdirArchiveKey } from './ec2-staging.js';
import { uploadPartBytes } from './ec2-upload.js';
import { renderBootstrap, renderStub } from './ec2-user-data.js';

/** Time for a machine to boot and, at the end, to upload its log and outputs: the URLs outlive the limit by this. */
const URL_MARGIN_SECONDS = 3600;

/**
 * Everything `submit` will do on EC2, worked out offline: the region, the instance type (named, or the cheapest that
 * satisfies `resources`), the bucket, how long the presigned URLs live, and the exact requests with the rendered
 * startup script (presigned URLs shown as placeholders: they are made at submit).
 */
export async function planEc2Job(job: JobSpec, context: PlanContext): Promise<LaunchPlan> {
  const region = ec2RegionOf(job.backends?.ec2?.region, context.env);
  const chosen = job.backends?.ec2?.instance_type
    ? namedEc2InstanceType(job.backends.ec2.instance_type, region)
    : cheapestEc2InstanceType(job.resources, region);
  const seconds = context.stopAfter.seconds;
  if (seconds === null || seconds + URL_MARGIN_SECONDS > MAX_PRESIGNED_SECONDS) {
    throw new DlrunError(
      `an EC2 job can run at most ${formatDuration(MAX_PRESIGNED_SECONDS - URL_MARGIN_SECONDS)}: its machine uploads its log and outputs through presigned URLs, which live at most 7 days`,
      {
        hint: `set limits.max_runtime to ${formatDuration(MAX_PRESIGNED_SECONDS - URL_MARGIN_SECONDS)} or less`,
      },
    );
  }
  const manifest = listWorkdir(job.workdir);
  // Settings that would fail the upload are refused now, before the ledger row is written.
  uploadPartBytes(context.env);
  const details: Ec2PlanDetails = {
    region,
    instanceType: chosen.type.name,
    image: imageSetting(job.backends?.ec2?.image, chosen.type.gpus !== undefined, context.env),
    bucket: bucketName(job.backends?.ec2?.bucket, context.ledgerId, region),
    nodes: job.resources.nodes,
    spot: job.resources.spot,
    rootVolumeGib: job.resources.disk,
    stopAfter: context.stopAfter,
    urlLifetimeSeconds: seconds + URL_MARGIN_SECONDS,
    workdirKey: workdirArchiveKey(context.ledgerId, manifest),
  };
  const placeholder = (key: string, method: string, lifetime = details.urlLifetimeSeconds): string =>
    `<presigned ${method} of s3://${details.bucket}/${key}, valid ${formatDuration(lifetime)}>`;
  const bootstrap0 = bootstrapKey(context.ledgerId, context.jobId, 0);
  const stub = renderStub({
    jobId: context.jobId,
    bootstraps: [
      {
        get: placeholder(bootstrap0, 'GET', BOOT_WINDOW_SECONDS),
        delete: placeholder(bootstrap0, 'DELETE', BOOT_WINDOW_SECONDS),
      },
    ],
    shutdownAfterMinutes: shutdownAfterMinutes(seconds),
  });
  const keys = nodeKeys(context.ledgerId, context.jobId, 0);
  const bootstrap = renderBootstrap({
    jobId: context.jobId,
    nodes: details.nodes,
    rank: 0,
    masterAddress: undefined,
    masterPort: 29500,
    gpusPerNode: job.resources.gpu?.count ?? 0,
    tensorflow: job.framework?.name === 'tensorflow',
    env: job.env ?? {},
    setup: job.setup,
    run: job.run,
    outputs: job.outputs,
    workdirUrl: placeholder(details.workdirKey!, 'GET', BOOT_WINDOW_SECONDS),
    stopAfterSeconds: seconds,
    stopReason: context.stopAfter.reason,
    logIntervalSeconds: 15,
    urls: {
      log: placeholder(keys.log, 'PUT'),
      markers: placeholder(keys.markers, 'PUT'),
      result: placeholder(keys.result, 'PUT'),
      outputs: placeholder(keys.outputs, 'PUT'),
      secretsGet: job.secrets?.length ? placeholder(keys.secrets, 'GET', BOOT_WINDOW_SECONDS) : null,
      secretsDelete: job.secrets?.length ? placeholder(keys.secrets, 'DELETE', BOOT_WINDOW_SECONDS) : null,
      address: null,
    },
    addressUrls: [],
  });
  const launchPlan: LaunchPlan = {
    jobId: context.jobId,
    backend: 'ec2',
    job,
    tags: resourceTags(context.jobId, context.ledgerId),
    stopAfter: context.stopAfter,
    startupScript: undefined,
    requests: [],
    details: providerDetails(details),
  };
  const requests: PlannedRequest[] = [
    {
      operation: 's3:PutObject',
      description: `stage the workdir (${manifest.files.length} files), unless an identical one is already there`,
      body: { Bucket: details.bucket, Key: details.workdirKey },
    },
    ...(job.secrets?.length
      ? [
          {
            operation: 's3:PutObject',
            description: 'one secrets object per node, read once by it and deleted at once',
            body: { Bucket: details.bucket, Key: keys.secrets, secrets: job.secrets },
          },
        ]
      : []),
    {
      operation: 's3:PutObject',
      description: 'stage a bootstrap for each machine, fetched once and deleted by it',
      body: { Bucket: details.bucket, Key: bootstrap0 },
    },
    ...(details.nodes > 1
      ? [
          {
            operation: 'ec2:CreatePlacementGroup + CreateSecurityGroup',
            description: 'a cluster placement group, and a security group letting the nodes reach each other',
            body: { GroupName: `dlrun-${context.jobId}`, Strategy: 'cluster' },
          },
        ]
      : []),
    {
      operation: 'ec2:RunInstances',
      description:
        details.nodes > 1
          ? `node 0, then nodes 1-${details.nodes - 1} in one call, told node 0's address`
          : 'the machine',
      body: runInstancesRequest(launchPlan, details, context.ledgerId, {
        imageId: details.image,
        rootDevice: details.rootVolumeGib ? "<the AMI's root device>" : undefined,
        network:
          details.nodes > 1
            ? { placementGroup: `dlrun-${context.jobId}`, securityGroupId: "<the job's security group>" }
            : undefined,
        count: 1,
        launch: 'node-0',
        userData: '<base64 of the startup script below>',
      }),
    },
  ];
  return {
    ...launchPlan,
    requests,
    startupScript: `${stub}\n# ---- the bootstrap it fetches (staged in S3) ----\n${bootstrap}`,
  };
}

export function providerDetails(details: Ec2PlanDetails): ProviderDetails {
  return {
    region: details.region,
    instanceType: details.instanceType,
    image: details.image,
    bucket: details.bucket,
    nodes: details.nodes,
    spot: details.spot,
    rootVolumeGib: details.rootVolumeGib ?? null,
    stopAfterSeconds: details.stopAfter.seconds,
    stopReason: details.stopAfter.reason,
    urlLifetimeSeconds: details.urlLifetimeSeconds,
    workdirKey: details.workdirKey ?? null,
  };
}

/** The plan's details back from the ledger's (or the plan's) JSON. */
export function planDetails(details: ProviderDetails | undefined): Ec2PlanDetails {
  const value = details ?? {};
  const text = (name: string): string => String(value[name] ?? '');
  const number = (name: string): number | null => (typeof value[name] === 'number' ? (value[name] as number) : null);
  return {
    region: text('region'),
    instanceType: text('instanceType'),
    image: text('image'),
    bucket: text('bucket'),
    nodes: number('nodes') ?? 1,
    spot: value.spot === true,
    rootVolumeGib: number('rootVolumeGib') ?? undefined,
    stopAfter: {
      seconds: number('stopAfterSeconds'),
      reason: typeof value.stopReason === 'string' ? value.stopReason : null,
    },
    urlLifetimeSeconds: number('urlLifetimeSeconds') ?? 3600,
    workdirKey: typeof value.workdirKey === 'string' ? value.workdirKey : undefined,
  };
}

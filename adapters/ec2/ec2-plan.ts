import path from 'node:path';
import { DlrunError } from '../../src/base/errors.js';
import type { LaunchPlan, PlanContext } from '../../src/backend/training-backend.js';
import { resourceTags } from '../../src/backend/tags.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { formatDuration } from '../../src/util/format-duration.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import { ec2RegionOf } from './aws-region.js';
import { type Ec2JobDetails, encodeEc2Details, URL_MARGIN_SECONDS, urlLifetimeSeconds } from './ec2-details.js';
import { imageSetting } from './ec2-image.js';
import { cheapestEc2InstanceType, namedEc2InstanceType } from './ec2-instance-choice.js';
import { bucketName } from './ec2-names.js';
import {
  type BuiltLaunch,
  bucketRequests,
  type Ec2LaunchInput,
  type Ec2Request,
  ingressRequest,
  type LaunchName,
  type LaunchValues,
  launchNames,
  launchRequests,
  nodesText,
  placementGroupRequest,
  secretsRequests,
  securityGroupRequest,
  type UrlNeed,
  workdirRequest,
} from './ec2-requests.js';
import { MAX_PRESIGNED_SECONDS, workdirArchiveKey } from './ec2-staging.js';
import { uploadPartBytes } from './ec2-upload.js';

/**
 * What the dry run shows for each value only a launch knows. Plain words in angle brackets, without quotes: some
 * stand inside the startup script's single-quoted shell values.
 */
export const DRY_RUN = {
  securityGroupId: '<the security group of the job>',
  masterAddress: '<the private address of node 0>',
  rootDevice: '<the root device of the AMI>',
  defaultVpc: '<the default VPC>',
  vpcOf: (subnet: string): string => `<the VPC of ${subnet}>`,
  imageIn: (parameter: string): string => `<the AMI id in the SSM parameter ${parameter}>`,
  url: (bucket: string, need: UrlNeed): string =>
    `<presigned ${need.method} of s3://${bucket}/${need.key}, valid ${formatDuration(need.seconds)}>`,
  secrets: (names: readonly string[]): string =>
    `<an export line for each of the secrets ${names.join(', ')}: values read at submit, never shown>`,
  workdir: (files: number): string => `<a tar.gz of the ${files} files of the workdir>`,
} as const;

/**
 * Everything `submit` will do on EC2, worked out offline: the region, the instance type (named, or the cheapest that
 * satisfies `resources`), the bucket, how long the presigned URLs live, and every request that creates or changes
 * something, in the order the launch sends them, built by the functions the launch uses (ec2-requests.ts) with the
 * values only a launch knows as placeholders (DRY_RUN). The scripts (each launch's user data, each machine's
 * bootstrap) are shown in the startup script, which the requests refer to.
 */
export async function planEc2Job(job: JobSpec, context: PlanContext): Promise<LaunchPlan> {
  const region = ec2RegionOf(job.backends?.ec2?.region, context.env);
  const chosen = job.backends?.ec2?.instance_type
    ? namedEc2InstanceType(job.backends.ec2.instance_type, region)
    : cheapestEc2InstanceType(job.resources, region);
  const seconds = context.stopAfter.seconds;
  if (seconds === null || urlLifetimeSeconds(seconds) > MAX_PRESIGNED_SECONDS) {
    const longest = formatDuration(MAX_PRESIGNED_SECONDS - URL_MARGIN_SECONDS);
    throw new DlrunError(
      `an EC2 job can run at most ${longest}: ` +
        'its machine uploads its log and outputs through presigned URLs, which live at most 7 days',
      { hint: `set limits.max_runtime to ${longest} or less` },
    );
  }
  const manifest = listWorkdir(job.workdir);
  // Settings that would fail the upload are refused now, before the ledger row is written.
  uploadPartBytes(context.env);
  const details: Ec2JobDetails = {
    region,
    instanceType: chosen.type.name,
    image: imageSetting(job.backends?.ec2?.image, chosen.type.gpus !== undefined, context.env),
    bucket: bucketName(job.backends?.ec2?.bucket, context.ledgerId, region),
    nodes: job.resources.nodes,
    spot: job.resources.spot,
    rootVolumeGib: job.resources.disk,
    stopAfter: context.stopAfter,
    urlLifetimeSeconds: urlLifetimeSeconds(seconds),
    workdirKey: workdirArchiveKey(context.ledgerId, manifest),
  };
  const input: Ec2LaunchInput = { jobId: context.jobId, ledgerId: context.ledgerId, job, details };
  const launches = launchNames(details.nodes).map((name) => launchRequests(input, name, dryRunValues(input, name)));
  const workdir = workdirRequest(details.bucket, details.workdirKey!, context.ledgerId);
  const subnet = job.backends?.ec2?.subnet;
  const requests: Ec2Request[] = [
    ...bucketRequests(details.bucket, region, context.ledgerId),
    { ...workdir, body: { ...workdir.body, Body: DRY_RUN.workdir(manifest.files.length) } },
    ...(details.nodes > 1
      ? [
          placementGroupRequest(context.jobId, context.ledgerId),
          securityGroupRequest(context.jobId, context.ledgerId, subnet ? DRY_RUN.vpcOf(subnet) : DRY_RUN.defaultVpc),
          ingressRequest(DRY_RUN.securityGroupId),
        ]
      : []),
    ...secretsRequests(input, DRY_RUN.secrets(job.secrets ?? [])),
    ...launches.flatMap((launch) => [
      ...launch.bootstraps.map((bootstrap) => ({
        ...bootstrap,
        body: { ...bootstrap.body, Body: shownIn(bootstrapTitle(bootstrap.body.Key), 'the bootstrap') },
      })),
      {
        ...launch.runInstances,
        body: { ...launch.runInstances.body, UserData: shownIn(userDataTitle(launch), 'base64 of the user data') },
      },
    ]),
  ];
  return {
    jobId: context.jobId,
    backend: 'ec2',
    job,
    tags: resourceTags(context.jobId, context.ledgerId),
    stopAfter: context.stopAfter,
    requests,
    startupScript: launches.flatMap(scriptsOf).join('\n'),
    details: encodeEc2Details(details),
  };
}

/** The placeholders of one launch (the workers' is the only one told node 0's address). */
function dryRunValues(input: Ec2LaunchInput, name: LaunchName): LaunchValues {
  const { details } = input;
  return {
    url: (need) => DRY_RUN.url(details.bucket, need),
    imageId: details.image.startsWith('ssm:') ? DRY_RUN.imageIn(details.image.slice('ssm:'.length)) : details.image,
    rootDevice: details.rootVolumeGib ? DRY_RUN.rootDevice : undefined,
    securityGroupId: details.nodes > 1 ? DRY_RUN.securityGroupId : undefined,
    masterAddress: name === 'workers' ? DRY_RUN.masterAddress : undefined,
  };
}

function userDataTitle(launch: BuiltLaunch): string {
  return `the user data of ${nodesText(launch.ranks)}`;
}

function bootstrapTitle(key: string): string {
  return `the bootstrap it fetches (staged in S3): ${path.posix.basename(key)}`;
}

/** A body shown in the startup script under `title`, which a request names instead of repeating it. */
function shownIn(title: string, what: string): string {
  return `<${what}, in the startup script under: ${title}>`;
}

/** A launch's scripts as the startup script shows them, each under a `# ---- title ----` line. */
function scriptsOf(launch: BuiltLaunch): string[] {
  return [
    `# ---- ${userDataTitle(launch)} ----`,
    launch.userData,
    ...launch.bootstraps.flatMap(({ body }) => [`# ---- ${bootstrapTitle(body.Key)} ----`, body.Body!]),
  ];
}

import { detailReader } from '../../src/backend/provider-details.js';
import type { BackendContext, ProviderDetails, StopAfter } from '../../src/backend/training-backend.js';
import { ec2RegionOf } from './aws-region.js';
import { bucketName } from './ec2-names.js';

/**
 * What the EC2 adapter decides when it plans a job and needs again later: at submit (the launch), and to find the
 * job's instances and objects again (status, logs, cancel, outputs, billing facts, gc). Kept in the ledger with the
 * job (`provider_json`) as `encodeEc2Details` writes it, read back by `decodeEc2Details` alone.
 */
export interface Ec2JobDetails {
  readonly region: string;
  readonly instanceType: string;
  /** The image setting as given (ami-... or ssm:/path); resolved to an AMI id at submit. */
  readonly image: string;
  readonly bucket: string;
  readonly nodes: number;
  readonly spot: boolean;
  readonly rootVolumeGib: number | undefined;
  readonly stopAfter: StopAfter;
  /** How long the URLs the machine uses all along live: its limit plus time to start and to upload, at most 7 days. */
  readonly urlLifetimeSeconds: number;
  /** The key of the workdir's archive (workdirArchiveKey); undefined for jobs recorded by an older dlrun. */
  readonly workdirKey: string | undefined;
}

/** Time for a machine to boot and, at the end, to upload its log and outputs: the URLs outlive the limit by this. */
export const URL_MARGIN_SECONDS = 3600;

/** How long the URLs a machine uses all along live, for a job stopped `stopAfterSeconds` after it starts. */
export function urlLifetimeSeconds(stopAfterSeconds: number | null): number {
  return (stopAfterSeconds ?? 0) + URL_MARGIN_SECONDS;
}

export function encodeEc2Details(details: Ec2JobDetails): ProviderDetails {
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

/** Whether a job was launched on spot: its bill needs this alone, without a context to decode the rest with. */
export function ec2SpotOf(details: ProviderDetails | null | undefined): boolean {
  return details?.spot === true;
}

/**
 * The details of a plan or of a job the ledger kept, with one set of defaults for what a job recorded by an older
 * dlrun lacks: the context's region and the ledger's own bucket in it, one node, on demand, no limit. An older
 * record lacks the instance type and image too (empty here): only a fresh plan is ever launched.
 */
export function decodeEc2Details(details: ProviderDetails | undefined, context: BackendContext): Ec2JobDetails {
  const { text, number } = detailReader(details);
  const region = ec2RegionOf(text('region'), context.env);
  const stopAfter = { seconds: number('stopAfterSeconds') ?? null, reason: text('stopReason') ?? null };
  return {
    region,
    instanceType: text('instanceType') ?? '',
    image: text('image') ?? '',
    bucket: text('bucket') ?? bucketName(undefined, context.ledgerId, region),
    nodes: number('nodes') ?? 1,
    spot: ec2SpotOf(details),
    rootVolumeGib: number('rootVolumeGib'),
    stopAfter,
    urlLifetimeSeconds: number('urlLifetimeSeconds') ?? urlLifetimeSeconds(stopAfter.seconds),
    workdirKey: text('workdirKey'),
  };
}

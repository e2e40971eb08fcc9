import type { BackendContext, JobHandle, ProviderDetails } from '../../src/backend/training-backend.js';
import { ec2RegionOf } from './aws-region.js';
import { bucketName } from './ec2-staging.js';

/** What the ledger keeps of an EC2 job's plan, to find its instances and objects again. */
export interface Ec2JobDetails {
  readonly region: string;
  readonly bucket: string;
  readonly nodes: number;
  readonly stopAfterSeconds: number | null;
  /** The staged workdir archive the job's machines download; undefined for jobs recorded by an older dlrun. */
  readonly workdirKey: string | undefined;
}

export function toProviderDetails(details: Ec2JobDetails): ProviderDetails {
  return {
    region: details.region,
    bucket: details.bucket,
    nodes: details.nodes,
    stopAfterSeconds: details.stopAfterSeconds,
    workdirKey: details.workdirKey ?? null,
  };
}

/** The details of a handle, or what can be assumed when a job was recorded without them. */
export function detailsOf(handle: JobHandle, context: BackendContext): Ec2JobDetails {
  const details = handle.details ?? {};
  const region = ec2RegionOf(typeof details.region === 'string' ? details.region : undefined, context.env);
  return {
    region,
    bucket: typeof details.bucket === 'string' ? details.bucket : bucketName(undefined, context.ledgerId, region),
    nodes: typeof details.nodes === 'number' ? details.nodes : 1,
    stopAfterSeconds: typeof details.stopAfterSeconds === 'number' ? details.stopAfterSeconds : null,
    workdirKey: typeof details.workdirKey === 'string' ? details.workdirKey : undefined,
  };
}

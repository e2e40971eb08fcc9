import type { StopAfter } from '../../src/backend/training-backend.js';

/** What the EC2 adapter decided at plan time and needs again at submit time (kept in the plan's first request). */
export interface Ec2PlanDetails {
  readonly region: string;
  readonly instanceType: string;
  /** The image setting as given (ami-... or ssm:/path); resolved to an AMI id at submit. */
  readonly image: string;
  readonly bucket: string;
  readonly nodes: number;
  readonly spot: boolean;
  readonly rootVolumeGib: number | undefined;
  readonly stopAfter: StopAfter;
  /** How long the presigned URLs the machine uses all along live: its limit plus time to start and to upload, at most 7 days. */
  readonly urlLifetimeSeconds: number;
  /** The key of the workdir's archive (workdirArchiveKey); undefined in plans recorded by an older dlrun. */
  readonly workdirKey: string | undefined;
}

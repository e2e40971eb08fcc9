import type { Sourced } from './catalog-row.js';

/** The GPUs built into an EC2 instance type. */
export interface Ec2Gpus {
  /** A model name from gpus.ts. */
  readonly model: string;
  readonly count: number;
  /** Memory of each GPU in MiB, as EC2 DescribeInstanceTypes reports it (or the AWS docs' GiB figure times 1024). */
  readonly memory_mib_per_gpu: number;
}

/** One EC2 instance type (one size of one family). */
export interface Ec2InstanceType extends Sourced<'vcpus' | 'memory_gib' | 'gpu_count' | 'gpu_memory'> {
  readonly name: string;
  /** The family part of the name (before the dot), a name in EC2_FAMILIES. */
  readonly family: string;
  readonly vcpus: number;
  readonly memory_gib: number;
  /** Undefined for CPU-only types. */
  readonly gpus?: Ec2Gpus;
}

/** One EC2 instance family and its standing. */
export interface Ec2Family extends Sourced<'previous_generation' | 'retirement'> {
  readonly name: string;
  readonly kind: 'gpu' | 'cpu';
  /** True when AWS lists the family as previous generation: still documented, no longer offered for new designs. */
  readonly previous_generation: boolean;
  /** What AWS announced about the family's end, with the date, when it is being or has been retired. */
  readonly retirement?: string;
}

/** Sources shared by the EC2 data modules. */
export const EC2_SOURCES = {
  /**
   * AWS's Karpenter reference, generated from EC2 DescribeInstanceTypes: vCPUs, memory MiB, GPU name, count and MiB.
   */
  karpenter:
    'https://github.com/aws/karpenter-provider-aws/blob/main/website/content/en/docs/reference/instance-types.md',
  /** AWS Batch's table of GPU instance types: GPUs, GPU memory GiB, vCPUs, memory GiB. */
  batchGpuJobs: 'https://docs.aws.amazon.com/batch/latest/userguide/gpu-jobs.html',
  /** The archived EC2 user guide (about 2020), which still lists g2, p2 and g3 sizes. */
  acceleratedComputingArchived:
    'https://github.com/awsdocs/amazon-ec2-user-guide/blob/master/doc_source/accelerated-computing-instances.md',
  instanceTypesArchived: 'https://github.com/awsdocs/amazon-ec2-user-guide/blob/master/doc_source/instance-types.md',
  generalPurposeArchived:
    'https://github.com/awsdocs/amazon-ec2-user-guide/blob/master/doc_source/general-purpose-instances.md',
  g2Launch: 'https://aws.amazon.com/blogs/aws/build-3d-streaming-applications-with-ec2s-new-g2-instance-type/',
} as const;

/** One size in a family table: size suffix, vCPUs, memory GiB, and GPU count for GPU families. */
export type Ec2Size = readonly [size: string, vcpus: number, memory_gib: number, gpu_count?: number];

/** What every size of one family shares: its GPU, its sources and date. */
export interface Ec2FamilyShared extends Sourced<'vcpus' | 'memory_gib' | 'gpu_count' | 'gpu_memory'> {
  readonly gpu?: { readonly model: string; readonly memory_mib_per_gpu: number };
}

/** The rows of one family, so a family table reads as one line per size. */
export function familyRows(family: string, shared: Ec2FamilyShared, sizes: readonly Ec2Size[]): Ec2InstanceType[] {
  const { gpu, ...sourced } = shared;
  return sizes.map(([size, vcpus, memory_gib, gpu_count]) => ({
    name: `${family}.${size}`,
    family,
    vcpus,
    memory_gib,
    ...(gpu === undefined
      ? {}
      : { gpus: { model: gpu.model, count: gpu_count ?? 1, memory_mib_per_gpu: gpu.memory_mib_per_gpu } }),
    ...sourced,
  }));
}

import { CATALOG_READ_ON, type Sourced } from './catalog-row.js';
import { closeNames, suggestName } from './catalog-names.js';
import { VERTEX_SOURCES } from './vertex-rows.js';

/** NVIDIA architecture generations, oldest first. */
export const GPU_ARCHITECTURES = [
  'Kepler',
  'Maxwell',
  'Pascal',
  'Volta',
  'Turing',
  'Ampere',
  'Ada Lovelace',
  'Hopper',
  'Blackwell',
] as const;
export type GpuArchitecture = (typeof GPU_ARCHITECTURES)[number];

/** One NVIDIA GPU model as dlrun names it in `resources.gpu` (upper case, e.g. T4, A100-80GB). */
export interface GpuModel extends Sourced<'compute_capability' | 'memory_gib'> {
  /** dlrun's name for the model; job files write it as is (the GPU field allows letters, digits and '-'). */
  readonly name: string;
  /** The name NVIDIA sells it under. */
  readonly full_name: string;
  readonly architecture: GpuArchitecture;
  /**
   * CUDA compute capability, major.minor as a number (3.7, 8.6, 10.0). Minor versions are single digits,
   * so numeric order is capability order.
   */
  readonly compute_capability: number;
  /** Memory per GPU in GiB as the sources state it; undefined where no source gave a figure. */
  readonly memory_gib?: number;
  /**
   * Other spellings that mean this model, upper case, after `findGpu`'s normalising (spaces and '_' become '-',
   * a leading NVIDIA- and TESLA- are dropped), so "NVIDIA_TESLA_T4" and "Tesla T4" need no alias of their own.
   */
  readonly aliases: readonly string[];
}

const CUDA_GPUS = 'https://developer.nvidia.com/cuda-gpus';
const CUDA_LEGACY_GPUS = 'https://developer.nvidia.com/cuda-legacy-gpus';
const AWS_BATCH_GPU_JOBS = 'https://docs.aws.amazon.com/batch/latest/userguide/gpu-jobs.html';
const KARPENTER_INSTANCE_TYPES =
  'https://github.com/aws/karpenter-provider-aws/blob/main/website/content/en/docs/reference/instance-types.md';
const GPUHUNT_GCP = 'https://github.com/dstackai/gpuhunt/blob/main/src/gpuhunt/providers/gcp.py';
const VERTEX_MACHINE_SPEC = 'https://cloud.google.com/vertex-ai/docs/reference/rest/v1/MachineSpec';

export const GPUS: readonly GpuModel[] = [
  {
    name: 'K520',
    full_name: 'NVIDIA GRID K520',
    architecture: 'Kepler',
    compute_capability: 3.0,
    memory_gib: 4,
    aliases: ['GRID-K520'],
    source: [
      CUDA_LEGACY_GPUS,
      'https://github.com/tensorflow/tensorflow/issues/29',
      'https://aws.amazon.com/blogs/aws/build-3d-streaming-applications-with-ec2s-new-g2-instance-type/',
    ],
    as_of: CATALOG_READ_ON,
    note: 'Capability and 4 GiB per GPU as a g2 instance reports them in TensorFlow issue 29 (major 3, minor 0).',
  },
  {
    name: 'K80',
    full_name: 'NVIDIA Tesla K80',
    architecture: 'Kepler',
    compute_capability: 3.7,
    memory_gib: 12,
    aliases: [],
    source: [
      CUDA_LEGACY_GPUS,
      'https://forums.developer.nvidia.com/t/tao-toolkit-nvidia-tesla-k80/190426/2',
      AWS_BATCH_GPU_JOBS,
      GPUHUNT_GCP,
    ],
    as_of: CATALOG_READ_ON,
    note: 'One K80 board holds two GK210 GPUs; clouds count and sell each GK210 as one GPU with 12 GiB.',
  },
  {
    name: 'M60',
    full_name: 'NVIDIA Tesla M60',
    architecture: 'Maxwell',
    compute_capability: 5.2,
    memory_gib: 8,
    aliases: [],
    source: [CUDA_LEGACY_GPUS, AWS_BATCH_GPU_JOBS],
    as_of: CATALOG_READ_ON,
    note: 'Like the K80, one M60 board holds two GPUs; EC2 g3 counts each as one GPU with 8 GiB.',
  },
  {
    name: 'P4',
    full_name: 'NVIDIA Tesla P4',
    architecture: 'Pascal',
    compute_capability: 6.1,
    memory_gib: 8,
    aliases: [],
    source: [CUDA_LEGACY_GPUS, GPUHUNT_GCP],
    as_of: CATALOG_READ_ON,
  },
  {
    name: 'P100',
    full_name: 'NVIDIA Tesla P100',
    architecture: 'Pascal',
    compute_capability: 6.0,
    memory_gib: 16,
    aliases: ['P100-16GB'],
    source: [CUDA_LEGACY_GPUS, GPUHUNT_GCP],
    as_of: CATALOG_READ_ON,
  },
  {
    name: 'V100',
    full_name: 'NVIDIA Tesla V100 16 GB',
    architecture: 'Volta',
    compute_capability: 7.0,
    memory_gib: 16,
    aliases: ['V100-16GB', 'V100-SXM2-16GB'],
    source: [CUDA_LEGACY_GPUS, AWS_BATCH_GPU_JOBS, GPUHUNT_GCP],
    as_of: CATALOG_READ_ON,
  },
  {
    name: 'V100-32GB',
    full_name: 'NVIDIA Tesla V100 32 GB',
    architecture: 'Volta',
    compute_capability: 7.0,
    memory_gib: 32,
    aliases: ['V100-SXM2-32GB', 'V100-32G'],
    source: [CUDA_LEGACY_GPUS, AWS_BATCH_GPU_JOBS, KARPENTER_INSTANCE_TYPES],
    as_of: CATALOG_READ_ON,
    note: 'The GPU of EC2 p3dn.24xlarge: 8 GPUs, 256 GiB in all (AWS Batch), 32768 MiB each (DescribeInstanceTypes).',
  },
  {
    name: 'T4',
    full_name: 'NVIDIA T4',
    architecture: 'Turing',
    compute_capability: 7.5,
    memory_gib: 16,
    aliases: ['T4-16GB'],
    source: [CUDA_GPUS, AWS_BATCH_GPU_JOBS, GPUHUNT_GCP],
    as_of: CATALOG_READ_ON,
  },
  {
    name: 'A10G',
    full_name: 'NVIDIA A10G',
    architecture: 'Ampere',
    compute_capability: 8.6,
    memory_gib: 24,
    aliases: ['A10G-24GB'],
    source: [
      AWS_BATCH_GPU_JOBS,
      'https://github.com/pytorch/test-infra/pull/769',
      'https://github.com/vantage-sh/ec2instances.info/issues/724',
    ],
    as_of: CATALOG_READ_ON,
    note:
      "An AWS-only variant of the A10; NVIDIA's CUDA GPUs page does not list it, so 8.6 comes from device queries " +
      'quoted in the PyTorch and ec2instances.info threads (secondary). ' +
      'EC2 DescribeInstanceTypes reports 22888 MiB per GPU.',
  },
  {
    name: 'A10',
    full_name: 'NVIDIA A10',
    architecture: 'Ampere',
    compute_capability: 8.6,
    memory_gib: 24,
    aliases: ['A10-24GB'],
    source: [CUDA_GPUS],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['memory_gib'],
    note:
      'None of the three clouds sells the A10 under this name; ' +
      '24 GB is the commonly quoted size, not read from a source here.',
  },
  {
    name: 'A100',
    full_name: 'NVIDIA A100 40 GB',
    architecture: 'Ampere',
    compute_capability: 8.0,
    memory_gib: 40,
    aliases: ['A100-40GB', 'A100-SXM4-40GB', 'A100-40G'],
    source: [CUDA_GPUS, KARPENTER_INSTANCE_TYPES, GPUHUNT_GCP],
    as_of: CATALOG_READ_ON,
  },
  {
    name: 'A100-80GB',
    full_name: 'NVIDIA A100 80 GB',
    architecture: 'Ampere',
    compute_capability: 8.0,
    memory_gib: 80,
    aliases: ['A100-SXM4-80GB', 'A100-80G'],
    source: [CUDA_GPUS, KARPENTER_INSTANCE_TYPES, GPUHUNT_GCP],
    as_of: CATALOG_READ_ON,
  },
  {
    name: 'L4',
    full_name: 'NVIDIA L4',
    architecture: 'Ada Lovelace',
    compute_capability: 8.9,
    memory_gib: 24,
    aliases: ['L4-24GB'],
    source: [CUDA_GPUS, AWS_BATCH_GPU_JOBS, GPUHUNT_GCP],
    as_of: CATALOG_READ_ON,
  },
  {
    name: 'L40S',
    full_name: 'NVIDIA L40S',
    architecture: 'Ada Lovelace',
    compute_capability: 8.9,
    memory_gib: 48,
    aliases: ['L40S-48GB'],
    source: [CUDA_GPUS, KARPENTER_INSTANCE_TYPES],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['memory_gib'],
    note:
      'EC2 DescribeInstanceTypes reports 45776 MiB per GPU on g6e; ' +
      'the 48 GB sales figure was seen only in third-party pages.',
  },
  {
    name: 'H100',
    full_name: 'NVIDIA H100 80 GB',
    architecture: 'Hopper',
    compute_capability: 9.0,
    memory_gib: 80,
    aliases: ['H100-80GB', 'H100-SXM', 'H100-80GB-HBM3', 'H100-MEGA', 'H100-MEGA-80GB'],
    source: [CUDA_GPUS, KARPENTER_INSTANCE_TYPES, GPUHUNT_GCP],
    as_of: CATALOG_READ_ON,
    note: "Google's H100 Mega (A3 Mega machines) is the same GPU with more network bandwidth per machine.",
  },
  {
    name: 'H200',
    full_name: 'NVIDIA H200 141 GB',
    architecture: 'Hopper',
    compute_capability: 9.0,
    memory_gib: 141,
    aliases: ['H200-141GB'],
    source: [CUDA_GPUS, KARPENTER_INSTANCE_TYPES, VERTEX_MACHINE_SPEC],
    as_of: CATALOG_READ_ON,
    note: 'EC2 reports 144384 MiB (141 GiB) per GPU on p5e/p5en; Vertex names the accelerator NVIDIA_H200_141GB.',
  },
  {
    name: 'B200',
    full_name: 'NVIDIA B200',
    architecture: 'Blackwell',
    compute_capability: 10.0,
    memory_gib: 179,
    aliases: [],
    source: [CUDA_GPUS, KARPENTER_INSTANCE_TYPES],
    as_of: CATALOG_READ_ON,
    note: 'Memory is the EC2 figure (183359 MiB per GPU on p6-b200.48xlarge), rounded down to whole GiB.',
  },
  {
    name: 'B300',
    full_name: 'NVIDIA B300',
    architecture: 'Blackwell',
    compute_capability: 10.3,
    aliases: [],
    source: [CUDA_GPUS],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['memory_gib'],
    note:
      'Listed for completeness (capability 10.3 per NVIDIA); ' +
      'no source read here gave its memory or a cloud offering it.',
  },
  {
    name: 'GB200',
    full_name: 'NVIDIA GB200 (Grace Blackwell)',
    architecture: 'Blackwell',
    compute_capability: 10.0,
    aliases: [],
    source: [CUDA_GPUS, VERTEX_MACHINE_SPEC],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['memory_gib'],
    note:
      'Vertex lists the NVIDIA_GB200 accelerator (A4X machines, ARM hosts); ' +
      'no source read here gave its memory per GPU.',
  },
  {
    name: 'RTX-PRO-6000',
    full_name: 'NVIDIA RTX PRO 6000 Blackwell Server Edition',
    architecture: 'Blackwell',
    compute_capability: 12.0,
    aliases: ['RTX-PRO-6000-BLACKWELL'],
    source: [CUDA_GPUS, VERTEX_SOURCES.acceleratorTypeReference],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['memory_gib'],
    note: 'Vertex lists NVIDIA_RTX_PRO_6000; 96 GB appears only in third-party pages, so memory is left undefined.',
  },
];

/** Upper case, spaces and underscores as '-', without the NVIDIA and TESLA prefixes people and clouds add. */
export function normaliseGpuName(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/[\s_]+/g, '-')
    .replace(/^NVIDIA-/, '')
    .replace(/^TESLA-/, '');
}

const BY_NAME: ReadonlyMap<string, GpuModel> = new Map(
  GPUS.flatMap((gpu) => [gpu.name, ...gpu.aliases].map((name) => [name, gpu] as const)),
);

/** The GPU model a name or alias means, case-insensitively ("t4", "NVIDIA_TESLA_T4", "a100-80gb"), or undefined. */
export function findGpu(name: string): GpuModel | undefined {
  return BY_NAME.get(normaliseGpuName(name));
}

/** Every name `findGpu` accepts after normalising: models first, then aliases. */
export function gpuNames(): string[] {
  return [...GPUS.map((gpu) => gpu.name), ...GPUS.flatMap((gpu) => gpu.aliases)];
}

/** The GPU model name a mistyped one most likely meant ("A1000" -> "A100"), or undefined. */
export function suggestGpu(name: string): string | undefined {
  const suggestion = suggestName(normaliseGpuName(name), gpuNames());
  return suggestion === undefined ? undefined : findGpu(suggestion)?.name;
}

/** GPU model names near a mistyped one, nearest first. */
export function closeGpuNames(name: string, limit = 3): string[] {
  const models = closeNames(normaliseGpuName(name), gpuNames(), limit * 2).map((close) => findGpu(close)!.name);
  return [...new Set(models)].slice(0, limit);
}

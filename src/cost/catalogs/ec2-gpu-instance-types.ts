import { CATALOG_READ_ON } from './catalog-row.js';
import { EC2_SOURCES, familyRows, type Ec2InstanceType } from './ec2-instance-type-row.js';

const { karpenter, batchGpuJobs, acceleratedComputingArchived, g2Launch } = EC2_SOURCES;

/**
 * EC2 GPU instance types, every size of each family. Memory is GiB (DescribeInstanceTypes' MiB / 1024);
 * GPU memory is per GPU in MiB as DescribeInstanceTypes reports it, a little under the sales figure for
 * GDDR GPUs (22888 MiB for a "24 GB" A10G or L4).
 */
export const EC2_GPU_INSTANCE_TYPES: readonly Ec2InstanceType[] = [
  // Gone from AWS's current reference and from DescribeInstanceTypes output, so the archived guide is the source.
  ...familyRows(
    'g2',
    {
      gpu: { model: 'K520', memory_mib_per_gpu: 4096 },
      source: [acceleratedComputingArchived, g2Launch],
      as_of: CATALOG_READ_ON,
    },
    [
      ['2xlarge', 8, 15, 1],
      ['8xlarge', 32, 60, 4],
    ],
  ),
  ...familyRows(
    'p2',
    {
      gpu: { model: 'K80', memory_mib_per_gpu: 12288 },
      source: [acceleratedComputingArchived, batchGpuJobs],
      as_of: CATALOG_READ_ON,
    },
    [
      ['xlarge', 4, 61, 1],
      ['8xlarge', 32, 488, 8],
      ['16xlarge', 64, 732, 16],
    ],
  ),
  ...familyRows(
    'g3s',
    {
      gpu: { model: 'M60', memory_mib_per_gpu: 8192 },
      source: [acceleratedComputingArchived, batchGpuJobs],
      as_of: CATALOG_READ_ON,
    },
    [['xlarge', 4, 30.5, 1]],
  ),
  ...familyRows(
    'g3',
    {
      gpu: { model: 'M60', memory_mib_per_gpu: 8192 },
      source: [acceleratedComputingArchived, batchGpuJobs],
      as_of: CATALOG_READ_ON,
    },
    [
      ['4xlarge', 16, 122, 1],
      ['8xlarge', 32, 244, 2],
      ['16xlarge', 64, 488, 4],
    ],
  ),
  ...familyRows(
    'p3',
    {
      gpu: { model: 'V100', memory_mib_per_gpu: 16384 },
      source: [karpenter, batchGpuJobs],
      as_of: CATALOG_READ_ON,
    },
    [
      ['2xlarge', 8, 61, 1],
      ['8xlarge', 32, 244, 4],
      ['16xlarge', 64, 488, 8],
    ],
  ),
  ...familyRows(
    'p3dn',
    {
      gpu: { model: 'V100-32GB', memory_mib_per_gpu: 32768 },
      source: [karpenter, batchGpuJobs],
      as_of: CATALOG_READ_ON,
    },
    [['24xlarge', 96, 768, 8]],
  ),
  ...familyRows(
    'g4dn',
    {
      gpu: { model: 'T4', memory_mib_per_gpu: 16384 },
      source: [karpenter, batchGpuJobs],
      as_of: CATALOG_READ_ON,
    },
    [
      ['xlarge', 4, 16, 1],
      ['2xlarge', 8, 32, 1],
      ['4xlarge', 16, 64, 1],
      ['8xlarge', 32, 128, 1],
      ['12xlarge', 48, 192, 4],
      ['16xlarge', 64, 256, 1],
      ['metal', 96, 384, 8],
    ],
  ),
  ...familyRows(
    'g5',
    {
      gpu: { model: 'A10G', memory_mib_per_gpu: 22888 },
      source: [karpenter, batchGpuJobs],
      as_of: CATALOG_READ_ON,
    },
    [
      ['xlarge', 4, 16, 1],
      ['2xlarge', 8, 32, 1],
      ['4xlarge', 16, 64, 1],
      ['8xlarge', 32, 128, 1],
      ['12xlarge', 48, 192, 4],
      ['16xlarge', 64, 256, 1],
      ['24xlarge', 96, 384, 4],
      ['48xlarge', 192, 768, 8],
    ],
  ),
  ...familyRows(
    'g6',
    {
      gpu: { model: 'L4', memory_mib_per_gpu: 22888 },
      source: [karpenter, batchGpuJobs],
      as_of: CATALOG_READ_ON,
    },
    [
      ['xlarge', 4, 16, 1],
      ['2xlarge', 8, 32, 1],
      ['4xlarge', 16, 64, 1],
      ['8xlarge', 32, 128, 1],
      ['12xlarge', 48, 192, 4],
      ['16xlarge', 64, 256, 1],
      ['24xlarge', 96, 384, 4],
      ['48xlarge', 192, 768, 8],
    ],
  ),
  ...familyRows(
    'g6e',
    {
      gpu: { model: 'L40S', memory_mib_per_gpu: 45776 },
      source: [karpenter],
      as_of: CATALOG_READ_ON,
    },
    [
      ['xlarge', 4, 32, 1],
      ['2xlarge', 8, 64, 1],
      ['4xlarge', 16, 128, 1],
      ['8xlarge', 32, 256, 1],
      ['12xlarge', 48, 384, 4],
      ['16xlarge', 64, 512, 1],
      ['24xlarge', 96, 768, 4],
      ['48xlarge', 192, 1536, 8],
    ],
  ),
  ...familyRows(
    'p4d',
    {
      gpu: { model: 'A100', memory_mib_per_gpu: 40960 },
      source: [karpenter],
      as_of: CATALOG_READ_ON,
    },
    [['24xlarge', 96, 1152, 8]],
  ),
  ...familyRows(
    'p4de',
    {
      gpu: { model: 'A100-80GB', memory_mib_per_gpu: 81920 },
      source: [karpenter],
      as_of: CATALOG_READ_ON,
    },
    [['24xlarge', 96, 1152, 8]],
  ),
  ...familyRows(
    'p5',
    {
      gpu: { model: 'H100', memory_mib_per_gpu: 81920 },
      source: [karpenter],
      as_of: CATALOG_READ_ON,
    },
    [['48xlarge', 192, 2048, 8]],
  ),
  ...familyRows(
    'p5',
    {
      gpu: { model: 'H100', memory_mib_per_gpu: 81920 },
      source: [karpenter],
      as_of: CATALOG_READ_ON,
      unconfirmed_fields: ['gpu_count', 'gpu_memory'],
      note:
        'The Karpenter reference lists p5.4xlarge with 16 vCPUs and 256 GiB but a GPU count of 0, as it does for ' +
        'fractional-GPU types; one whole H100 is what the size is understood to carry, unconfirmed here.',
    },
    [['4xlarge', 16, 256, 1]],
  ),
  ...familyRows(
    'p5e',
    {
      gpu: { model: 'H200', memory_mib_per_gpu: 144384 },
      source: [karpenter],
      as_of: CATALOG_READ_ON,
    },
    [['48xlarge', 192, 2048, 8]],
  ),
  ...familyRows(
    'p5en',
    {
      gpu: { model: 'H200', memory_mib_per_gpu: 144384 },
      source: [karpenter],
      as_of: CATALOG_READ_ON,
    },
    [['48xlarge', 192, 2048, 8]],
  ),
  ...familyRows(
    'p6-b200',
    {
      gpu: { model: 'B200', memory_mib_per_gpu: 183359 },
      source: [karpenter],
      as_of: CATALOG_READ_ON,
    },
    [['48xlarge', 192, 2048, 8]],
  ),
];

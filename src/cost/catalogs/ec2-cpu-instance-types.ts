import { CATALOG_READ_ON } from './catalog-row.js';
import { EC2_SOURCES, familyRows, type Ec2InstanceType, type Ec2Size } from './ec2-instance-type-row.js';

const { karpenter, generalPurposeArchived } = EC2_SOURCES;
const fromKarpenter = { source: [karpenter], as_of: CATALOG_READ_ON };

/** Sizes whose memory is the family's fixed GiB per vCPU (checked size by size against the Karpenter figures). */
function generalSizes(memoryPerVcpu: number, vcpus: readonly [string, number][]): Ec2Size[] {
  return vcpus.map(([size, count]) => [size, count, count * memoryPerVcpu] as const);
}

/** The sizes every one of these families shares; newer families add 32xlarge, 48xlarge and their metal sizes. */
const UP_TO_24XLARGE: readonly [string, number][] = [
  ['large', 2],
  ['xlarge', 4],
  ['2xlarge', 8],
  ['4xlarge', 16],
  ['8xlarge', 32],
  ['12xlarge', 48],
  ['16xlarge', 64],
  ['24xlarge', 96],
];
/** c5 alone has 9xlarge and 18xlarge instead of 8xlarge and 16xlarge. */
const C5_SIZES: readonly [string, number][] = [
  ['large', 2],
  ['xlarge', 4],
  ['2xlarge', 8],
  ['4xlarge', 16],
  ['9xlarge', 36],
  ['12xlarge', 48],
  ['18xlarge', 72],
  ['24xlarge', 96],
  ['metal', 96],
];

/**
 * EC2 CPU-only families a training job (or its data preparation) might name, every size. Memory is a fixed
 * ratio per vCPU in each of these families (m: 4 GiB, c: 2 GiB, r: 8 GiB), which the Karpenter reference's
 * MiB figures bear out size by size.
 */
export const EC2_CPU_INSTANCE_TYPES: readonly Ec2InstanceType[] = [
  // t3.nano and t3.micro are not in the Karpenter reference, so their figures come from the archived user guide.
  ...familyRows('t3', { source: [generalPurposeArchived, karpenter], as_of: CATALOG_READ_ON }, [
    ['nano', 2, 0.5],
    ['micro', 2, 1],
    ['small', 2, 2],
    ['medium', 2, 4],
    ['large', 2, 8],
    ['xlarge', 4, 16],
    ['2xlarge', 8, 32],
  ]),
  ...familyRows('m5', fromKarpenter, generalSizes(4, [...UP_TO_24XLARGE, ['metal', 96]])),
  ...familyRows('m6i', fromKarpenter, generalSizes(4, [...UP_TO_24XLARGE, ['32xlarge', 128], ['metal', 128]])),
  ...familyRows(
    'm7i',
    fromKarpenter,
    generalSizes(4, [...UP_TO_24XLARGE, ['metal-24xl', 96], ['48xlarge', 192], ['metal-48xl', 192]]),
  ),
  ...familyRows('c5', fromKarpenter, generalSizes(2, C5_SIZES)),
  ...familyRows('c6i', fromKarpenter, generalSizes(2, [...UP_TO_24XLARGE, ['32xlarge', 128], ['metal', 128]])),
  ...familyRows(
    'c7i',
    fromKarpenter,
    generalSizes(2, [...UP_TO_24XLARGE, ['metal-24xl', 96], ['48xlarge', 192], ['metal-48xl', 192]]),
  ),
  ...familyRows('r5', fromKarpenter, generalSizes(8, [...UP_TO_24XLARGE, ['metal', 96]])),
  ...familyRows('r6i', fromKarpenter, generalSizes(8, [...UP_TO_24XLARGE, ['32xlarge', 128], ['metal', 128]])),
];

import { CATALOG_READ_ON } from './catalog-row.js';
import { EC2_SOURCES, type Ec2Family } from './ec2-instance-type-row.js';

const { karpenter, instanceTypesArchived } = EC2_SOURCES;
/** A community tracker of AWS's instance-type pages, recording AWS moving these families to previous generation. */
const MOVED_TO_PREVIOUS_GENERATION = 'https://github.com/nrollr/instancetyp.es/issues/38';

/**
 * A family DescribeInstanceTypes still lists (per the Karpenter
 * reference) and no source put on the previous-generation list.
 */
const current = (name: string, kind: Ec2Family['kind']): Ec2Family => ({
  name,
  kind,
  previous_generation: false,
  source: [karpenter, MOVED_TO_PREVIOUS_GENERATION],
  as_of: CATALOG_READ_ON,
});

/** The EC2 families in the catalog and whether AWS still treats each as current. */
export const EC2_FAMILIES: readonly Ec2Family[] = [
  {
    name: 'g2',
    kind: 'gpu',
    previous_generation: true,
    source: [instanceTypesArchived],
    as_of: CATALOG_READ_ON,
    note: 'Already on the previous-generation list in the archived user guide (about 2020).',
  },
  {
    name: 'p2',
    kind: 'gpu',
    previous_generation: true,
    retirement: 'Retired: no longer launchable (eksctl removed the family).',
    source: [MOVED_TO_PREVIOUS_GENERATION, 'https://github.com/eksctl-io/eksctl/pull/7826'],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['retirement'],
    note: 'Retirement read from a third-party project, not an AWS notice.',
  },
  {
    name: 'g3',
    kind: 'gpu',
    previous_generation: true,
    retirement: 'AWS notified owners that G3 instances retire by 2025-10-31.',
    source: [MOVED_TO_PREVIOUS_GENERATION, 'https://github.com/SummitRoute/aws_breaking_changes/issues/114'],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['retirement'],
    note: 'Retirement date as quoted from an AWS notice in a community tracker.',
  },
  {
    name: 'g3s',
    kind: 'gpu',
    previous_generation: true,
    retirement: 'Retires with g3, by 2025-10-31.',
    source: [MOVED_TO_PREVIOUS_GENERATION, 'https://github.com/SummitRoute/aws_breaking_changes/issues/114'],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['retirement'],
  },
  {
    name: 'p3',
    kind: 'gpu',
    previous_generation: true,
    retirement: 'Decommissioned by 2025-12-20; by May 2026 the EC2 API no longer described p3 types.',
    source: [
      MOVED_TO_PREVIOUS_GENERATION,
      'https://github.com/zalando-incubator/kubernetes-on-aws/pull/8685',
      'https://github.com/dstackai/gpuhunt/pull/233',
    ],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['retirement'],
    note: 'Retirement read from two third-party projects reacting to it, not an AWS notice.',
  },
  {
    name: 'p3dn',
    kind: 'gpu',
    previous_generation: true,
    source: [MOVED_TO_PREVIOUS_GENERATION],
    as_of: CATALOG_READ_ON,
    note: 'No retirement date found for p3dn.',
  },
  current('g4dn', 'gpu'),
  current('g5', 'gpu'),
  current('g6', 'gpu'),
  current('g6e', 'gpu'),
  current('p4d', 'gpu'),
  current('p4de', 'gpu'),
  current('p5', 'gpu'),
  current('p5e', 'gpu'),
  current('p5en', 'gpu'),
  current('p6-b200', 'gpu'),
  current('t3', 'cpu'),
  current('m5', 'cpu'),
  current('m6i', 'cpu'),
  current('m7i', 'cpu'),
  current('c5', 'cpu'),
  current('c6i', 'cpu'),
  current('c7i', 'cpu'),
  current('r5', 'cpu'),
  current('r6i', 'cpu'),
];

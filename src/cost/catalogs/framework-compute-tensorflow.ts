import { CATALOG_READ_ON } from './catalog-row.js';
import type { FrameworkComputeRow } from './framework-compute-row.js';

/** TensorFlow's "tested build configurations" table (CUDA and cuDNN per release), read from its docs source. */
const TESTED_BUILDS = 'https://www.tensorflow.org/install/source#gpu';
const TESTED_BUILDS_SOURCE = 'https://github.com/tensorflow/docs/blob/master/site/en/install/source.md';
/** The pip guide's hardware requirement: CUDA architectures 3.5, 5.0, 6.0, 7.0, 7.5, 8.0 and higher. */
const PIP_REQUIREMENTS = 'https://www.tensorflow.org/install/pip';
const MAXWELL_ON_2_4 = 'https://github.com/tensorflow/tensorflow/issues/45904';
const XLA_RAISED_FLOOR = 'https://github.com/openxla/xla/pull/6482';
const CUDA_12_FLOOR = 'https://docs.nvidia.com/cuda/archive/12.6.3/cufft/deprecated-functionality.html';

const tf = (from: string, until: string, cuda: string, minimum: number) => ({ from, until, cuda, minimum });

/** The pip-installed TensorFlow GPU builds (Linux), by release. TensorFlow ships one CUDA variant per release. */
export const TENSORFLOW_COMPUTE: readonly FrameworkComputeRow[] = [
  ...[tf('1.0', '1.5', '8.0', 3.5), tf('1.5', '1.13', '9.0', 3.5), tf('1.13', '2.0', '10.0', 3.5)].map(
    ({ from, until, cuda, minimum }): FrameworkComputeRow => ({
      framework: 'tensorflow',
      from,
      until,
      builds: [{ cuda, minimum }],
      source: [TESTED_BUILDS, TESTED_BUILDS_SOURCE],
      as_of: CATALOG_READ_ON,
      unconfirmed_fields: ['minimum'],
      note:
        'CUDA from the tested-configurations table; ' +
        'the 3.5 floor of 1.x binaries was not read from a 1.x-era page.',
    }),
  ),
  ...[
    tf('2.0', '2.1', '10.0', 3.5),
    tf('2.1', '2.4', '10.1', 3.5),
    tf('2.4', '2.5', '11.0', 3.5),
    tf('2.5', '2.12', '11.2', 3.5),
    tf('2.12', '2.15', '11.8', 3.5),
  ].map(
    ({ from, until, cuda, minimum }): FrameworkComputeRow => ({
      framework: 'tensorflow',
      from,
      until,
      builds: [{ cuda, minimum }],
      source: [TESTED_BUILDS, TESTED_BUILDS_SOURCE, PIP_REQUIREMENTS, MAXWELL_ON_2_4],
      as_of: CATALOG_READ_ON,
    }),
  ),
  ...[tf('2.15', '2.16', '12.2', 5.0), tf('2.16', '2.18', '12.3', 5.0)].map(
    ({ from, until, cuda, minimum }): FrameworkComputeRow => ({
      framework: 'tensorflow',
      from,
      until,
      builds: [{ cuda, minimum }],
      source: [TESTED_BUILDS, TESTED_BUILDS_SOURCE, CUDA_12_FLOOR],
      as_of: CATALOG_READ_ON,
      unconfirmed_fields: ['minimum'],
      note:
        "The pip guide still said 3.5, which CUDA 12 cannot build for; 5.0 is CUDA 12's floor, TensorFlow's own " +
        'architecture list for these releases was not read.',
    }),
  ),
  {
    framework: 'tensorflow',
    from: '2.18',
    until: '2.19',
    builds: [{ cuda: '12.5', minimum: 6.0 }],
    source: [TESTED_BUILDS, TESTED_BUILDS_SOURCE, XLA_RAISED_FLOOR],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['minimum'],
    note:
      'CUDA 12.5 per the tested-configurations table; ' +
      'the 6.0 floor follows XLA raising its minimum and is not stated by TensorFlow.',
  },
  {
    framework: 'tensorflow',
    from: '2.19',
    until: '2.21',
    builds: [{ minimum: 6.0 }],
    source: [TESTED_BUILDS_SOURCE, XLA_RAISED_FLOOR],
    as_of: CATALOG_READ_ON,
    unconfirmed: true,
    note: 'The tested-configurations table read stops at 2.18; CUDA 12.x and the 6.0 floor are assumed to carry over.',
  },
];

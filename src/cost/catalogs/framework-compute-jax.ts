import { CATALOG_READ_ON } from './catalog-row.js';
import type { FrameworkComputeRow } from './framework-compute-row.js';

const INSTALLATION = 'https://docs.jax.dev/en/latest/installation.html';
const INSTALLATION_SOURCE = 'https://github.com/jax-ml/jax/blob/main/docs/installation.md';
/** jaxlib 0.4.26 (2024-04-03): CUDA 12.1 or newer only; CUDA 11.8 dropped. */
const CHANGELOG = 'https://github.com/jax-ml/jax/blob/main/CHANGELOG.md';
const CUDA_11_FLOOR = 'https://docs.nvidia.com/cuda/archive/12.6.3/cufft/deprecated-functionality.html';
const CUDA_13_FLOOR = 'https://github.com/NVIDIA/cuDecomp/pull/97';

/** JAX's CUDA wheels (jaxlib, later the jax-cuda plugins), by the `jax` version a job pins. */
export const JAX_COMPUTE: readonly FrameworkComputeRow[] = [
  {
    framework: 'jax',
    from: '0.1',
    until: '0.4.26',
    builds: [{ minimum: 3.5, unconfirmed: true }],
    source: [CHANGELOG, CUDA_11_FLOOR],
    as_of: CATALOG_READ_ON,
    unconfirmed: true,
    note:
      'CUDA 10/11 wheels (and CUDA 12 ones late in 0.4). JAX stated no architecture list that was read; 3.5 is the ' +
      'floor CUDA 11 allows, so the true minimum is somewhere from 3.5 to 5.2.',
  },
  {
    framework: 'jax',
    from: '0.4.26',
    until: '0.7',
    builds: [{ cuda: '12', minimum: 5.2 }],
    source: [CHANGELOG, INSTALLATION, INSTALLATION_SOURCE],
    as_of: CATALOG_READ_ON,
    note:
      'The installation page (reviewed 2024-06-18) asks for SM 5.2 (Maxwell) or newer ' +
      'and says Kepler is no longer supported.',
  },
  {
    framework: 'jax',
    from: '0.7',
    until: '0.12',
    builds: [
      { cuda: '12', minimum: 5.2, unconfirmed: true },
      { cuda: '13', minimum: 7.5 },
    ],
    source: [INSTALLATION, CUDA_13_FLOOR],
    as_of: CATALOG_READ_ON,
    unconfirmed: true,
    note:
      'The installation page now recommends jax[cuda13] (CUDA 13 floor: 7.5). ' +
      'jax[cuda13] was seen pinned at 0.7.2 and CUDA 12 wheels at 0.9; ' +
      'the exact releases where CUDA 13 arrived, and whether CUDA 12 wheels continue, were not read.',
  },
];

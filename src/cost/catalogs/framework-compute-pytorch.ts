import { CATALOG_READ_ON } from './catalog-row.js';
import type { FrameworkComputeRow } from './framework-compute-row.js';

const ARCHITECTURES_3_5_TO_3_7 = 'https://github.com/pytorch/pytorch/issues/24205';
const BUILDER_CUDA_SCRIPT = 'https://github.com/pytorch/builder/blob/main/manywheel/build_cuda.sh';
const RELEASE_MATRIX = 'https://github.com/pytorch/pytorch/blob/main/RELEASE.md';
const SM_37_IN_2_7 = 'https://github.com/coendevente/SlicerNNInteractive/issues/58';
const VOLTA_OUT_OF_12_8 = 'https://github.com/pytorch/pytorch/pull/147607';
const VOLTA_OUT_OF_12_8_SEEN = 'https://github.com/EutropicAI/vs-playground/pull/59';
const MAXWELL_PASCAL_REMOVED =
  'https://dev-discuss.pytorch.org/t/' +
  'cuda-toolkit-version-and-architecture-support-update-maxwell-and-pascal-architecture-support-removed-in-cuda-12-8-' +
  'and-12-9-builds/3128';
const RELEASE_2_8_ARCHITECTURES = 'https://github.com/pytorch/pytorch/issues/157517';
const CI_CUDA_SCRIPT = 'https://github.com/pytorch/pytorch/blob/main/.ci/manywheel/build_cuda.sh';
const ARCHITECTURES_2_10_2_11 = 'https://github.com/pytorch/pytorch/issues/182250';
const RFC_2_11 = 'https://github.com/pytorch/pytorch/issues/172352';
const RFC_2_14 = 'https://github.com/pytorch/pytorch/issues/190385';

/** The CUDA 11.x wheels' list from the builder script: 3.7 through 8.6, plus 9.0 from CUDA 11.8. */
const CUDA_11_8 = { cuda: '11.8', minimum: 3.7, newest: 9.0 } as const;
/** The CUDA 12.1 to 12.6 wheels: Maxwell (5.0) through Hopper (9.0). */
const cuda12Classic = (cuda: string) => ({ cuda, minimum: 5.0, newest: 9.0 }) as const;

const RECALLED_AS_FOR_2_1 =
  'CUDA variants recalled, not read from the release matrix; ' +
  'the sm_37 floor of the 11.8 wheels is inferred as for 2.1.';

/** PyTorch's official Linux wheels, by release, with the CUDA variants each release shipped. */
export const PYTORCH_COMPUTE: readonly FrameworkComputeRow[] = [
  {
    framework: 'pytorch',
    from: '1.0',
    until: '1.3',
    builds: [{ minimum: 3.5 }],
    source: [ARCHITECTURES_3_5_TO_3_7, 'https://github.com/pytorch/pytorch/issues/4841'],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['cuda'],
    note:
      'Binaries stopped shipping sm_30 early (issue 4841); ' +
      '3.5 was the floor until the October 2019 switch to 3.7 (issue 24205).',
  },
  {
    framework: 'pytorch',
    from: '1.3',
    until: '1.12',
    builds: [{ minimum: 3.7 }],
    source: [ARCHITECTURES_3_5_TO_3_7, BUILDER_CUDA_SCRIPT],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['cuda'],
    note: 'CUDA 9.2 to 11.3 wheels in this range; which CUDA variants each release shipped was not read.',
  },
  {
    framework: 'pytorch',
    from: '1.12',
    until: '1.13',
    builds: [
      { cuda: '11.3', minimum: 3.7, newest: 8.6 },
      { cuda: '11.6', minimum: 3.7, newest: 8.6 },
    ],
    source: [RELEASE_MATRIX, BUILDER_CUDA_SCRIPT],
    as_of: CATALOG_READ_ON,
  },
  {
    framework: 'pytorch',
    from: '1.13',
    until: '2.0',
    builds: [
      { cuda: '11.6', minimum: 3.7, newest: 8.6 },
      { cuda: '11.7', minimum: 3.7, newest: 8.6 },
    ],
    source: [RELEASE_MATRIX, BUILDER_CUDA_SCRIPT],
    as_of: CATALOG_READ_ON,
  },
  {
    framework: 'pytorch',
    from: '2.0',
    until: '2.1',
    builds: [{ cuda: '11.7', minimum: 3.7, newest: 8.6 }, CUDA_11_8],
    source: [RELEASE_MATRIX, BUILDER_CUDA_SCRIPT],
    as_of: CATALOG_READ_ON,
  },
  {
    framework: 'pytorch',
    from: '2.1',
    until: '2.4',
    builds: [{ ...CUDA_11_8, unconfirmed: true }, cuda12Classic('12.1')],
    source: [RELEASE_MATRIX, BUILDER_CUDA_SCRIPT, SM_37_IN_2_7],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['minimum'],
    note:
      'The default pip wheel is the CUDA 12.1 one (floor 5.0). That the CUDA 11.8 wheels kept sm_37 is inferred: the ' +
      'builder gives every CUDA 11 build 3.7, and 2.7.1 still reports sm_37; no 2.1 to 2.6 architecture list was read.',
  },
  {
    framework: 'pytorch',
    from: '2.4',
    until: '2.6',
    builds: [{ ...CUDA_11_8, unconfirmed: true }, cuda12Classic('12.1'), cuda12Classic('12.4')],
    source: [BUILDER_CUDA_SCRIPT, SM_37_IN_2_7],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['cuda', 'minimum'],
    note: RECALLED_AS_FOR_2_1,
  },
  {
    framework: 'pytorch',
    from: '2.6',
    until: '2.7',
    builds: [{ ...CUDA_11_8, unconfirmed: true }, cuda12Classic('12.4'), cuda12Classic('12.6')],
    source: [BUILDER_CUDA_SCRIPT, SM_37_IN_2_7],
    as_of: CATALOG_READ_ON,
    unconfirmed_fields: ['cuda', 'minimum'],
    note: RECALLED_AS_FOR_2_1,
  },
  {
    framework: 'pytorch',
    from: '2.7',
    until: '2.8',
    builds: [CUDA_11_8, cuda12Classic('12.6'), { cuda: '12.8', minimum: 7.5, newest: 12.0 }],
    source: [SM_37_IN_2_7, VOLTA_OUT_OF_12_8, VOLTA_OUT_OF_12_8_SEEN, CI_CUDA_SCRIPT],
    as_of: CATALOG_READ_ON,
    note: 'The last release with CUDA 11.8 wheels; its 12.8 wheels (the first with Blackwell kernels) left out Volta.',
  },
  {
    framework: 'pytorch',
    from: '2.8',
    until: '2.9',
    builds: [
      cuda12Classic('12.6'),
      { cuda: '12.8', minimum: 7.0, newest: 12.0 },
      { cuda: '12.9', minimum: 7.0, newest: 12.0, ptx: true },
    ],
    source: [MAXWELL_PASCAL_REMOVED, RELEASE_2_8_ARCHITECTURES],
    as_of: CATALOG_READ_ON,
    note: 'Maxwell and Pascal removed from the 12.8 and 12.9 wheels, Volta kept; the 12.6 wheels keep 5.0 to 9.0.',
  },
  {
    framework: 'pytorch',
    from: '2.9',
    until: '2.10',
    builds: [
      cuda12Classic('12.6'),
      { cuda: '12.8', minimum: 7.0, newest: 12.0 },
      { cuda: '13.0', minimum: 7.5, newest: 12.0, ptx: true },
    ],
    source: [CI_CUDA_SCRIPT, RELEASE_2_8_ARCHITECTURES],
    as_of: CATALOG_READ_ON,
    unconfirmed: true,
    note: 'Read from the current build script and the 2.10 report; no 2.9-specific list was read.',
  },
  {
    framework: 'pytorch',
    from: '2.10',
    until: '2.11',
    builds: [
      cuda12Classic('12.6'),
      { cuda: '12.8', minimum: 7.0, newest: 12.0 },
      { cuda: '13.0', minimum: 7.5, newest: 12.0, ptx: true },
    ],
    source: [ARCHITECTURES_2_10_2_11, CI_CUDA_SCRIPT],
    as_of: CATALOG_READ_ON,
  },
  {
    framework: 'pytorch',
    from: '2.11',
    until: '2.12',
    builds: [
      cuda12Classic('12.6'),
      { cuda: '12.8', minimum: 7.5, newest: 12.0 },
      { cuda: '13.0', minimum: 7.5, newest: 12.0, ptx: true },
    ],
    source: [ARCHITECTURES_2_10_2_11, RFC_2_11],
    as_of: CATALOG_READ_ON,
    note: 'Volta left the 12.8 wheels in 2.11; only the 12.6 wheels still run on Maxwell, Pascal and Volta.',
  },
  {
    framework: 'pytorch',
    from: '2.12',
    until: '2.14',
    builds: [cuda12Classic('12.6'), { minimum: 7.5, newest: 12.0, unconfirmed: true }],
    source: [RFC_2_11, RFC_2_14],
    as_of: CATALOG_READ_ON,
    unconfirmed: true,
    note:
      'Assumes the 12.6 wheels stayed (the 2.14 RFC still lists 12.6 as the legacy build); ' +
      'the newer variants were not read.',
  },
  {
    framework: 'pytorch',
    from: '2.14',
    until: '2.15',
    builds: [
      cuda12Classic('12.6'),
      { cuda: '13.0', minimum: 7.5, newest: 12.0 },
      { cuda: '13.2', minimum: 7.5, newest: 12.0 },
    ],
    source: [RFC_2_14],
    as_of: CATALOG_READ_ON,
    unconfirmed: true,
    note: 'From the release RFC (a plan): 12.6 as the legacy build beside 13.0 and 13.2.',
  },
  {
    framework: 'pytorch',
    from: '2.15',
    until: '2.16',
    builds: [{ cuda: '13.0', minimum: 7.5, newest: 12.0, unconfirmed: true }],
    source: [RFC_2_14],
    as_of: CATALOG_READ_ON,
    unconfirmed: true,
    note: 'Planned, not released when read: CUDA 12 wheels dropped, so Maxwell, Pascal and Volta lose official builds.',
  },
];

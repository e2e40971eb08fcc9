import type { FrameworkName } from '../../spec/units/framework.js';
import { CATALOG_READ_ON, type Sourced } from './catalog-row.js';
import { JAX_COMPUTE } from './framework-compute-jax.js';
import { PYTORCH_COMPUTE } from './framework-compute-pytorch.js';
import type { FrameworkBuild, FrameworkComputeRow } from './framework-compute-row.js';
import { TENSORFLOW_COMPUTE } from './framework-compute-tensorflow.js';

export type { FrameworkBuild, FrameworkComputeRow } from './framework-compute-row.js';

/** Every framework row: PyTorch, TensorFlow, JAX, each oldest first. */
export const FRAMEWORK_COMPUTE: readonly FrameworkComputeRow[] = [
  ...PYTORCH_COMPUTE,
  ...TENSORFLOW_COMPUTE,
  ...JAX_COMPUTE,
];

/** The oldest GPUs a CUDA toolkit major version can still compile for. */
export interface CudaToolkitFloor extends Sourced {
  readonly cuda_major: number;
  readonly minimum: number;
}

const CUFFT_DEPRECATIONS = 'https://docs.nvidia.com/cuda/archive/12.6.3/cufft/deprecated-functionality.html';
const LLVM_KEPLER = 'https://github.com/llvm/llvm-project/commit/0f49116e261cf5a156221b006acb677e3565fd1a';

/** Why frameworks drop old GPUs: each CUDA major version stops compiling for the oldest architectures. */
export const CUDA_TOOLKIT_FLOORS: readonly CudaToolkitFloor[] = [
  {
    cuda_major: 10,
    minimum: 3.0,
    source: [CUFFT_DEPRECATIONS, LLVM_KEPLER],
    as_of: CATALOG_READ_ON,
    note: 'CUDA 11.0 removed sm_30, so 10.2 is the last toolkit for the K520.',
  },
  {
    cuda_major: 11,
    minimum: 3.5,
    source: [CUFFT_DEPRECATIONS, LLVM_KEPLER],
    as_of: CATALOG_READ_ON,
    note: 'sm_35 and sm_37 (K80) were deprecated throughout CUDA 11 and removed in 12.0.',
  },
  { cuda_major: 12, minimum: 5.0, source: [CUFFT_DEPRECATIONS, LLVM_KEPLER], as_of: CATALOG_READ_ON },
  {
    cuda_major: 13,
    minimum: 7.5,
    source: ['https://github.com/NVIDIA/cuDecomp/pull/97', 'https://github.com/pytorch/pytorch/issues/157517'],
    as_of: CATALOG_READ_ON,
    note: 'CUDA 13.0 removed offline compilation for Maxwell, Pascal and Volta; Turing (7.5) is the oldest left.',
  },
];

/** The oldest compute capability a CUDA version ("11.8", "12") can compile for, or undefined for an unknown major. */
export function cudaMinimumComputeCapability(cuda: string): number | undefined {
  const major = Number.parseInt(cuda, 10);
  return CUDA_TOOLKIT_FLOORS.find((floor) => floor.cuda_major === major)?.minimum;
}

/**
 * What `computeSupport` answers: the oldest GPU some official build of that version runs on, and the builds behind it.
 */
export interface ComputeSupport {
  /** The lowest compute capability any official GPU build of the version has kernels for. */
  readonly minimum: number;
  /** The newest compute capability any build has native kernels for, when every build's list was sourced. */
  readonly newest?: number;
  /** True when some build ships PTX for its newest architecture, so GPUs newer than `newest` may still run. */
  readonly ptx: boolean;
  /** The official GPU builds considered (one per CUDA variant). */
  readonly builds: readonly FrameworkBuild[];
  readonly source: readonly string[];
  readonly as_of: string;
  /** True when the minimum rests on an inferred or planned figure rather than one read from a source. */
  readonly unconfirmed: boolean;
  readonly note?: string;
}

/** Release numbers of a version ("2.3.1", "2.4.0rc1", "2.3.1+cu121"), or undefined when it starts with no number. */
export function versionNumbers(version: string): number[] | undefined {
  const match = /^(\d+(?:\.\d+)*)/.exec(version.trim());
  return match === null ? undefined : match[1]!.split('.').map(Number);
}

/**
 * Negative, zero or positive as version `a` is older than, the same as, or newer than `b` (missing parts count as 0).
 */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** "cu121" in a local version label ("2.3.1+cu121") as the CUDA version "12.1". */
function cudaOfLocalLabel(version: string): string | undefined {
  const match = /\+cu(\d+)(\d)$/.exec(version.trim());
  return match === null ? undefined : `${match[1]}.${match[2]}`;
}

/** The catalog row covering a framework version, or undefined when the catalog does not know the version. */
export function frameworkComputeRow(framework: FrameworkName, version: string): FrameworkComputeRow | undefined {
  const numbers = versionNumbers(version);
  if (numbers === undefined) return undefined;
  return FRAMEWORK_COMPUTE.find(
    (row) =>
      row.framework === framework &&
      compareVersions(numbers, versionNumbers(row.from)!) >= 0 &&
      compareVersions(numbers, versionNumbers(row.until)!) < 0,
  );
}

/**
 * The oldest GPU (by compute capability) the official GPU builds of a framework version run on, or undefined
 * for a version the catalog does not cover (too old, or newer than the sources read). A local label such as
 * "+cu118" narrows the answer to that CUDA variant; undefined if the catalog does not list that variant.
 */
export function computeSupport(framework: FrameworkName, version: string): ComputeSupport | undefined {
  const row = frameworkComputeRow(framework, version);
  if (row === undefined) return undefined;
  const cuda = cudaOfLocalLabel(version);
  const builds = cuda === undefined ? row.builds : row.builds.filter((build) => build.cuda === cuda);
  if (builds.length === 0) return undefined;
  const minimum = Math.min(...builds.map((build) => build.minimum));
  const newestKnown = builds.every((build) => build.newest !== undefined);
  // A row marks its minimum doubtful either per build (then a narrowed answer trusts the chosen build's own
  // marker) or only as a whole (then every answer from the row inherits the doubt).
  const doubtIsPerBuild = row.builds.some((build) => build.unconfirmed === true);
  const rowDoubtsMinimum =
    row.unconfirmed === true ||
    ((row.unconfirmed_fields ?? []).includes('minimum') && (cuda === undefined || !doubtIsPerBuild));
  const buildDoubtsMinimum = builds.some((build) => build.minimum === minimum && build.unconfirmed === true);
  return {
    minimum,
    ...(newestKnown ? { newest: Math.max(...builds.map((build) => build.newest!)) } : {}),
    ptx: builds.some((build) => build.ptx === true),
    builds,
    source: row.source,
    as_of: row.as_of,
    unconfirmed: rowDoubtsMinimum || buildDoubtsMinimum,
    ...(row.note === undefined ? {} : { note: row.note }),
  };
}

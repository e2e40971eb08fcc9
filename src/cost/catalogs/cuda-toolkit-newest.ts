import type { Sourced } from './catalog-row.js';

/**
 * The newest GPU architecture each CUDA toolkit can compile for: a framework build made with that toolkit has no
 * kernels for a GPU of a newer major architecture (a cubin for X.y runs on X.z with z >= y, never on a newer major;
 * https://docs.nvidia.com/cuda/cuda-c-programming-guide/#binary-compatibility). So torch 1.8 +cu102 cannot run on
 * an A100 (8.0), nor torch 1.13 +cu117 on an H100 (9.0). Read on 2026-12-06 from the toolkits' release notes.
 */
export interface CudaToolkitNewest extends Sourced {
  /** The first toolkit version of the range ("11.1"); the range ends where the next row starts. */
  readonly from: string;
  /** The newest compute capability its compiler targets. */
  readonly newest: number;
}

const RELEASE_NOTES = 'https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html';
const AS_OF = '2026-12-06';

/** Oldest first. */
export const CUDA_TOOLKIT_NEWEST: readonly CudaToolkitNewest[] = [
  { from: '10.0', newest: 7.5, source: [RELEASE_NOTES], as_of: AS_OF, note: 'Turing (sm_75) arrived with CUDA 10.0.' },
  {
    from: '11.0',
    newest: 8.0,
    source: [RELEASE_NOTES],
    as_of: AS_OF,
    note: 'Ampere A100 (sm_80) arrived with CUDA 11.0.',
  },
  { from: '11.1', newest: 8.6, source: [RELEASE_NOTES], as_of: AS_OF, note: 'sm_86 arrived with CUDA 11.1.' },
  {
    from: '11.8',
    newest: 9.0,
    source: [RELEASE_NOTES],
    as_of: AS_OF,
    note: 'Ada (sm_89) and Hopper (sm_90) arrived with CUDA 11.8.',
  },
  {
    from: '12.8',
    newest: 12.0,
    source: [RELEASE_NOTES],
    as_of: AS_OF,
    note: 'Blackwell (sm_100, sm_120) arrived with CUDA 12.8.',
  },
];

/** The newest compute capability a CUDA version ("11.7") compiles for, or undefined before 10.0. */
export function cudaNewestComputeCapability(cuda: string): number | undefined {
  const [major = 0, minor = 0] = cuda.split('.').map(Number);
  let found: number | undefined;
  for (const row of CUDA_TOOLKIT_NEWEST) {
    const [fromMajor = 0, fromMinor = 0] = row.from.split('.').map(Number);
    if (major > fromMajor || (major === fromMajor && minor >= fromMinor)) found = row.newest;
  }
  return found;
}

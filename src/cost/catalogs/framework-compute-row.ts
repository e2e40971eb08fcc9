import type { FrameworkName } from '../../spec/units/framework.js';
import type { Sourced } from './catalog-row.js';

/** One official GPU build of a framework version line (one CUDA variant of its wheels). */
export interface FrameworkBuild {
  /** The CUDA version the build is compiled against ("12.6"); undefined where no source gave it. */
  readonly cuda?: string;
  /** The lowest compute capability the build has kernels for. */
  readonly minimum: number;
  /** The newest compute capability with native kernels, where sourced; newer GPUs need `ptx`. */
  readonly newest?: number;
  /** True when the build also ships PTX for its newest architecture, so newer GPUs can JIT-compile it. */
  readonly ptx?: true;
  /** Set when this build's figures were inferred, not read. */
  readonly unconfirmed?: true;
}

/** The GPU builds of a range of framework versions: `from` (inclusive) up to `until` (exclusive). */
export interface FrameworkComputeRow extends Sourced<'cuda' | 'minimum' | 'newest'> {
  readonly framework: FrameworkName;
  readonly from: string;
  readonly until: string;
  readonly builds: readonly FrameworkBuild[];
}

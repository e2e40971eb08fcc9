import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (benchmarks run compiled, from dist/bench/support/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The built CLI, exactly as users run it. */
export const CLI_BIN = path.join(REPO_ROOT, 'dist', 'bundle', 'bin.js');
/** The compiled benchmarks, one runnable file each. */
export const BENCH_DIST = path.join(REPO_ROOT, 'dist', 'bench');
/** Hand-written benchmark inputs, read from the source tree (tsc does not copy them). */
export const BENCH_FIXTURES = path.join(REPO_ROOT, 'bench', 'fixtures');

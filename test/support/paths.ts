import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (vitest runs the tests from their sources, here in test/support/). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built CLI, exactly as users run it. */
export const CLI_BIN = path.join(REPO_ROOT, 'dist', 'bundle', 'bin.js');
/** Hand-written test inputs (job files and the like), read from the source tree. */
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

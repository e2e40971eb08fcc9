import os from 'node:os';
import { defineConfig } from 'vitest/config';

// The tests run from their TypeScript sources. The end-to-end tests run the built CLI (dist/), which `npm test`
// builds once before vitest starts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file in its own process, as the tests start servers and child processes and set process-wide state.
    pool: 'forks',
    // Most of a test's time is spent waiting for the processes and servers it started, so two files run at once
    // even on two cores (vitest's default there is one): the whole run takes about 40% less time.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // Generous ceilings for the end-to-end tests, whose own deadlines (a killed CLI, a stopped server) come first.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});

import type { TestContext } from 'vitest';
import { createBackend } from '../../adapters/rescale/rescale-backend.js';
import { rescaleCapabilities } from '../../adapters/rescale/rescale-capabilities.js';
import type { BackendContext, TrainingBackend } from '../../src/backend/training-backend.js';
import { rescaleStandFor } from '../support/rescale-stand.js';
import { backendConformance } from './backend-conformance.js';

/**
 * Rescale against the Rescale stand-in: axios over HTTP, each job's command (the real bootstrap) run with bash in a
 * work folder of its own. One stand-in per test, however many jobs it launches.
 */
const stands = new WeakMap<TestContext, Promise<{ backend: TrainingBackend; context: BackendContext }>>();

backendConformance({
  name: 'rescale',
  capabilities: rescaleCapabilities,
  settleTimeoutMs: 60_000,
  setUp(t) {
    if (!stands.has(t))
      stands.set(
        t,
        rescaleStandFor(t, { walltimeHourMs: 1000 }).then((stand) => ({
          backend: createBackend(),
          context: stand.context,
        })),
      );
    return stands.get(t)!;
  },
});

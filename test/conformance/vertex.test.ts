import type { TestContext } from 'vitest';
import { createBackend } from '../../adapters/vertex/vertex-backend.js';
import { vertexCapabilities } from '../../adapters/vertex/vertex-capabilities.js';
import type { BackendContext, TrainingBackend } from '../../src/backend/training-backend.js';
import { vertexStandFor } from '../support/vertex-stand.js';
import { backendConformance } from './backend-conformance.js';

/**
 * Vertex AI against the Vertex AI and Cloud Storage stand-ins: the real googleapis and @google-cloud/storage clients
 * over HTTP, every replica running the real bootstrap with bash. One stand-in per test, however many jobs it launches.
 */
const stands = new WeakMap<TestContext, Promise<{ backend: TrainingBackend; context: BackendContext }>>();

backendConformance({
  name: 'vertex',
  capabilities: vertexCapabilities,
  settleTimeoutMs: 60_000,
  setUp(t) {
    if (!stands.has(t))
      stands.set(
        t,
        vertexStandFor(t).then((stand) => ({ backend: createBackend(), context: stand.context })),
      );
    return stands.get(t)!;
  },
});

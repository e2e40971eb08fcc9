import { asLedgerId } from '../../src/backend/job-id.js';
import { backendConformance } from './backend-conformance.js';
import { createBackend } from '../../adapters/local/local-backend.js';
import { localCapabilities } from '../../adapters/local/local-capabilities.js';
import { tempDir } from '../support/temp-dir.js';

backendConformance({
  name: 'local',
  capabilities: localCapabilities,
  settleTimeoutMs: 60_000,
  async setUp(t) {
    return {
      backend: createBackend(),
      context: {
        ledgerId: asLedgerId('conformance-ledger'),
        home: tempDir(t, 'dlrun-home-'),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      },
    };
  },
});

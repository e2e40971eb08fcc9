import { createBackend } from '../../adapters/ec2/ec2-backend.js';
import { defer } from '../support/cleanup.js';
import { tempDir } from '../support/temp-dir.js';
import { startFaultProxy } from '../standins/fault-proxy.js';
import { startMachineSimulator } from '../standins/ec2-machine-simulator.js';
import { awsEnvironment, motoForThisFile } from '../standins/moto-server.js';
import { TEST_IMAGE } from '../standins/test-clients.js';
import { backendConformance } from './backend-conformance.js';

const motoFor = motoForThisFile();

/**
 * EC2 against moto_server, with the machine simulator booting every instance (running its user data with bash) and
 * the fault proxy honouring RunInstances ClientTokens as EC2 does (moto does not).
 */
backendConformance({
  name: 'ec2',
  settleTimeoutMs: 90_000,
  async setUp(t) {
    const moto = motoFor(t);
    if (!moto) throw new Error('moto_server is needed for the EC2 conformance suite');
    const proxy = await startFaultProxy(moto.endpoint, { honourClientTokens: true });
    defer(t, () => proxy.close());
    const simulator = await startMachineSimulator(moto.endpoint);
    defer(t, () => simulator.stop());
    const env = { ...awsEnvironment(proxy.endpoint), PATH: process.env['PATH'] ?? '/usr/bin:/bin', DLRUN_EC2_DEFAULT_IMAGE: TEST_IMAGE, DLRUN_WATCH_INTERVAL_MS: '200' };
    return { backend: createBackend(), context: { ledgerId: 'conformance-ledger', home: tempDir(t, 'dlrun-home-'), env } };
  },
});

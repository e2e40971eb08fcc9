import { asLedgerId } from '../../src/backend/job-id.js';
import type { TestContext } from 'vitest';
import { createBackend } from '../../adapters/ec2/ec2-backend.js';
import { ec2Capabilities } from '../../adapters/ec2/ec2-capabilities.js';
import type { BackendContext, TrainingBackend } from '../../src/backend/training-backend.js';
import { defer } from '../support/cleanup.js';
import { tempDir } from '../support/temp-dir.js';
import { mockPlacementGroups } from '../standins/ec2-client-mocks.js';
import { startFaultProxy } from '../standins/fault-proxy.js';
import { startMachineSimulator } from '../standins/ec2-machine-simulator.js';
import { motoForThisFile } from '../standins/moto-server.js';
import { backendConformance } from './backend-conformance.js';
import { ec2Env } from '../support/ec2-cli.js';

const motoFor = motoForThisFile();

/**
 * EC2 against moto_server, with the machine simulator booting every instance (running its user data with bash), the
 * fault proxy honouring RunInstances ClientTokens as EC2 does, and a client mock answering the placement-group calls
 * (moto does neither). One stand-in per test, however many jobs it launches: a second simulator would boot every
 * instance a second time, as no EC2 does (and the second boot would find its bootstrap deleted by the first).
 */
const standIns = new WeakMap<TestContext, Promise<{ backend: TrainingBackend; context: BackendContext }>>();

backendConformance({
  name: 'ec2',
  capabilities: ec2Capabilities,
  settleTimeoutMs: 90_000,
  setUp(t) {
    if (!standIns.has(t)) standIns.set(t, standIn(t));
    return standIns.get(t)!;
  },
});

async function standIn(t: TestContext): Promise<{ backend: TrainingBackend; context: BackendContext }> {
  const moto = motoFor(t);
  if (!moto) throw new Error('moto_server is needed for the EC2 conformance suite');
  await mockPlacementGroups(t);
  const proxy = await startFaultProxy(moto.endpoint, { honourClientTokens: true });
  defer(t, () => proxy.close());
  const simulator = await startMachineSimulator(moto.endpoint);
  defer(t, () => simulator.stop());
  const env = ec2Env(proxy.endpoint, { PATH: process.env.PATH ?? '/usr/bin:/bin' });
  return {
    backend: createBackend(),
    context: { ledgerId: asLedgerId('conformance-ledger'), home: tempDir(t, 'dlrun-home-'), env },
  };
}

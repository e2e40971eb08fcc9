import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import { test } from 'vitest';
import { localJobFolder, writeJsonAtomically } from '../../../adapters/local/local-job-folder.js';
import { readFolderState } from '../../../adapters/local/local-map-state.js';
import type { LocalProcesses } from '../../../adapters/local/local-settings.js';
import { newJobId } from '../../../src/backend/job-id.js';
import { identify } from '../../../src/util/process-identity.js';
import { tempDir } from '../../support/temp-dir.js';

// The supervisor reports the job's processes (processes.json) a moment before the job wrapper writes its first
// marker. A status look in between once said no phase, which the ledger took for `run`; the setup marker that came
// next then read as a phase after `run`, and a failed setup as "failed in run". This holds that moment still.
test('a running local job with no marker yet is still starting, then in the phase its markers say', (t) => {
  const jobId = newJobId('phase-race');
  const folder = localJobFolder(tempDir(t), jobId);
  mkdirSync(folder.root, { recursive: true });
  const alive = identify(process.pid);
  assert.ok(alive, 'this process can be identified');
  const processes: LocalProcesses = {
    supervisor: alive,
    job: alive,
    processGroup: process.pid,
    startedAt: new Date().toISOString(),
  };
  writeJsonAtomically(folder.processes, processes);

  const before = readFolderState(jobId, folder, new Date());
  assert.equal(before.kind, 'status');
  assert.equal(before.kind === 'status' && before.status.state, 'running');
  assert.equal(before.kind === 'status' && before.status.phase, 'provisioning');

  const setupAt = Math.floor(Date.now() / 1000);
  appendFileSync(folder.markers, `${setupAt} phase setup\n`);
  const after = readFolderState(jobId, folder, new Date());
  assert.equal(after.kind === 'status' && after.status.phase, 'setup');
  assert.equal(after.kind === 'status' && after.status.phaseStartedAt?.setup, new Date(setupAt * 1000).toISOString());
});

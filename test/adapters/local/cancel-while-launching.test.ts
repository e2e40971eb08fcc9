import assert from 'node:assert/strict';
import { existsSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { createBackend } from '../../../adapters/local/local-backend.js';
import { localJobFolder, readJsonIfPresent } from '../../../adapters/local/local-job-folder.js';
import { isAlive, type ProcessIdentity } from '../../../src/util/process-identity.js';
import { asLedgerId, newJobId } from '../../../src/backend/job-id.js';
import { defer } from '../../support/cleanup.js';
import { jobProcesses } from '../../support/local-jobs.js';
import { tempDir } from '../../support/temp-dir.js';
import { writeJob } from '../../support/job-files.js';
import { waitFor } from '../../support/wait-for.js';

test('a cancel that comes while the workdir is still being copied stops the job: it never runs on', async (t) => {
  const home = tempDir(t);
  const dir = tempDir(t);
  const ran = path.join(dir, 'ran');
  const { job } = writeJob(dir, `name: cancel-early\nrun: |\n  sleep 1\n  touch ${ran}\n`, { 'data.bin': '' });
  // A large (sparse) file makes the copy take a while, so the cancel most likely lands before the supervisor
  // starts; whenever it lands, the job must end cancelled without running to its end.
  truncateSync(path.join(dir, 'data.bin'), 256 * 1024 * 1024);
  const backend = createBackend();
  const context = { ledgerId: asLedgerId('cancel-ledger'), home, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } };
  const jobId = newJobId(job.name);
  const handle = { jobId, backend: 'local' as const, externalId: null };
  const plan = await backend.plan(job, { ...context, jobId, stopAfter: { seconds: 60, reason: 'max_runtime 1m' } });
  const folder = localJobFolder(home, jobId);
  defer(t, async () => {
    await backend.cancel(handle, context);
    await waitFor("the job's processes to end", () => (jobProcesses(jobId).length === 0 ? true : undefined));
  });

  const launching = backend.submit(plan, { ...context, secrets: {} });
  await waitFor('the job folder to be claimed', () =>
    existsSync(path.join(folder.root, 'claim.json')) ? true : undefined,
  );
  await backend.cancel(handle, context);
  await launching;
  const launch = await waitFor('the supervisor to be started', () =>
    readJsonIfPresent<{ supervisor: ProcessIdentity }>(path.join(folder.root, 'launch.json')),
  );
  await waitFor('the supervisor to finish', () => (isAlive(launch.supervisor) ? undefined : true));

  const [status] = await backend.status([handle], context);
  assert.equal(status?.state, 'cancelled');
  assert.equal(existsSync(ran), false, 'the run script never got to its end');
  assert.deepEqual(jobProcesses(jobId), []);
});

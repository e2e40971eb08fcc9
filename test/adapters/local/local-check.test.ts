import { asLedgerId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { loadBackend } from '../../../src/core/backends.js';
import { tempDir } from '../../support/temp-dir.js';

test(
  "dlrun check's checks of this machine are the local backend's own: bash, " + 'DLRUN_HOME, python3, nvidia-smi',
  async (t) => {
    const backend = await loadBackend('local');
    assert.ok(backend.check, 'the local backend has a check');
    const home = tempDir(t);
    const checks = await backend.check({ ledgerId: asLedgerId('check-ledger'), home, env: {} });
    assert.deepEqual(
      checks.map((item) => [item.check, item.required]),
      [
        ['bash', true],
        ['DLRUN_HOME', true],
        ['python3', false],
        ['nvidia-smi', false],
      ],
    );
    assert.match(checks[0]!.detail, /GNU bash/);
    assert.deepEqual(checks[1], {
      check: 'DLRUN_HOME',
      ok: true,
      detail: `${home} is writable (job folders live in ${path.join(home, 'jobs')})`,
      required: true,
    });
  },
);

test('a DLRUN_HOME that cannot be written is a failed required check', async (t) => {
  // A folder below a regular file cannot be made, whoever runs the test (root included).
  const file = path.join(tempDir(t), 'a-file');
  writeFileSync(file, '');
  const home = path.join(file, 'home');
  const checks = await (await loadBackend('local')).check!({ ledgerId: asLedgerId('check-ledger'), home, env: {} });
  const item = checks.find((check) => check.check === 'DLRUN_HOME');
  assert.equal(item?.ok, false);
  assert.equal(item?.required, true);
  assert.match(item?.detail ?? '', /is not writable/);
});

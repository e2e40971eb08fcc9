import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { NewRefusedSubmit } from '../../src/ledger/ledger.js';
import { openTempLedger } from './support/ledger-fixtures.js';

const refused = (at: string, estimatedFailedStartUsd: number | null): NewRefusedSubmit => ({
  at,
  jobName: 'typo',
  backend: 'ec2',
  jobFile: 'job.yaml',
  reason: 'job.yaml:1:7: not a valid name',
  estimatedFailedStartUsd,
});

test('refused submits are kept apart from jobs, listed oldest first, within a range', async (t) => {
  const { ledger } = await openTempLedger(t);
  await ledger.recordRefusedSubmit(refused('2026-12-02T00:00:00.000Z', null));
  await ledger.recordRefusedSubmit(refused('2026-12-01T00:00:00.000Z', 0.06));
  assert.equal(await ledger.countJobs(), 0, 'a refused submit is no job');
  assert.deepEqual(await ledger.listJobs(), []);
  const all = await ledger.listRefusedSubmits();
  assert.deepEqual(
    all.map((row) => [row.at, row.estimatedFailedStartUsd]),
    [
      ['2026-12-01T00:00:00.000Z', 0.06],
      ['2026-12-02T00:00:00.000Z', null],
    ],
  );
  assert.deepEqual(all[0], { id: 2, ...refused('2026-12-01T00:00:00.000Z', 0.06) });
  assert.equal((await ledger.listRefusedSubmits({ since: '2026-12-02T00:00:00.000Z' })).length, 1);
  assert.equal((await ledger.listRefusedSubmits({ until: '2026-12-02T00:00:00.000Z' })).length, 1, 'until excludes');
  assert.equal(
    (await ledger.listRefusedSubmits({ since: '2026-12-01T00:00:01.000Z', until: '2026-12-02T00:00:00.000Z' })).length,
    0,
  );
});

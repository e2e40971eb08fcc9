import assert from 'node:assert/strict';
import Sqlite from 'better-sqlite3';
import { test } from 'vitest';
import { asJobId } from '../../src/backend/job-id.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { newJob, openTempLedger, PRICE, sampleBill } from './support/ledger-fixtures.js';

const BILLED = asJobId('billed-1');
const RUNNING = asJobId('running-1');
const UNPRICED = asJobId('unpriced-1');

test("listSpendRows: listJobs's jobs in its order, a bill's billed time, a price only where needed", async (t) => {
  const { ledger } = await openTempLedger(t);
  await ledger.createJob(newJob(BILLED, '2026-01-01T10:00:00.000Z', { price: PRICE, quotedUsd: 0.7 }));
  await ledger.createJob(newJob(RUNNING, '2026-01-02T10:00:00.000Z', { price: PRICE }));
  await ledger.createJob(newJob(UNPRICED, '2026-01-02T10:00:00.000Z'));
  await ledger.recordChange(RUNNING, { at: '2026-01-02T10:01:00.000Z', source: 'provider', state: 'running' });
  await ledger.recordBill(BILLED, sampleBill(BILLED, 0.66));
  const rows = await ledger.listSpendRows();
  assert.deepEqual(
    rows.map((row) => row.submittedAt),
    (await ledger.listJobs()).map((job) => job.submittedAt),
  );
  const [unpriced, running, billed] = rows;
  assert.deepEqual(billed, {
    name: 'billed',
    backend: 'ec2',
    state: 'submitting',
    quotedUsd: 0.7,
    billedUsd: 0.66,
    billedS: 665,
    submittedAt: '2026-01-01T10:00:00.000Z',
    startedAt: null,
    endedAt: null,
    price: null,
  });
  assert.deepEqual([running?.state, running?.billedS, running?.price], ['running', null, PRICE]);
  assert.deepEqual([unpriced?.billedS, unpriced?.price], [null, null]);
  assert.deepEqual(
    (await ledger.listSpendRows({ submittedSince: '2026-01-02T00:00:00.000Z' })).map((row) => row.name),
    ['unpriced', 'running'],
  );
});

test('migration 5 copies the billed time of bills stored before it onto their jobs', async (t) => {
  const { ledger, file } = await openTempLedger(t);
  await ledger.createJob(newJob(BILLED, '2026-01-01T10:00:00.000Z', { price: PRICE }));
  await ledger.recordBill(BILLED, sampleBill(BILLED, 0.66));
  await ledger.close();
  // The ledger as schema 4 left it: the bill in its document only.
  const db = new Sqlite(file);
  db.exec(`ALTER TABLE jobs DROP COLUMN billed_s; DELETE FROM schema_migrations WHERE version >= 5`);
  db.close();
  const upgraded = await SqliteLedger.open(file, { busyTimeoutMs: 5_000 });
  t.onTestFinished(() => upgraded.close());
  const [row] = await upgraded.listSpendRows();
  assert.deepEqual([row?.billedUsd, row?.billedS, row?.price], [0.66, 665, null]);
});

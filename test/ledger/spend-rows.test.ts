import assert from 'node:assert/strict';
import Sqlite from 'better-sqlite3';
import { test } from 'vitest';
import { asJobId } from '../../src/backend/job-id.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { newJob, openTempLedger, PRICE, sampleBill } from './support/ledger-fixtures.js';

const BILLED = asJobId('billed-1');

// listSpendRows's contract is in conformance/query-cases.ts, run on both databases.
test('migration 5 copies the billed time of bills stored before it onto their jobs', async (t) => {
  const { ledger, file } = await openTempLedger(t);
  await ledger.createJob(newJob(BILLED, '2026-01-01T10:00:00.000Z', { price: PRICE }));
  await ledger.recordBill(BILLED, sampleBill(BILLED, 0.66));
  await ledger.close();
  // The ledger as schema 4 left it: the bill in its document only (later migrations are applied again, unharmed).
  const db = new Sqlite(file);
  db.exec(`ALTER TABLE jobs DROP COLUMN billed_s; DELETE FROM schema_migrations WHERE version >= 5`);
  db.close();
  const upgraded = await SqliteLedger.open(file, { busyTimeoutMs: 5_000 });
  t.onTestFinished(() => upgraded.close());
  const [row] = await upgraded.listSpendRows();
  assert.deepEqual([row?.billedUsd, row?.billedS, row?.price], [0.66, 665, null]);
});

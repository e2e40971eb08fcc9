import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'vitest';
import { PgLedger } from '../../src/ledger/pg-ledger.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/ledger/migrations.js';
import { postgresForThisFile } from '../support/postgres-server.js';

const postgres = postgresForThisFile();
const OPENER = path.join(path.dirname(new URL(import.meta.url).pathname), 'support', 'pg-opener.mjs');

test('processes opening a new database at once all succeed, with one ledger id and each migration once', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const url = await cluster.createDatabase();
  const outputs = await Promise.all(
    Array.from({ length: 8 }, () => promisify(execFile)(process.execPath, [OPENER, url], { timeout: 60_000 })),
  );
  const ids = new Set(outputs.map(({ stdout }) => stdout.trim()));
  assert.equal(ids.size, 1, `one ledger id: ${[...ids].join(', ')}`);
  assert.match([...ids][0]!, /^ledger [0-9a-f]{16}$/);
  const database = url.split('/').at(-1);
  const applied = await cluster.sql('SELECT version FROM schema_migrations ORDER BY version', database);
  assert.deepEqual(
    applied.map((row) => row.version),
    MIGRATIONS.map((migration) => migration.version),
  );
  assert.deepEqual(
    await cluster.sql(`SELECT COUNT(*)::int AS ids FROM ledger_meta WHERE key = 'ledger_id'`, database),
    [{ ids: 1 }],
  );
});

test('a ledger of a newer dlrun is refused; one at the latest version opens without migrating', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const url = await cluster.createDatabase();
  const database = url.split('/').at(-1);
  const first = await PgLedger.open(url, { timeoutMs: 10_000 });
  await first.close();
  const again = await PgLedger.open(url, { timeoutMs: 10_000 });
  assert.equal(again.id, first.id);
  await again.close();
  await cluster.sql(
    `INSERT INTO schema_migrations VALUES (${LATEST_SCHEMA_VERSION + 1}, 'from the future', 'x')`,
    database,
  );
  await assert.rejects(PgLedger.open(url, { timeoutMs: 10_000 }), /written by a newer dlrun.*upgrade|newer dlrun/);
});

test("a database whose 'jobs' table is another program's is not made into a ledger", async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const url = await cluster.createDatabase();
  await cluster.sql('CREATE TABLE jobs (id serial primary key, payload text)', url.split('/').at(-1));
  await assert.rejects(PgLedger.open(url, { timeoutMs: 10_000 }), /'jobs' table that dlrun did not make/);
});

test('migration 5 copies the billed time of bills stored before it onto their jobs', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const url = await cluster.createDatabase();
  const database = url.split('/').at(-1);
  const ledger = await PgLedger.open(url, { timeoutMs: 10_000 });
  await ledger.close();
  // The ledger as schema 4 left it: a billed job whose bill is in its document only.
  await cluster.sql(
    `ALTER TABLE jobs DROP COLUMN billed_s;
     DELETE FROM schema_migrations WHERE version >= 5;
     INSERT INTO jobs (job_id, name, backend, state, job_file, billed_usd, submitted_at, updated_at)
       VALUES ('old-1', 'old', 'ec2', 'succeeded', 'job.yaml', 0.66, '2026-01-01T00:00:00.000Z', 'x');
     INSERT INTO job_documents (job_id, spec_json, bill_json) VALUES ('old-1', '{}', '{"billed_s": 665}');`,
    database,
  );
  const upgraded = await PgLedger.open(url, { timeoutMs: 10_000 });
  t.onTestFinished(() => upgraded.close());
  assert.deepEqual(
    (await upgraded.listSpendRows()).map((row) => row.billedS),
    [665],
  );
});

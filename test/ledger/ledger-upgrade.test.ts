import { asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'vitest';
import Sqlite from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/ledger/migrations.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { tempDir } from '../support/temp-dir.js';
import { newJob } from './support/ledger-fixtures.js';

const OPTIONS = { busyTimeoutMs: 5_000 };

function columnsOf(file: string): string[] {
  const db = new Sqlite(file, { readonly: true });
  try {
    return (db.prepare(`SELECT name FROM pragma_table_info('jobs')`).all() as { name: string }[]).map(
      (row) => row.name,
    );
  } finally {
    db.close();
  }
}

/** A ledger as a build at schema version 1 left it, with or without the columns an early build put in migration 1. */
function versionOneLedger(file: string, withLaterColumns: boolean): void {
  const db = new Sqlite(file);
  db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  db.exec(MIGRATIONS[0]!.sqlite);
  if (withLaterColumns)
    db.exec(`ALTER TABLE jobs ADD COLUMN end_reason TEXT; ALTER TABLE jobs ADD COLUMN provider_json TEXT`);
  db.prepare(
    'INSERT INTO ledger_meta (key, value) ' +
      "VALUES ('ledger_id', '0123456789abcdef'), ('created_at', '2026-11-01T00:00:00.000Z')",
  ).run();
  db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, ?, '2026-11-01T00:00:00.000Z')`).run(
    MIGRATIONS[0]!.name,
  );
  db.close();
}

for (const withLaterColumns of [false, true]) {
  test(
    `a version 1 ledger ${withLaterColumns ? 'that already has' : 'without'} the later columns is upgraded in place, ` +
      `its id and jobs kept`,
    async (t) => {
      const file = path.join(tempDir(t), 'ledger.db');
      versionOneLedger(file, withLaterColumns);
      const old = new Sqlite(file);
      old
        .prepare(
          'INSERT INTO jobs (job_id, name, backend, state, job_file, submitted_at, updated_at) ' +
            "VALUES ('old-job', 'old', 'local', 'succeeded', 'job.yaml', '2026-11-01T00:00:00.000Z', " +
            "'2026-11-01T00:00:00.000Z')",
        )
        .run();
      old.close();
      const ledger = await SqliteLedger.open(file, OPTIONS);
      t.onTestFinished(() => ledger.close());
      assert.equal(ledger.id, '0123456789abcdef');
      assert.ok(
        columnsOf(file).includes('end_reason') && columnsOf(file).includes('provider_json'),
        columnsOf(file).join(', '),
      );
      assert.equal((await ledger.getJob(asJobId('old-job')))?.state, 'succeeded');
      await ledger.createJob(newJob(asJobId('new-job')));
      assert.equal(await ledger.countJobs(), 2);
      assert.equal(await ledger.getBudget(), undefined, 'the budget table came with the upgrade, empty');
      await ledger.setBudget({ amount_usd: 5, period: 'week', set_at: '2026-12-01T00:00:00.000Z' });
      assert.equal((await ledger.getBudget())?.amount_usd, 5);
    },
  );
}

/** A ledger as a build at schema version `version` left it: its migrations applied, the later ones not. */
function ledgerAtVersion(file: string, version: number): void {
  const db = new Sqlite(file);
  db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  for (const migration of MIGRATIONS.filter((candidate) => candidate.version <= version)) {
    db.exec(migration.sqlite);
    for (const { table, column, type } of migration.addColumns ?? [])
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`).run(
      migration.version,
      migration.name,
      '2026-11-01T00:00:00.000Z',
    );
  }
  db.prepare(
    'INSERT INTO ledger_meta (key, value) ' +
      "VALUES ('ledger_id', '0123456789abcdef'), ('created_at', '2026-11-01T00:00:00.000Z')",
  ).run();
  db.close();
}

test('a version 5 ledger gains owner and host; its jobs keep theirs unknown, new ones record them', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  ledgerAtVersion(file, 5);
  assert.ok(!columnsOf(file).includes('owner'), 'version 5 had no owner');
  const old = new Sqlite(file);
  old
    .prepare(
      'INSERT INTO jobs (job_id, name, backend, state, job_file, submitted_at, updated_at) ' +
        "VALUES ('old-job', 'old', 'local', 'running', 'job.yaml', '2026-11-01T00:00:00.000Z', " +
        "'2026-11-01T00:00:00.000Z')",
    )
    .run();
  old.close();
  const ledger = await SqliteLedger.open(file, OPTIONS);
  t.onTestFinished(() => ledger.close());
  assert.ok(columnsOf(file).includes('owner') && columnsOf(file).includes('host'), columnsOf(file).join(', '));
  const before = await ledger.getJob(asJobId('old-job'));
  assert.deepEqual([before?.state, before?.owner, before?.host], ['running', null, null]);
  await ledger.createJob(newJob(asJobId('new-job'), undefined, { owner: 'alice', host: 'gpu-box' }));
  assert.deepEqual(
    (await ledger.listJobs({ owner: 'alice' })).map((job) => [job.jobId, job.host]),
    [['new-job', 'gpu-box']],
  );
  assert.deepEqual(
    (await ledger.listSpendRows()).map((row) => row.owner),
    [null, 'alice'],
  );
});

test('migration 6 gives the PostgreSQL ledger the same columns, idempotent as its SQLite form is', () => {
  const migration = MIGRATIONS.find((candidate) => candidate.addColumns?.some(({ column }) => column === 'owner'));
  assert.ok(migration, 'a migration adds owner');
  assert.deepEqual(
    migration.addColumns?.map(({ table, column, type }) => `${table}.${column} ${type}`),
    ['jobs.owner TEXT', 'jobs.host TEXT'],
  );
  for (const column of ['owner', 'host'])
    assert.match(migration.postgres ?? '', new RegExp(`ALTER TABLE jobs ADD COLUMN IF NOT EXISTS ${column} TEXT;`));
});

test('a ledger at version 5 gains jobs.ledger_id, NULL for its jobs: it launched them', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  versionOneLedger(file, true);
  const db = new Sqlite(file);
  for (const migration of MIGRATIONS.filter((one) => one.version > 1 && one.version <= 5)) {
    db.exec(migration.sqlite);
    db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 'x')`).run(
      migration.version,
      migration.name,
    );
  }
  db.prepare(
    'INSERT INTO jobs (job_id, name, backend, state, job_file, submitted_at, updated_at) ' +
      "VALUES ('old-job', 'old', 'local', 'succeeded', 'job.yaml', '2026-11-01T00:00:00.000Z', " +
      "'2026-11-01T00:00:00.000Z')",
  ).run();
  db.close();
  assert.ok(!columnsOf(file).includes('ledger_id'));
  const ledger = await SqliteLedger.open(file, OPTIONS);
  t.onTestFinished(() => ledger.close());
  assert.ok(columnsOf(file).includes('ledger_id'));
  assert.equal((await ledger.getJob(asJobId('old-job')))?.ledgerId, null, 'NULL: launched by this ledger');
  assert.deepEqual(await ledger.launchLedgerIds(), [ledger.id]);
  assert.equal((await ledger.info()).schemaVersion, LATEST_SCHEMA_VERSION);
  const migration = MIGRATIONS.find((one) => one.addColumns?.some((column) => column.column === 'ledger_id'));
  assert.match(migration?.postgres ?? '', /^ALTER TABLE jobs ADD COLUMN IF NOT EXISTS ledger_id TEXT;?$/);
});

test('the launch ledger column is added only where it is missing, so a merge may renumber its migration', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  const first = await SqliteLedger.open(file, OPTIONS);
  await first.close();
  const db = new Sqlite(file);
  const added = MIGRATIONS.find((one) => one.addColumns?.some((column) => column.column === 'ledger_id'));
  db.prepare('DELETE FROM schema_migrations WHERE version = ?').run(added?.version);
  db.close();
  const again = await SqliteLedger.open(file, OPTIONS);
  t.onTestFinished(() => again.close());
  assert.equal(columnsOf(file).filter((name) => name === 'ledger_id').length, 1);
  assert.equal((await again.info()).schemaVersion, LATEST_SCHEMA_VERSION);
});

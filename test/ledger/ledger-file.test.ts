import { asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import Sqlite from 'better-sqlite3';
import { LedgerError } from '../../src/base/errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/ledger/migrations.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { tempDir } from '../support/temp-dir.js';
import { newJob } from './support/ledger-fixtures.js';

const OPTIONS = { busyTimeoutMs: 5_000 };

function modeOf(file: string): number {
  return statSync(file).mode & 0o777;
}

/** Read the ledger with plain SQLite, as another tool would. */
function query<T>(file: string, sql: string): T[] {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

test('a new ledger is private: folder 0700, ledger.db and its -wal and -shm files 0600', async (t) => {
  const home = path.join(tempDir(t), 'nested', 'home');
  const file = path.join(home, 'ledger.db');
  const ledger = await SqliteLedger.open(file, OPTIONS);
  t.onTestFinished(() => ledger.close());
  await ledger.createJob(newJob(asJobId('private-1')));
  assert.equal(modeOf(home), 0o700);
  assert.equal(modeOf(path.dirname(home)), 0o700, 'folders created on the way are private too');
  assert.equal(modeOf(file), 0o600);
  // While the ledger is open after a write, SQLite keeps both files beside it.
  for (const suffix of ['-wal', '-shm']) {
    assert.ok(existsSync(file + suffix), `${suffix} is present while open`);
    assert.equal(modeOf(file + suffix), 0o600, suffix);
  }
});

test('the ledger is in WAL mode and records every migration, in order', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  await (await SqliteLedger.open(file, OPTIONS)).close();
  assert.deepEqual(query(file, 'PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
  const migrations = query<{ version: number }>(file, 'SELECT version FROM schema_migrations');
  assert.deepEqual(
    migrations.map((row) => row.version),
    MIGRATIONS.map((migration) => migration.version),
  );
  assert.equal(LATEST_SCHEMA_VERSION, MIGRATIONS.at(-1)!.version);
});

test('the ledger id is made once, 16 hex characters, and survives re-opening', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  const first = await SqliteLedger.open(file, OPTIONS);
  const id = first.id;
  assert.match(id, /^[0-9a-f]{16}$/);
  assert.equal(first.location, file);
  await first.createJob(newJob(asJobId('kept-1')));
  await first.close();
  for (let again = 0; again < 3; again++) {
    const reopened = await SqliteLedger.open(file, OPTIONS);
    assert.equal(reopened.id, id);
    assert.equal(await reopened.countJobs(), 1, 'the jobs are still there');
    await reopened.close();
  }
  assert.deepEqual(query(file, `SELECT value FROM ledger_meta WHERE key = 'ledger_id'`), [{ value: id }]);
  assert.equal(query(file, 'SELECT * FROM schema_migrations').length, MIGRATIONS.length, 'no migration ran twice');
});

test('a ledger written by a newer dlrun is refused with a LedgerError saying to upgrade', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  await (await SqliteLedger.open(file, OPTIONS)).close();
  const db = new Sqlite(file);
  db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) ' +
      "VALUES (?, 'from the future', '2027-01-01T00:00:00.000Z')",
  ).run(LATEST_SCHEMA_VERSION + 1);
  db.close();
  await assert.rejects(SqliteLedger.open(file, OPTIONS), (error: unknown) => {
    assert.ok(error instanceof LedgerError);
    assert.equal(error.file, file);
    assert.ok(error.message.includes(file), error.message);
    assert.match(error.message, /newer dlrun/);
    assert.match(error.hint ?? '', /upgrade dlrun/);
    return true;
  });
});

test('an existing ledger others may read is tightened to 0600; a 0400 one is never loosened', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  await (await SqliteLedger.open(file, OPTIONS)).close();
  chmodSync(file, 0o644);
  await (await SqliteLedger.open(file, OPTIONS)).close();
  assert.equal(modeOf(file), 0o600);
  chmodSync(file, 0o400);
  // Reading a read-only ledger must work (this process may be root and could write anyway; the mode is what matters).
  const reopened = await SqliteLedger.open(file, OPTIONS);
  assert.equal(await reopened.countJobs(), 0);
  await reopened.close();
  assert.equal(modeOf(file), 0o400);
});

test('an existing folder keeps its mode; a new ledger file in it is still 0600', async (t) => {
  const home = tempDir(t);
  chmodSync(home, 0o755);
  const file = path.join(home, 'ledger.db');
  await (await SqliteLedger.open(file, OPTIONS)).close();
  assert.equal(modeOf(home), 0o755, 'dlrun does not change a folder the user made');
  assert.equal(modeOf(file), 0o600);
});

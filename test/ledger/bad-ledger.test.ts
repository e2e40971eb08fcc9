import { asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { test, type TestContext } from 'vitest';
import Sqlite from 'better-sqlite3';
import { LedgerError } from '../../src/base/errors.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { obeyFilePermissions } from '../support/drop-privileges.js';
import { tempDir } from '../support/temp-dir.js';
import { HelperProcess } from './support/helper-process.js';
import { newJob } from './support/ledger-fixtures.js';

interface ReportedError {
  readonly name: string;
  readonly message: string;
  readonly file: string;
  readonly hint: string | undefined;
  readonly isRetryable: boolean;
}

/** Run ledger-writer once (one createJob) and return the LedgerError it reported. */
async function failedWrite(t: TestContext, file: string, env: Record<string, string> = {}): Promise<ReportedError> {
  const writer = new HelperProcess(t, 'ledger-writer', ['--file', file, '--count', '1'], {
    env,
    wrapper: obeyFilePermissions(),
  });
  const result = await writer.finished;
  const line = result.lines.find((candidate) => candidate.startsWith('error '));
  assert.ok(line, `the write should fail; it printed: ${result.lines.join(' | ')} ${result.stderr}`);
  assert.equal(result.code, 1);
  const error = JSON.parse(line.slice('error '.length)) as ReportedError;
  assert.equal(error.name, 'LedgerError');
  assert.equal(error.file, file);
  assert.ok(error.message.includes(file), `the message names the file: ${error.message}`);
  return error;
}

async function seededLedger(t: TestContext): Promise<string> {
  const file = path.join(tempDir(t), 'home', 'ledger.db');
  const ledger = await SqliteLedger.open(file, { busyTimeoutMs: 5_000 });
  for (let index = 0; index < 40; index++) await ledger.createJob(newJob(asJobId(`seeded-${index}`)));
  await ledger.close();
  return file;
}

test('a write to a read-only ledger file fails with a LedgerError naming it', async (t) => {
  const file = await seededLedger(t);
  chmodSync(file, 0o400);
  const error = await failedWrite(t, file);
  assert.match(error.message, /read-only/);
  assert.equal(error.isRetryable, false);
  assert.match(error.hint ?? '', /writable/);
});

test(
  'creating a ledger in a read-only folder fails with a LedgerError naming the file, ' + 'and creates nothing',
  async (t) => {
    const home = tempDir(t);
    chmodSync(home, 0o500);
    try {
      const inHome = await failedWrite(t, path.join(home, 'ledger.db'));
      assert.match(inHome.message, /read-only/);
      assert.equal(existsSync(path.join(home, 'ledger.db')), false);
      const belowHome = await failedWrite(t, path.join(home, 'not-yet', 'ledger.db'));
      assert.match(belowHome.message, /read-only/);
      assert.equal(existsSync(path.join(home, 'not-yet')), false);
    } finally {
      chmodSync(home, 0o700);
    }
  },
);

test(
  'a write while another process holds the write lock fails after the timeout, ' + 'as locked and retryable',
  async (t) => {
    const file = await seededLedger(t);
    const locker = new HelperProcess(t, 'ledger-locker', ['--file', file, '--mode', 'write']);
    await locker.waitForLine(/^locked$/);
    const error = await failedWrite(t, file, { DLRUN_LEDGER_TIMEOUT_MS: '200' });
    assert.match(error.message, /locked by another process/);
    assert.equal(error.isRetryable, true);
    // WAL mode: a writer holding the lock never keeps readers out.
    const reader = await SqliteLedger.open(file, { busyTimeoutMs: 200 });
    t.onTestFinished(() => {
      reader.close();
    });
    assert.equal(await reader.countJobs(), 40);
  },
);

test('opening a ledger held in EXCLUSIVE locking mode fails as locked', async (t) => {
  const file = await seededLedger(t);
  const locker = new HelperProcess(t, 'ledger-locker', ['--file', file, '--mode', 'exclusive']);
  await locker.waitForLine(/^locked$/);
  const error = await failedWrite(t, file, { DLRUN_LEDGER_TIMEOUT_MS: '200' });
  assert.match(error.message, /locked by another process/);
  assert.equal(error.isRetryable, true);
});

/** Opening `file` must fail with the corrupt-ledger error that names it and says how to start over. */
async function assertCorrupt(file: string): Promise<void> {
  await assert.rejects(SqliteLedger.open(file, { busyTimeoutMs: 200 }), (error: unknown) => {
    assert.ok(error instanceof LedgerError, String(error));
    assert.equal(error.file, file);
    assert.equal(error.message, `the ledger is corrupt or not a dlrun ledger: ${file}`);
    assert.ok(error.hint?.includes(`mv ${file} ${file}.broken`), error.hint);
    return true;
  });
}

test('a ledger file full of random bytes is reported as corrupt, naming the file', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  writeFileSync(file, randomBytes(64 * 1024));
  await assertCorrupt(file);
});

test('a truncated ledger is reported as corrupt, naming the file', async (t) => {
  for (const size of [50, 4096]) {
    const file = await seededLedger(t);
    truncateSync(file, size);
    await assertCorrupt(file);
  }
});

test('an SQLite database of another program is refused as not a dlrun ledger, and left as it was', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  const foreign = new Sqlite(file);
  foreign.exec(`CREATE TABLE jobs (title TEXT); INSERT INTO jobs VALUES ('someone else''s')`);
  foreign.close();
  const before = readFileSync(file);
  await assertCorrupt(file);
  const after = new Sqlite(file, { readonly: true });
  t.onTestFinished(() => {
    after.close();
  });
  assert.deepEqual(
    after.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all(),
    [{ name: 'jobs' }],
    'no dlrun table was added',
  );
  assert.equal(readFileSync(file).length, before.length);
});

test('a zero-length ledger file is an error naming it, never a new ledger: the file stays as it was', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  writeFileSync(file, '');
  await assert.rejects(SqliteLedger.open(file, { busyTimeoutMs: 5_000 }), (error: unknown) => {
    assert.ok(error instanceof LedgerError, String(error));
    assert.equal(error.message, `the ledger is empty (0 bytes): ${file}`);
    assert.match(error.hint ?? '', /jobs it knew of may still be billing/);
    return true;
  });
  assert.equal(readFileSync(file).length, 0, 'no table was written into it');
});

test('an SQLite file with no tables at all is an error, never a new ledger', async (t) => {
  const file = path.join(tempDir(t), 'ledger.db');
  const blank = new Sqlite(file);
  blank.pragma('journal_mode = WAL'); // writes a header: a valid database holding nothing
  blank.close();
  const before = readFileSync(file);
  assert.ok(before.length > 0);
  await assert.rejects(SqliteLedger.open(file, { busyTimeoutMs: 5_000 }), (error: unknown) => {
    assert.ok(error instanceof LedgerError, String(error));
    assert.equal(error.message, `the ledger is empty (it holds no dlrun tables): ${file}`);
    return true;
  });
  const after = new Sqlite(file, { readonly: true });
  t.onTestFinished(() => {
    after.close();
  });
  assert.deepEqual(after.prepare(`SELECT name FROM sqlite_master`).all(), [], 'no dlrun table was added');
});

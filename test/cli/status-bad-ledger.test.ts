import { asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { test, type TestContext } from 'vitest';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { obeyFilePermissions } from '../support/drop-privileges.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { HelperProcess } from '../ledger/support/helper-process.js';
import { newJob } from '../ledger/support/ledger-fixtures.js';

const STACK = /\n\s+at /;

async function seededHome(t: TestContext): Promise<{ home: string; file: string }> {
  const home = tempDir(t);
  const file = path.join(home, 'ledger.db');
  const ledger = await SqliteLedger.open(file, { busyTimeoutMs: 5_000 });
  await ledger.createJob(newJob(asJobId('seeded-one'), '2020-01-01T00:00:00.000Z'));
  await ledger.createJob(newJob(asJobId('seeded-two'), '2020-01-02T00:00:00.000Z'));
  await ledger.close();
  return { home, file };
}

/**
 * `dlrun status` failed the way a user-facing ledger error should: exit 1, the message, the file, no stack; no data
 * on stdout, but under --json the error as its one JSON document.
 */
function assertClearFailure(result: CliResult, message: RegExp, file: string, json = false): void {
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, message);
  assert.ok(result.stderr.includes(file), `stderr names ${file}: ${result.stderr}`);
  assert.match(result.stderr, /hint: /);
  assert.doesNotMatch(result.stderr, STACK, 'no stack trace');
  if (!json) assert.equal(result.stdout, '');
  else {
    const { error } = JSON.parse(result.stdout) as { error: { message: string; exit_code: number } };
    assert.match(`dlrun: error: ${error.message}`, message);
    assert.equal(error.exit_code, 1);
  }
}

test('dlrun status reads a read-only ledger file and lists its jobs', async (t) => {
  const { home, file } = await seededHome(t);
  chmodSync(file, 0o400);
  const result = await runCli(['status'], { cwd: home, home, wrapper: obeyFilePermissions() });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /seeded-one/);
  assert.match(result.stdout, /seeded-two/);
});

test('dlrun status on a read-only ledger in a read-only folder fails clearly, naming the file', async (t) => {
  const { home, file } = await seededHome(t);
  chmodSync(file, 0o400);
  chmodSync(home, 0o500);
  try {
    // SQLite cannot read a WAL ledger without its -shm file, which it cannot create here.
    const result = await runCli(['status'], { cwd: home, home, wrapper: obeyFilePermissions() });
    assertClearFailure(result, /dlrun: error: the ledger is read-only/, file);
  } finally {
    chmodSync(home, 0o700);
  }
});

test('dlrun status in a read-only DLRUN_HOME with no ledger says there are no jobs and creates nothing', async (t) => {
  const home = tempDir(t);
  chmodSync(home, 0o500);
  try {
    const result = await runCli(['status'], { cwd: home, home, wrapper: obeyFilePermissions() });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /no jobs yet/);
    assert.equal(existsSync(path.join(home, 'ledger.db')), false);
  } finally {
    chmodSync(home, 0o700);
  }
});

test('dlrun status reads the ledger while another process holds the write lock', async (t) => {
  const { home, file } = await seededHome(t);
  const locker = new HelperProcess(t, 'ledger-locker', ['--file', file, '--mode', 'write']);
  await locker.waitForLine(/^locked$/);
  const result = await runCli(['status', '--json'], { cwd: home, home, env: { DLRUN_LEDGER_TIMEOUT_MS: '200' } });
  assert.equal(result.code, 0, result.stderr);
  const { jobs } = JSON.parse(result.stdout) as { jobs: { job_id: string }[] };
  assert.deepEqual(
    jobs.map((job) => job.job_id),
    ['seeded-two', 'seeded-one'],
  );
});

test('dlrun status against a ledger held in EXCLUSIVE mode fails as locked, naming the file', async (t) => {
  const { home, file } = await seededHome(t);
  const locker = new HelperProcess(t, 'ledger-locker', ['--file', file, '--mode', 'exclusive']);
  await locker.waitForLine(/^locked$/);
  for (const args of [['status'], ['status', '--json'], ['status', 'seeded-one']]) {
    const result = await runCli(args, { cwd: home, home, env: { DLRUN_LEDGER_TIMEOUT_MS: '200' } });
    assertClearFailure(result, /dlrun: error: the ledger is locked by another process/, file, args.includes('--json'));
  }
});

test('dlrun status on a corrupt ledger exits 1 with the message, the file and how to start over', async (t) => {
  const home = tempDir(t);
  const file = path.join(home, 'ledger.db');
  writeFileSync(file, randomBytes(32 * 1024));
  for (const args of [['status'], ['status', '--json']]) {
    const result = await runCli(args, { cwd: home, home });
    assertClearFailure(
      result,
      /dlrun: error: the ledger is corrupt or not a dlrun ledger/,
      file,
      args.includes('--json'),
    );
    assert.ok(result.stderr.includes(`mv ${file} ${file}.broken`), result.stderr);
  }
});

test(
  'an empty ledger.db: status, submit and check fail clearly, ' + 'and none of them turns it into a new ledger',
  async (t) => {
    const home = tempDir(t);
    const file = path.join(home, 'ledger.db');
    writeFileSync(file, '');
    // The job in a folder of its own: a workdir that is the home folder is refused before the ledger is opened.
    mkdirSync(path.join(home, 'job'));
    writeFileSync(path.join(home, 'job', 'job.yaml'), 'name: after-truncation\nrun: echo hi\n');
    for (const args of [['status'], ['submit', 'job/job.yaml'], ['bill', 'after-truncation']]) {
      assertClearFailure(await runCli(args, { cwd: home, home }), /the ledger is empty \(0 bytes\)/, file);
    }
    const check = await runCli(['check', '--backend', 'local'], { cwd: home, home });
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, /FAIL ledger: the ledger is empty \(0 bytes\)/);
    assert.equal(statSync(file).size, 0, 'the file is left as it was');
  },
);

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { test } from 'vitest';
import { freePort } from '../standins/moto-process.js';
import { writeJob } from '../support/job-files.js';
import { assertNoStack } from '../support/local-jobs.js';
import { postgresForThisFile } from '../support/postgres-server.js';
import { type CliResult, runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

// What a user sees when the team ledger fails: a clear error, exit 1, no stack, the URL redacted, never the
// password; and a submit that could not record its job launches nothing.
const PASSWORD = 'Sw0rdf1sh-pg-9431';
const WRONG = 'Wr0ng-pg-pass-7781';
const postgres = postgresForThisFile({ password: PASSWORD });

const JOB = 'name: tiny\nrun: echo hi\nlimits: { max_runtime: 10m }\nbackends:\n  local:\n    hourly_rate: 0.35\n';

interface Attempt {
  readonly home: string;
  readonly jobPath: string;
  dlrun(args: readonly string[], url: string, env?: Record<string, string>): Promise<CliResult>;
}

function attempt(t: Parameters<typeof tempDir>[0]): Attempt {
  const home = tempDir(t, 'dlrun-home-');
  const { jobPath } = writeJob(path.join(home, 'job'), JOB);
  return {
    home,
    jobPath,
    dlrun: (args, url, env = {}) =>
      runCli(args, { cwd: home, home, env: { DLRUN_DB_URL: url, ...env }, timeoutMs: 60_000 }),
  };
}

/** Exit 1, the message, no stack, no password anywhere, and the URL (if named) redacted. */
function assertClearFailure(result: CliResult, message: RegExp): void {
  assert.equal(result.code, 1, `exit 1:\n${result.stderr}`);
  assert.match(result.stderr, message);
  assertNoStack(result);
  for (const secret of [PASSWORD, WRONG, encodeURIComponent(PASSWORD)]) {
    assert.ok(!`${result.stdout}\n${result.stderr}`.includes(secret), `the password was printed:\n${result.stderr}`);
  }
  assert.match(result.stderr, /:\/\/dlrun:\*\*\*@/, 'the URL is named, redacted');
}

/** Nothing was launched: no job folder under DLRUN_HOME/jobs. */
function assertNothingLaunched(home: string): void {
  const jobs = path.join(home, 'jobs');
  assert.deepEqual(existsSync(jobs) ? readdirSync(jobs) : [], [], 'no job folder: nothing was launched');
}

test('an unreachable database (closed port, black hole) fails clearly; submit launches nothing', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const { home, jobPath, dlrun } = attempt(t);
  const closed = cluster.url('dlrun', { port: await freePort() });
  assertClearFailure(await dlrun(['status'], closed), /cannot reach the ledger database/);
  assertClearFailure(await dlrun(['submit', jobPath], closed), /cannot reach the ledger database/);
  assertNothingLaunched(home);
  // A black-holed address: the connection deadline (DLRUN_LEDGER_TIMEOUT_MS) ends the wait.
  const started = Date.now();
  const blackHole = `postgres://dlrun:${PASSWORD}@10.255.255.1:5432/dlrun`;
  assertClearFailure(await dlrun(['status'], blackHole, { DLRUN_LEDGER_TIMEOUT_MS: '1000' }), /cannot reach/);
  assert.ok(Date.now() - started < 20_000, 'the connection had a deadline');
});

test('a wrong password, a bad sslmode, a server without TLS: clear errors, never the password', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const { home, jobPath, dlrun } = attempt(t);
  const database = (await cluster.createDatabase()).split('/').at(-1)!;
  const wrong = cluster.url(database, { user: 'dlrun', password: WRONG });
  assertClearFailure(await dlrun(['status'], wrong), /refused the user name or password/);
  assertClearFailure(await dlrun(['submit', jobPath], wrong), /refused the user name or password/);
  assertNothingLaunched(home);
  const right = cluster.url(database);
  assertClearFailure(await dlrun(['status'], `${right}?sslmode=require`), /does not offer TLS/);
  assertClearFailure(await dlrun(['status'], `${right}?sslmode=sometimes`), /unknown sslmode 'sometimes'/);
  assertClearFailure(await dlrun(['budget', 'show'], right.replace('postgres:', 'mysql:')), /not a PostgreSQL URL/);
  const invalid = `postgres://dlrun:${PASSWORD}@[127.0.0.1/${database}`;
  assertClearFailure(await dlrun(['status'], invalid), /the ledger URL is not a valid URL/);
  const missingCa = `${right}?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem`;
  assertClearFailure(await dlrun(['status'], missingCa), /cannot read \/nonexistent\/ca\.pem/);
  const working = await dlrun(['status'], right);
  assert.equal(working.code, 0, working.stderr);
});

test('a read-only database (a replica) refuses the submit before anything is launched', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const { home, jobPath, dlrun } = attempt(t);
  const url = await cluster.createDatabase();
  const database = url.split('/').at(-1)!;
  assert.equal((await dlrun(['status'], url)).code, 0, 'the ledger is made while the database is writable');
  await cluster.sql(`ALTER DATABASE ${database} SET default_transaction_read_only = on`);
  assertClearFailure(await dlrun(['submit', jobPath], url), /the ledger database is read-only/);
  assertNothingLaunched(home);
  assert.deepEqual(await cluster.sql('SELECT job_id FROM jobs', database), []);
  // A new read-only database cannot even be made into a ledger.
  const fresh = await cluster.createDatabase();
  await cluster.sql(`ALTER DATABASE ${fresh.split('/').at(-1)} SET default_transaction_read_only = on`);
  assertClearFailure(await dlrun(['status'], fresh), /the ledger database is read-only/);
});

test('a connection dropped mid-command, or a lock held past the deadline, is a clear error', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const { dlrun } = attempt(t);
  const url = await cluster.createDatabase();
  assert.equal((await dlrun(['status'], url)).code, 0);
  // Another session holds the budget row (an insert not yet committed): `budget set` waits for it.
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  t.onTestFinished(() => holder.end());
  await holder.query('BEGIN');
  await holder.query(`INSERT INTO budget (id, amount_usd, period, set_at) VALUES (1, 5, 'month', 'x')`);
  const waiting = dlrun(['budget', 'set', '100'], url, { DLRUN_LEDGER_TIMEOUT_MS: '30000' });
  const victims = await waitFor('dlrun to wait for the row lock', async () => {
    const rows = await cluster.sql(
      `SELECT pid FROM pg_stat_activity WHERE application_name = 'dlrun' AND wait_event_type = 'Lock'`,
    );
    return rows.length > 0 ? rows : undefined;
  });
  await cluster.sql(`SELECT pg_terminate_backend(${Number(victims[0]!.pid)})`);
  assertClearFailure(await waiting, /connection to the ledger database was lost/);
  // The same wait with a short deadline: the lock timeout ends it, as retryable.
  const timedOut = await dlrun(['budget', 'set', '100'], url, { DLRUN_LEDGER_TIMEOUT_MS: '1500' });
  assertClearFailure(timedOut, /did not answer in time/);
  await holder.query('ROLLBACK');
  assert.deepEqual(await cluster.sql('SELECT * FROM budget', url.split('/').at(-1)), []);
});

import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { defer } from '../support/cleanup.js';
import { writeJob } from '../support/job-files.js';
import { assertNoStack } from '../support/local-jobs.js';
import { postgresForThisFile } from '../support/postgres-server.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

// Every command works on both ledgers: the local backend, its ledger in PostgreSQL (DLRUN_DB_URL).
const postgres = postgresForThisFile();

const LOCAL = 'limits: { max_runtime: 1h }\nbackends:\n  local:\n    hourly_rate: 0.35\n';
const TINY = `name: tiny\nrun: echo hello from the job\n${LOCAL}`;
const SLEEPER = `name: sleeper\nrun: sleep 300\n${LOCAL}`;

test('submit, status, bill, report, logs, pull, gc, quote, check, budget, cancel: ledger in PostgreSQL', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const url = await cluster.createDatabase();
  const home = tempDir(t, 'dlrun-home-');
  const env = { DLRUN_DB_URL: url, DLRUN_WATCH_INTERVAL_MS: '200' };
  const dlrun = async (args: readonly string[], code = 0) => {
    const result = await runCli(args, { cwd: home, home, env, timeoutMs: 60_000 });
    assert.equal(result.code, code, `dlrun ${args.join(' ')}: ${result.stderr}`);
    assertNoStack(result);
    return result;
  };
  const tiny = writeJob(path.join(home, 'tiny'), TINY).jobPath;
  const submitted = await dlrun(['submit', tiny, '--wait']);
  const jobId = submitted.stdout.split('\n')[0]!;
  assert.match(submitted.stdout + submitted.stderr, /hello from the job/);
  assert.ok(!existsSync(path.join(home, 'ledger.db')), 'no SQLite ledger beside the PostgreSQL one');
  assert.match((await dlrun(['status'])).stdout, new RegExp(`${jobId} +\\S+ +local +succeeded`));
  const record = JSON.parse((await dlrun(['status', jobId, '--json'])).stdout);
  assert.equal(record.state, 'succeeded');
  assert.equal(record.exit_code, 0);
  assert.match((await dlrun(['bill', jobId])).stdout, /total: \$/);
  assert.match((await dlrun(['report'])).stdout, /local +1 /);
  assert.match((await dlrun(['logs', jobId])).stdout, /hello from the job/);
  await dlrun(['pull', jobId]);
  const collected = JSON.parse((await dlrun(['gc', '--dry-run', '--json'])).stdout);
  assert.equal(collected.dry_run, true);
  assert.ok(
    collected.backends.every((one: { error: string | null }) => one.error === null || !/ledger/i.test(one.error)),
    JSON.stringify(collected),
  );
  assert.match((await dlrun(['quote', tiny])).stdout, /local/);
  const checked = JSON.parse((await dlrun(['check', '--json'])).stdout);
  const ledgerChecks = checked.backends.flatMap((one: { checks: { check: string }[] }) =>
    one.checks.filter((check) => check.check === 'ledger'),
  );
  assert.ok(ledgerChecks.length > 0, JSON.stringify(checked));
  for (const check of ledgerChecks) {
    assert.equal(check.ok, true, JSON.stringify(check));
    assert.match(check.detail, /^postgres/, 'check names the PostgreSQL ledger');
  }
  await dlrun(['budget', 'set', '100']);
  assert.match((await dlrun(['budget', 'show'])).stdout, /budget: \$100\.00 a month/);
  await dlrun(['budget', 'clear']);
  assert.doesNotMatch((await dlrun(['budget', 'show'])).stdout, /\$100\.00/);

  const sleeper = writeJob(path.join(home, 'sleeper'), SLEEPER).jobPath;
  const running = (await dlrun(['submit', sleeper])).stdout.trim();
  defer(t, () => runCli(['cancel', running], { cwd: home, home, env }).then(() => undefined));
  await waitFor(`${running} to run`, async () => {
    const current = JSON.parse((await dlrun(['status', running, '--json'])).stdout);
    return current.state === 'running' ? true : undefined;
  });
  await dlrun(['cancel', running]);
  const cancelled = await waitFor(`${running} to end`, async () => {
    const current = JSON.parse((await dlrun(['status', running, '--json'])).stdout);
    return current.state === 'cancelled' ? current : undefined;
  });
  assert.equal(cancelled.state, 'cancelled');
  const rows = await cluster.sql(`SELECT COUNT(*)::int AS jobs FROM jobs`, url.split('/').at(-1));
  assert.equal(rows[0]?.jobs, 2, 'both jobs are in the PostgreSQL ledger');
});

test('ledger.url in $DLRUN_HOME/config.yaml picks the PostgreSQL ledger; DLRUN_DB_URL wins over it', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const [inFile, inEnvironment] = [await cluster.createDatabase(), await cluster.createDatabase()];
  const home = tempDir(t, 'dlrun-home-');
  writeFileSync(path.join(home, 'config.yaml'), `# the team ledger\nledger:\n  url: ${inFile}\n`);
  await runCli(['budget', 'set', '7'], { cwd: home, home, timeoutMs: 60_000 });
  await runCli(['budget', 'set', '9'], { cwd: home, home, env: { DLRUN_DB_URL: inEnvironment }, timeoutMs: 60_000 });
  const amount = async (url: string) =>
    (await cluster.sql('SELECT amount_usd FROM budget', url.split('/').at(-1)))[0]?.amount_usd;
  assert.deepEqual([await amount(inFile), await amount(inEnvironment)], [7, 9]);
  assert.ok(!existsSync(path.join(home, 'ledger.db')));
});

test('a broken config.yaml is an error naming the file and its line, exit 1, no stack', async (t) => {
  const home = tempDir(t, 'dlrun-home-');
  writeFileSync(path.join(home, 'config.yaml'), 'ledger:\n  url: [postgres://x\n');
  const result = await runCli(['status'], { cwd: home, home, timeoutMs: 60_000 });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, new RegExp(`${path.join(home, 'config.yaml')} line \\d`));
  assertNoStack(result);
});

test('a team on PostgreSQL: owners, --mine, report --by owner, ledger migrate, ledger info', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const url = await cluster.createDatabase();
  const laptop = tempDir(t, 'dlrun-laptop-');
  const home = tempDir(t, 'dlrun-home-');
  const dlrun = async (args: readonly string[], env: Record<string, string>, at = home) => {
    const result = await runCli(args, { cwd: at, home: at, env, timeoutMs: 60_000 });
    assert.equal(result.code, 0, `dlrun ${args.join(' ')}: ${result.stderr}`);
    assertNoStack(result);
    return result;
  };
  const tiny = writeJob(path.join(home, 'tiny'), TINY).jobPath;
  // Carol's history on her laptop (SQLite), before the team ledger existed.
  const carols = (await dlrun(['submit', tiny, '--wait'], { DLRUN_USER: 'carol' }, laptop)).stdout.split('\n')[0]!;
  const team = { DLRUN_DB_URL: url, DLRUN_WATCH_INTERVAL_MS: '200' };
  await dlrun(['submit', tiny, '--wait'], { ...team, DLRUN_USER: 'alice' });
  await dlrun(['submit', tiny, '--wait'], { ...team, DLRUN_USER: 'bob' });

  const moved = JSON.parse(
    (await dlrun(['ledger', 'migrate', '--from', path.join(laptop, 'ledger.db'), '--json'], team)).stdout,
  );
  assert.equal(moved.jobs_copied, 1);
  const again = JSON.parse(
    (await dlrun(['ledger', 'migrate', '--from', path.join(laptop, 'ledger.db'), '--json'], team)).stdout,
  );
  assert.deepEqual([again.jobs_copied, again.jobs_skipped], [0, 1], 'safe to run twice');

  const mine = JSON.parse((await dlrun(['status', '--mine', '--json'], { ...team, DLRUN_USER: 'alice' })).stdout);
  assert.deepEqual(
    mine.jobs.map((job: { owner: string }) => job.owner),
    ['alice'],
  );
  const carol = JSON.parse((await dlrun(['status', '--owner', 'carol', '--json'], team)).stdout);
  assert.deepEqual(
    carol.jobs.map((job: { job_id: string; state: string }) => [job.job_id, job.state]),
    [[carols, 'succeeded']],
  );
  const report = JSON.parse((await dlrun(['report', '--by', 'owner', '--json'], team)).stdout);
  assert.deepEqual(report.groups.map((group: { key: string }) => group.key).sort(), ['alice', 'bob', 'carol']);

  const info = JSON.parse((await dlrun(['ledger', 'info', '--json'], team)).stdout);
  assert.equal(info.kind, 'postgresql');
  assert.equal(info.jobs, 3);
  assert.ok(info.size_bytes > 0);
  assert.deepEqual(info.migrated_from_ledger_ids, [moved.from_ledger_id]);
});

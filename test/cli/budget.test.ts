import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type TestContext, test } from 'vitest';
import { asJobId } from '../../src/backend/job-id.js';
import { loadConfig } from '../../src/config.js';
import { openExistingLedger } from '../../src/ledger/open-ledger.js';
import { writeJob } from '../support/job-files.js';
import { assertNoStack, processesWithEnvironment, submitted } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { seededHome } from '../support/seeded-home.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { newJob, PRICE } from '../ledger/support/ledger-fixtures.js';

/** $3.60 an hour: a minute of run time is $0.06. */
const LOCAL = 'backends:\n  local:\n    hourly_rate: 3.6\n';

async function jobsIn(home: string): Promise<number> {
  const ledger = await openExistingLedger(loadConfig({ DLRUN_HOME: home }, home));
  if (!ledger) return 0;
  try {
    return await ledger.countJobs();
  } finally {
    await ledger.close();
  }
}

function jobFolders(home: string): string[] {
  const folder = path.join(home, 'jobs');
  return existsSync(folder) ? readdirSync(folder).filter((name) => !name.startsWith('.')) : [];
}

/**
 * A job file whose processes, had it launched, would run for minutes and carry `marker` in their environment; with
 * `limits` as given and the $3.60/h local rate.
 */
function markedJob(t: TestContext, name: string, limits: string, marker: string): string {
  const env = `env:\n  BUDGET_TEST_MARKER: ${marker}\n`;
  return writeJob(tempDir(t), `name: ${name}\nrun: sleep 300\n${env}limits:\n${limits}${LOCAL}`).jobPath;
}

/**
 * A refused submit launched nothing: no ledger row beyond `jobsBefore`, no job folder and no job in `status`
 * under its name, and no process carrying its marker, now or a moment later (a launch that came late would show).
 */
async function assertNothingLaunched(home: string, name: string, marker: string, jobsBefore: number): Promise<void> {
  assert.equal(await jobsIn(home), jobsBefore, 'no ledger row for the refused job');
  assert.deepEqual(
    jobFolders(home).filter((folder) => folder.startsWith(`${name}-`)),
    [],
    'no job folder',
  );
  const status = await runCli(['status', '--all', '--json'], { cwd: home, home });
  assert.equal(status.code, 0, status.stderr);
  const listed = (JSON.parse(status.stdout) as { jobs: { name: string }[] }).jobs;
  assert.deepEqual(
    listed.filter((job) => job.name === name),
    [],
    'status shows no such job',
  );
  const launched = (): number[] => [
    ...processesWithEnvironment(`BUDGET_TEST_MARKER=${marker}\0`),
    ...processesWithEnvironment(`DLRUN_JOB_ID=${name}-`),
  ];
  assert.deepEqual(launched(), [], 'no process of the job');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.deepEqual(launched(), [], 'no process of the job a second later');
}

/** A value no other process's environment holds, so a process found by it is this test's. */
const uniqueMarker = (): string => `m${process.pid}${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;

test('budget set, show and clear round trip, as text and as JSON', async (t) => {
  const home = tempDir(t);
  const none = await runCli(['budget', 'show', '--json'], { cwd: home, home });
  assert.equal(none.code, 0, none.stderr);
  assert.deepEqual(JSON.parse(none.stdout), { budget: null });
  const set = await runCli(['budget', 'set', '25', '--period', 'week', '--json'], { cwd: home, home });
  assert.equal(set.code, 0, set.stderr);
  const budget = (JSON.parse(set.stdout) as { budget: Record<string, unknown> }).budget;
  assert.equal(budget.amount_usd, 25);
  assert.equal(budget.period, 'week');
  assert.equal(budget.spent_usd, 0);
  assert.equal(budget.left_usd, 25);
  assert.match(String(budget.period_start), /^\d{4}-\d\d-\d\dT00:00:00\.000Z$/);
  assert.equal(new Date(String(budget.period_start)).getUTCDay(), 1, 'a week starts on Monday');
  const shown = await runCli(['budget', 'show'], { cwd: home, home });
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^budget: \$25\.00 a week/m);
  assert.match(shown.stdout, /^spent: \$0\.00/m);
  assert.match(shown.stdout, /^left: \$25\.00$/m);
  const monthly = await runCli(['budget', 'set', '$40.5'], { cwd: home, home });
  assert.equal(monthly.code, 0, monthly.stderr);
  assert.match(monthly.stdout, /^budget: \$40\.50 a month/m, 'month is the default period');
  const cleared = await runCli(['budget', 'clear', '--json'], { cwd: home, home });
  assert.equal(cleared.code, 0, cleared.stderr);
  assert.deepEqual(JSON.parse(cleared.stdout), { cleared: true });
  const again = await runCli(['budget', 'show', '--json'], { cwd: home, home });
  assert.deepEqual(JSON.parse(again.stdout), { budget: null });
  const clearedAgain = await runCli(['budget', 'clear'], { cwd: home, home });
  assert.equal(clearedAgain.code, 0);
  assert.match(clearedAgain.stderr, /no budget was set/);
});

test('invalid amounts, periods and actions are wrong usage (exit 2), and set nothing', async (t) => {
  const home = tempDir(t);
  const cases: [string[], RegExp][] = [
    [['budget', 'set', '0'], /above 0/],
    [['budget', 'set', '-5'], /above 0|unknown option/],
    [['budget', 'set', 'ten'], /above 0/],
    [['budget', 'set', ''], /above 0/],
    [['budget', 'set', '1e3'], /above 0/],
    [['budget', 'set', 'Infinity'], /above 0/],
    [['budget', 'set'], /needs an amount/],
    [['budget', 'set', '10', '--period', 'year'], /--period must be month or week/],
    [['budget', 'show', '10'], /takes no amount/],
    [['budget', 'clear', '--period', 'week'], /--period is for/],
    [['budget', 'raise'], /unknown budget action 'raise'/],
    [['budget'], /missing required argument/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(args, { cwd: home, home });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
    assertNoStack(result);
  }
  const json = await runCli(['budget', 'set', 'ten', '--json'], { cwd: home, home });
  assert.equal(json.code, 2);
  assert.match(json.stdout, /above 0/, 'under --json the error is the JSON document');
  const shown = await runCli(['budget', 'show', '--json'], { cwd: home, home });
  assert.deepEqual(JSON.parse(shown.stdout), { budget: null });
});

test('under budget, submit launches; over budget it refuses (exit 1) with the figures and the fix', async (t) => {
  const home = tempDir(t);
  assert.equal((await runCli(['budget', 'set', '1'], { cwd: home, home })).code, 0);
  // One minute at most: $0.06.
  const small = writeJob(tempDir(t), `name: small\nrun: echo hi\nlimits:\n  max_runtime: 1m\n${LOCAL}`);
  const launched = await runCli(['submit', small.jobPath, '--wait'], { cwd: home, home });
  assert.equal(launched.code, 0, launched.stderr);
  assert.equal(await jobsIn(home), 1);
  // Twenty minutes at most: $1.20, more than the $0.94 or so left.
  const marker = uniqueMarker();
  const large = markedJob(t, 'large', '  max_runtime: 20m\n', marker);
  const refused = await runCli(['submit', large, '--yes'], { cwd: home, home });
  assert.equal(refused.code, 1, refused.stderr);
  assertNoStack(refused);
  assert.match(refused.stderr, /budget: this job may cost up to \$1\.20 on this machine, more than is left/);
  assert.match(refused.stderr, /the month's budget is \$1\.00: \$0\.\d+ spent since \d{4}-\d\d-01/);
  assert.match(refused.stderr, /lower limits\.max_runtime or limits\.max_cost/);
  assert.equal(refused.stdout, '');
  await assertNothingLaunched(home, 'large', marker, 1);
  const json = await runCli(['submit', large, '--json'], { cwd: home, home });
  assert.equal(json.code, 1);
  assert.match((JSON.parse(json.stdout) as { error: { message: string } }).error.message, /budget:/);
  // --wait follows a launched job; a refused one it must not wait for, nor start.
  const waited = await runCli(['submit', large, '--wait'], { cwd: home, home });
  assert.equal(waited.code, 1, waited.stderr);
  assert.match(waited.stderr, /budget:/);
  await assertNothingLaunched(home, 'large', marker, 1);
});

test('under a budget, a job with no limit is refused with the fix: set max_runtime or max_cost', async (t) => {
  const home = tempDir(t);
  assert.equal((await runCli(['budget', 'set', '100'], { cwd: home, home })).code, 0);
  const marker = uniqueMarker();
  const endless = markedJob(t, 'endless', '  max_runtime: unlimited\n', marker);
  const refused = await runCli(['submit', endless, '--yes'], { cwd: home, home });
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /this job has no limit/);
  assert.match(refused.stderr, /set limits\.max_runtime or limits\.max_cost/);
  assert.deepEqual(jobFolders(home), []);
  await assertNothingLaunched(home, 'endless', marker, 0);
  // The same job with a limit launches, and its processes are found by the marker: the checks above could see one.
  await submitted(t, markedJob(t, 'endless', '  max_runtime: 1m\n', marker), home);
  await waitFor('the launched job to show', () =>
    processesWithEnvironment(`BUDGET_TEST_MARKER=${marker}\0`).length > 0 ? true : undefined,
  );
});

test('what active jobs may still add is counted: a job that fits alone is refused beside one', async (t) => {
  const running = asJobId('other-20200101-1000-aaaa');
  const home = await seededHome(t, async (ledger) => {
    await ledger.setBudget({ amount_usd: 4, period: 'month', set_at: new Date().toISOString() });
    // Waiting to start (nothing spent yet) under max_runtime 1h at $3.60/h: it may still add up to $3.60. A backend of
    // a newer dlrun, so nothing here refreshes it.
    await ledger.createJob(
      newJob(running, new Date(Date.now() - 60_000).toISOString(), {
        backend: 'slurm',
        price: PRICE,
        spec: { limits: { max_runtime: 3600 } },
      }),
    );
  });
  // Thirty minutes at $3.60/h: $1.80, which $4.00 holds alone but not beside the running job's $3.60.
  const marker = uniqueMarker();
  const job = markedJob(t, 'half', '  max_runtime: 30m\n', marker);
  const refused = await runCli(['submit', job, '--yes'], { cwd: home, home });
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /may cost up to \$1\.80/);
  assert.match(refused.stderr, /active jobs may still add up to \$3\.60, \$0\.40 left/);
  await assertNothingLaunched(home, 'half', marker, 1);
  const shown = await runCli(['budget', 'show', '--json'], { cwd: home, home });
  const budget = (JSON.parse(shown.stdout) as { budget: Record<string, unknown> }).budget;
  assert.equal(budget.active_worst_usd, 3.6);
  assert.equal(budget.left_usd, 0.4);
});

test("status shows the period's spend beside the budget, and only when one is set", async (t) => {
  const home = tempDir(t);
  const job = writeJob(tempDir(t), `name: spend\nrun: echo hi\nlimits:\n  max_runtime: 1m\n${LOCAL}`);
  assert.equal((await runCli(['submit', job.jobPath, '--wait'], { cwd: home, home })).code, 0);
  const before = await runCli(['status', '--json'], { cwd: home, home });
  assert.equal(before.code, 0, before.stderr);
  assert.ok(!('budget' in (JSON.parse(before.stdout) as object)), 'no budget, no budget field');
  assert.doesNotMatch((await runCli(['status'], { cwd: home, home })).stdout, /^budget:/m);
  assert.equal((await runCli(['budget', 'set', '5', '--period', 'week'], { cwd: home, home })).code, 0);
  const json = await runCli(['status', '--json'], { cwd: home, home });
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout) as { total_usd: number; budget: Record<string, number | string> };
  assert.equal(parsed.budget.amount_usd, 5);
  assert.equal(parsed.budget.period, 'week');
  assert.equal(parsed.budget.spent_usd, parsed.total_usd, 'the one job, submitted this week, is the spend');
  assert.ok((parsed.budget.spent_usd as number) > 0);
  assert.equal(parsed.budget.left_usd, Math.round((5 - (parsed.budget.spent_usd as number)) * 10_000) / 10_000);
  const text = await runCli(['status'], { cwd: home, home });
  assert.match(
    text.stdout,
    /^budget: \$0\.\d+ spent of \$5\.00 this week \(since \d{4}-\d\d-\d\d\); \$\d\.\d\d left$/m,
  );
});

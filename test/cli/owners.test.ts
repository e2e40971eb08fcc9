import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'vitest';
import { asJobId } from '../../src/backend/job-id.js';
import type { JobRecord } from '../../src/core/job-record.js';
import type { SpendReport } from '../../src/core/spend-report.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import { newJob, PRICE } from '../ledger/support/ledger-fixtures.js';
import { writeJob } from '../support/job-files.js';
import { assertNoStack, ended, eventsOf, submitted } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { seededHome } from '../support/seeded-home.js';
import { tempDir } from '../support/temp-dir.js';

const QUICK = 'run: echo hi\nlimits:\n  max_runtime: 1m\nbackends:\n  local:\n    hourly_rate: 3.6\n';
const HERE = os.hostname();
/** Bob with a space: a name is a name, not an identifier. */
const BOB = 'Bob Smith';

async function jobsOf(home: string, args: readonly string[], env: Record<string, string> = {}): Promise<JobRecord[]> {
  const result = await runCli(['status', ...args, '--json'], { cwd: home, home, env });
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as { jobs: JobRecord[] }).jobs;
}

test('each job records who launched it: status --mine and --owner list theirs, report sums per owner', {
  timeout: 120_000,
}, async (t) => {
  const home = tempDir(t);
  const alice = await submitted(t, writeJob(tempDir(t), `name: by-alice\n${QUICK}`).jobPath, home, {
    DLRUN_USER: 'alice',
  });
  const bob = await submitted(t, writeJob(tempDir(t), `name: by-bob\n${QUICK}`).jobPath, home, { DLRUN_USER: BOB });
  // No DLRUN_USER: the OS user.
  const plain = await submitted(t, writeJob(tempDir(t), `name: by-os-user\n${QUICK}`).jobPath, home);
  await Promise.all([alice, bob, plain].map((jobId) => ended(jobId, home)));

  const every = await jobsOf(home, []);
  assert.deepEqual(Object.fromEntries(every.map((job) => [job.job_id, [job.owner, job.host]])), {
    [alice]: ['alice', HERE],
    [bob]: [BOB, HERE],
    [plain]: [os.userInfo().username, HERE],
  });
  const ids = (jobs: readonly JobRecord[]): string[] => jobs.map((job) => job.job_id);
  assert.deepEqual(ids(await jobsOf(home, ['--mine'], { DLRUN_USER: 'alice' })), [alice]);
  assert.deepEqual(ids(await jobsOf(home, ['--mine'], { DLRUN_USER: BOB })), [bob]);
  assert.deepEqual(ids(await jobsOf(home, ['--mine'])), [plain]);
  assert.deepEqual(ids(await jobsOf(home, ['--owner', 'alice'])), [alice]);
  assert.deepEqual(ids(await jobsOf(home, ['--owner', 'alice', '--all'], { DLRUN_USER: BOB })), [alice]);
  assert.deepEqual(ids(await jobsOf(home, ['--owner', 'carol'])), []);

  // The table: an OWNER column; jobs launched on this host show the owner alone.
  const table = await runCli(['status', '--owner', 'alice'], { cwd: home, home });
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^JOB ID\s+OWNER\s+BACKEND\s+STATE/);
  assert.match(table.stdout, new RegExp(`^${alice}\\s+alice\\s+local\\s+succeeded\\s`, 'm'));
  const none = await runCli(['status', '--owner', 'carol'], { cwd: home, home });
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stderr, /no jobs launched by carol/);
  // The detail names both.
  const detail = await runCli(['status', bob], { cwd: home, home });
  assert.match(detail.stdout, new RegExp(`^owner\\s+${BOB}$`, 'm'));
  assert.match(detail.stdout, new RegExp(`^host\\s+${HERE}$`, 'm'));

  const report = await runCli(['report', '--by', 'owner', '--json'], { cwd: home, home });
  assert.equal(report.code, 0, report.stderr);
  const parsed = JSON.parse(report.stdout) as SpendReport;
  assert.equal(parsed.by, 'owner');
  assert.deepEqual(
    parsed.groups.map((group) => [group.key, group.jobs]),
    [
      ['alice', 1],
      [BOB, 1],
      [os.userInfo().username, 1],
    ].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
  );
  assert.equal(
    Math.round(parsed.groups.reduce((sum, group) => sum + group.spend_usd, 0) * 1e6),
    Math.round(parsed.total_usd * 1e6),
  );
  const csv = await runCli(['report', '--by', 'owner', '--csv'], { cwd: home, home });
  assert.match(csv.stdout, /^alice,1,/m);
});

test('--mine and --owner together, or with a JOB_ID, and a bad --owner are usage errors', async (t) => {
  const home = tempDir(t);
  for (const [args, pattern] of [
    [['--mine', '--owner', 'alice'], /--mine and --owner cannot be given together/],
    [['some-job', '--mine'], /--mine chooses which jobs to list: give it without a JOB_ID/],
    [['some-job', '--owner', 'alice'], /--owner chooses which jobs to list/],
    [['--owner', ' '], /--owner is empty/],
    [['--owner', 'x'.repeat(65)], /--owner is longer than 64 characters/],
    [['--owner', 'a\u001b[31mb'], /--owner holds a control character/],
  ] as const) {
    const result = await runCli(['status', ...args], { cwd: home, home });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
    assert.doesNotMatch(result.stderr, /\u001b\[31m/, 'the control character never reaches the terminal');
    assertNoStack(result);
  }
  const help = await runCli(['status', '--help'], { cwd: home, home });
  assert.match(help.stdout, /--mine\s/);
  assert.match(help.stdout, /--owner <NAME>/);
  const reportHelp = await runCli(['report', '--help'], { cwd: home, home });
  assert.match(reportHelp.stdout, /state or owner/);
});

test('attack: a DLRUN_USER with control characters, or one a cloned repository .env sets, never names a job', {
  timeout: 60_000,
}, async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), `name: spoofed\n${QUICK}`);
  for (const name of ['\u001b]0;pwned\u0007alice', 'alice\u001b[2J', 'al\u202eice', ' ', 'x'.repeat(65)]) {
    const result = await runCli(['submit', jobPath], { cwd: home, home, env: { DLRUN_USER: name } });
    assert.equal(result.code, 1, `${JSON.stringify(name)}: ${result.stderr}`);
    assert.match(result.stderr, /DLRUN_USER (holds a control character|is empty|is longer than 64 characters)/);
    assert.doesNotMatch(result.stderr + result.stdout, /[\u001b\u0007\u202e]/, 'nothing of it reaches the terminal');
    assertNoStack(result);
    const mine = await runCli(['status', '--mine'], { cwd: home, home, env: { DLRUN_USER: name } });
    assert.equal(mine.code, 1, mine.stderr);
  }
  assert.deepEqual(await jobsOf(home, []), [], 'no job was recorded, nor any launched');

  // An untrusted folder's .env cannot name the owner: the job is the OS user's, and the notice names the setting.
  const project = tempDir(t);
  writeFileSync(path.join(project, '.env'), 'DLRUN_USER=mallory\n');
  const result = await runCli(['submit', jobPath], { cwd: project, home });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /ignored from \.env: [^\n]*DLRUN_USER/);
  const jobId = result.stdout.trim();
  const [job] = await jobsOf(home, []);
  assert.equal(job?.job_id, jobId);
  assert.equal(job?.owner, os.userInfo().username);
  await ended(jobId, home);
});

// A local job launched on another host sharing this ledger, long ago, with a pid that is nobody's here.
const THERE = asJobId('theirs-20200105-0900-e1f2');
// The same job as if launched here: this host's local backend finds no trace of it and ends it.
const MINE = asJobId('mine-20200105-0900-f3a4');
const OLD = asJobId('old-20200101-0900-a0b0');

async function seedHosts(ledger: Ledger): Promise<void> {
  for (const [jobId, host] of [
    [THERE, 'other-host.lab.example.com'],
    [MINE, HERE],
  ] as const) {
    await ledger.createJob({
      ...newJob(jobId, '2020-01-05T09:00:00.000Z', { price: PRICE, owner: 'carol', host }),
      backend: 'local',
    });
    await ledger.recordChange(jobId, {
      at: '2020-01-05T09:00:01.000Z',
      source: 'provider',
      state: 'running',
      phase: 'run',
      externalId: '999999',
    });
  }
  // Recorded before owners were.
  await ledger.createJob({ ...newJob(OLD, '2020-01-01T09:00:00.000Z'), backend: 'local' });
  await ledger.recordChange(OLD, { at: '2020-01-01T09:10:00.000Z', source: 'provider', state: 'succeeded' });
}

test('a local job of another host keeps its last known state here, shows its host, and is acted on only there', {
  timeout: 60_000,
}, async (t) => {
  const home = await seededHome(t, seedHosts);
  const table = await runCli(['status'], { cwd: home, home });
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, new RegExp(`^${THERE}\\s+carol@other-host\\s+local\\s+running\\s+run\\s`, 'm'));
  assert.match(table.stdout, new RegExp(`^${OLD}\\s+-\\s+local\\s+succeeded\\s`, 'm'));
  assert.match(
    table.stderr,
    /1 active job launched on another host is shown as last known here: only its host refreshes it/,
  );

  const jobs = await jobsOf(home, []);
  const there = jobs.find((job) => job.job_id === THERE);
  const mine = jobs.find((job) => job.job_id === MINE);
  assert.deepEqual([there?.state, there?.owner, there?.host], ['running', 'carol', 'other-host.lab.example.com']);
  // The contrast: this host's backend was asked about its own job, found nothing, and ended it.
  assert.notEqual(mine?.state, 'running', 'a job of this host is refreshed');
  assert.deepEqual(
    (await eventsOf(THERE, home)).map((event) => event.source),
    ['dlrun', 'provider'],
    'nothing was recorded for the other host job',
  );

  const detail = await runCli(['status', THERE], { cwd: home, home });
  assert.equal(detail.code, 0, detail.stderr);
  assert.match(detail.stdout, /^owner\s+carol$/m);
  assert.match(detail.stdout, /^host\s+other-host\.lab\.example\.com \(refreshed only from there/m);
  assert.match(
    (await runCli(['status', OLD], { cwd: home, home })).stdout,
    /^owner\s+unknown \(recorded before dlrun kept owners\)$/m,
  );

  for (const [command, what] of [
    ['cancel', 'it can be cancelled'],
    ['logs', 'its logs can be read'],
    ['pull', 'its outputs can be pulled'],
  ] as const) {
    const result = await runCli([command, THERE], { cwd: home, home });
    assert.equal(result.code, 1, `${command}: ${result.stderr}`);
    assert.match(
      result.stderr,
      new RegExp(`${THERE} was launched on host other-host\\.lab\\.example\\.com: ${what} only from other-host`),
    );
    assert.match(result.stderr, /hint: run this command on other-host\.lab\.example\.com/);
    assertNoStack(result);
  }
  assert.equal((await jobsOf(home, ['--owner', 'carol'])).find((job) => job.job_id === THERE)?.state, 'running');

  const report = JSON.parse((await runCli(['report', '--by', 'owner', '--json'], { cwd: home, home })).stdout);
  assert.deepEqual(
    (report as SpendReport).groups.map((group) => [group.key, group.jobs]),
    [
      ['(unknown)', 1],
      ['carol', 2],
    ],
  );
});

import { asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import type { JobRecord } from '../../src/core/job-record.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import type { BackendName } from '../../src/spec/backend-names.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { newJob, PRICE, sampleBill } from '../ledger/support/ledger-fixtures.js';
import { seededHome } from '../support/seeded-home.js';

// Fixed dates long past, so ended jobs give exact figures and active ones only grow.
const SUCCEEDED = asJobId('mnist-cnn-20200101-1000-a7f3');
const FAILED = asJobId('mnist-cnn-20200102-0900-b2c4');
const RUNNING = asJobId('resnet-20200103-0800-c9d1');
const PENDING = asJobId('bert-20200104-0700-d0e5');

/**
 * A backend of a newer dlrun sharing this ledger: every backend this version knows can be asked, and these jobs must
 * be shown as the ledger recorded them.
 */
const UNKNOWN_BACKEND = 'slurm' as BackendName;

async function seedFourJobs(ledger: Ledger): Promise<void> {
  await ledger.createJob(newJob(SUCCEEDED, '2020-01-01T10:00:00.000Z', { price: PRICE, quotedUsd: 1.8 }));
  await ledger.recordChange(SUCCEEDED, {
    at: '2020-01-01T10:01:00.000Z',
    source: 'provider',
    state: 'provisioning',
    externalId: 'i-0abc',
    providerState: 'pending',
  });
  await ledger.recordChange(SUCCEEDED, {
    at: '2020-01-01T10:02:00.000Z',
    source: 'provider',
    state: 'running',
    phase: 'setup',
    providerState: 'running',
  });
  await ledger.recordChange(SUCCEEDED, { at: '2020-01-01T10:05:00.000Z', source: 'machine', phase: 'run' });
  await ledger.recordChange(SUCCEEDED, {
    at: '2020-01-01T10:32:00.000Z',
    source: 'provider',
    state: 'succeeded',
    providerState: 'terminated',
    exitCode: 0,
  });
  await ledger.recordBill(SUCCEEDED, sampleBill(SUCCEEDED, 1.95));

  await ledger.createJob(newJob(FAILED, '2020-01-02T09:00:00.000Z', { price: PRICE }));
  await ledger.recordChange(FAILED, { at: '2020-01-02T09:00:30.000Z', source: 'provider', state: 'running' });
  await ledger.recordChange(FAILED, {
    at: '2020-01-02T09:10:30.000Z',
    source: 'provider',
    state: 'failed',
    exitCode: 1,
  });

  // Active jobs on a backend this version does not know: status shows the ledger's own view, not a refresh.
  await ledger.createJob({ ...newJob(RUNNING, '2020-01-03T08:00:00.000Z'), backend: UNKNOWN_BACKEND });
  await ledger.recordChange(RUNNING, {
    at: '2020-01-03T08:00:01.000Z',
    source: 'dlrun',
    state: 'running',
    externalId: 'pid-4242',
  });

  await ledger.createJob({
    ...newJob(PENDING, '2020-01-04T07:00:00.000Z', { price: PRICE }),
    backend: UNKNOWN_BACKEND,
  });
  await ledger.recordChange(PENDING, {
    at: '2020-01-04T07:00:05.000Z',
    source: 'provider',
    state: 'pending',
    providerState: 'QUEUED',
  });
}

function parseJson<T>(stdout: string): T {
  assert.ok(
    stdout.endsWith('}\n') && stdout.indexOf('\n') === stdout.length - 1,
    `one JSON document on one line: ${stdout}`,
  );
  return JSON.parse(stdout) as T;
}

test('status --json prints {"jobs": [...]}, newest first, with the record fields', async (t) => {
  const home = await seededHome(t, seedFourJobs);
  const result = await runCli(['status', '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  const { jobs } = parseJson<{ jobs: JobRecord[] }>(result.stdout);
  assert.deepEqual(
    jobs.map((job) => job.job_id),
    [PENDING, RUNNING, FAILED, SUCCEEDED],
  );
  const [pending, running, failed, succeeded] = jobs as [JobRecord, JobRecord, JobRecord, JobRecord];
  assert.deepEqual(succeeded, {
    job_id: SUCCEEDED,
    name: 'mnist',
    backend: 'ec2',
    state: 'succeeded',
    phase: null,
    provider_state: 'terminated',
    external_id: 'i-0abc',
    submitted_at: '2020-01-01T10:00:00.000Z',
    started_at: '2020-01-01T10:01:00.000Z',
    ended_at: '2020-01-01T10:32:00.000Z',
    elapsed_s: 1920,
    phases: { queued: 60, provisioning: 60, setup: 180, run: 1620, teardown: 0 },
    cost_so_far_usd: 1.95,
    exit_code: 0,
    end_reason: null,
    failed_phase: null,
    job_file: 'job.yaml',
    owner: null,
    host: null,
  });
  assert.equal(failed.state, 'failed');
  assert.equal(failed.failed_phase, 'run', 'running, it was in run');
  assert.equal(failed.elapsed_s, 630);
  assert.equal(failed.cost_so_far_usd, 0.6, 'no bill: 600 s at the launch price');
  assert.equal(failed.exit_code, 1);
  assert.equal(running.state, 'running');
  assert.equal(running.backend, UNKNOWN_BACKEND);
  assert.equal(running.external_id, 'pid-4242');
  assert.equal(running.ended_at, null);
  assert.equal(running.cost_so_far_usd, null, 'no price, no cost');
  assert.ok(running.elapsed_s > 0 && running.phases.run > 0, 'a running job counts up to now');
  assert.equal(pending.state, 'pending');
  assert.equal(pending.provider_state, 'QUEUED');
  assert.equal(pending.started_at, null);
  assert.equal(pending.cost_so_far_usd, 0, 'waiting costs nothing');
});

test('status JOB_ID --json prints that one record', async (t) => {
  const home = await seededHome(t, seedFourJobs);
  const all = parseJson<{ jobs: JobRecord[] }>((await runCli(['status', '--json'], { cwd: home, home })).stdout);
  const result = await runCli(['status', FAILED, '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(
    parseJson<JobRecord>(result.stdout),
    all.jobs.find((job) => job.job_id === FAILED),
  );
});

test('status prints a table of the jobs on stdout', async (t) => {
  const home = await seededHome(t, seedFourJobs);
  const result = await runCli(['status'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '', 'every job shown, so no note');
  const lines = result.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^JOB ID\s+OWNER\s+BACKEND\s+STATE\s+PHASE\s+ELAPSED\s+COST\s+SUBMITTED \(UTC\)$/);
  assert.equal(lines.length, 6);
  assert.deepEqual(
    lines.slice(1, -1).map((line) => line.split(/\s+/)[0]),
    [PENDING, RUNNING, FAILED, SUCCEEDED],
  );
  assert.equal(lines[5], 'total of the 4 jobs shown: $2.55');
  assert.match(
    lines[4]!,
    new RegExp(`^${SUCCEEDED}\\s+-\\s+ec2\\s+succeeded\\s+-\\s+32m00s\\s+\\$1\\.95\\s+2020-01-01 10:00$`),
  );
  assert.match(lines[3]!, /failed\s+run\s+10m30s\s+\$0\.60\s+2020-01-02 09:00$/);
});

test('status with a unique start of an id shows that job; an ambiguous start names the candidates', async (t) => {
  const home = await seededHome(t, seedFourJobs);
  const unique = await runCli(['status', 'mnist-cnn-20200101'], { cwd: home, home });
  assert.equal(unique.code, 0, unique.stderr);
  assert.match(unique.stdout, new RegExp(`^job\\s+${SUCCEEDED}$`, 'm'));
  assert.match(unique.stdout, /^state\s+succeeded \(provider: terminated\)$/m);
  assert.match(unique.stdout, /^cost so far\s+\$1\.95$/m);
  assert.match(unique.stdout, /^phases\s+queued 1m00s, provisioning 1m00s, setup 3m00s, run 27m00s$/m);
  const ambiguous = await runCli(['status', 'mnist-cnn-'], { cwd: home, home });
  assert.equal(ambiguous.code, 2, 'an ambiguous id is wrong usage');
  assert.match(ambiguous.stderr, new RegExp(`'mnist-cnn-' matches several jobs: .*${SUCCEEDED}`));
  assert.match(ambiguous.stderr, new RegExp(FAILED));
  assert.equal(ambiguous.stdout, '');
});

test('status with an unknown id exits 1, with a did-you-mean when one id is close', async (t) => {
  const home = await seededHome(t, seedFourJobs);
  const close = await runCli(['status', 'mnist-cnn-20200101-1000-a7f4', '--json'], { cwd: home, home });
  assert.equal(close.code, 1);
  assert.equal(
    (JSON.parse(close.stdout) as { error: { message: string } }).error.message,
    "no job 'mnist-cnn-20200101-1000-a7f4' in the ledger",
    'under --json, the error is the one document on stdout',
  );
  assert.match(close.stderr, /no job 'mnist-cnn-20200101-1000-a7f4' in the ledger/);
  assert.match(close.stderr, new RegExp(`did you mean '${SUCCEEDED}'\\?`));
  const far = await runCli(['status', 'nothing-like-it'], { cwd: home, home });
  assert.equal(far.code, 1);
  assert.match(far.stderr, /no job 'nothing-like-it' in the ledger/);
  assert.doesNotMatch(far.stderr, /did you mean/);
  assert.match(far.stderr, /'dlrun status' lists jobs/);
  for (const result of [close, far]) assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('status shows active jobs and the 20 most recent ended ones; --all shows every job', async (t) => {
  const ended = Array.from({ length: 23 }, (_, index) => asJobId(`old-20200201-${String(1000 + index)}-aaaa`));
  const active = ['early-20200115-0000-bbbb', 'early-20200115-0001-cccc'].map(asJobId);
  const home = await seededHome(t, async (ledger) => {
    // The active jobs are older than every ended one: they show anyway (on a backend this version does not know).
    for (const [index, jobId] of active.entries()) {
      await ledger.createJob({ ...newJob(jobId, `2020-01-15T00:0${index}:00.000Z`), backend: UNKNOWN_BACKEND });
      await ledger.recordChange(jobId, { at: `2020-01-15T00:0${index}:30.000Z`, source: 'provider', state: 'running' });
    }
    for (const [index, jobId] of ended.entries()) {
      const minute = String(index).padStart(2, '0');
      await ledger.createJob(newJob(jobId, `2020-02-01T10:${minute}:00.000Z`));
      await ledger.recordChange(jobId, {
        at: `2020-02-01T10:${minute}:30.000Z`,
        source: 'provider',
        state: 'succeeded',
      });
    }
  });
  const newestEnded = [...ended].reverse().slice(0, 20);
  const table = await runCli(['status'], { cwd: home, home });
  assert.equal(table.code, 0, table.stderr);
  const shown = table.stdout
    .trimEnd()
    .split('\n')
    .slice(1, -1)
    .map((line) => line.split(/\s+/)[0]);
  assert.deepEqual(shown, [...newestEnded, ...[...active].reverse()]);
  assert.equal(table.stderr, "3 older jobs not shown; 'dlrun status --all' lists every job\n");

  const json = await runCli(['status', '--json'], { cwd: home, home });
  assert.deepEqual(
    parseJson<{ jobs: JobRecord[] }>(json.stdout).jobs.map((job) => job.job_id),
    shown,
  );

  const all = await runCli(['status', '--all', '--json'], { cwd: home, home });
  assert.equal(all.code, 0, all.stderr);
  const everyId = parseJson<{ jobs: JobRecord[] }>(all.stdout).jobs.map((job) => job.job_id);
  assert.deepEqual(everyId, [...[...ended].reverse(), ...[...active].reverse()]);
  const allTable = await runCli(['status', '--all'], { cwd: home, home });
  assert.equal(allTable.stdout.trimEnd().split('\n').length, 27, 'the header, 25 jobs, the total');
  assert.equal(allTable.stderr, '', 'nothing hidden, no note');
});

test('status with no ledger, or an empty one, says there are no jobs yet and creates none', async (t) => {
  const home = tempDir(t);
  const table = await runCli(['status'], { cwd: home, home });
  assert.equal(table.code, 0);
  assert.equal(table.stdout, '');
  assert.match(table.stderr, /no jobs yet/);
  const json = await runCli(['status', '--json'], { cwd: home, home });
  assert.deepEqual(parseJson(json.stdout), { jobs: [] });
  const unknown = await runCli(['status', 'some-job'], { cwd: home, home });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no job 'some-job' in the ledger/);
  assert.equal(existsSync(path.join(home, 'ledger.db')), false);

  const emptyHome = await seededHome(t, async () => undefined);
  const empty = await runCli(['status'], { cwd: emptyHome, home: emptyHome });
  assert.equal(empty.code, 0);
  assert.match(empty.stderr, /no jobs yet/);
});

test('status shows small costs with the digits that make them differ, and a total of the jobs shown', async (t) => {
  const home = await seededHome(t, async (ledger) => {
    for (const [id, usd] of [
      ['tiny-20200101-1000-aaaa', 0.0042],
      ['tinier-20200101-1100-bbbb', 0.000278],
      ['big-20200101-1200-cccc', 1.95],
    ] as const) {
      const jobId = asJobId(id);
      await ledger.createJob(newJob(jobId, '2020-01-01T10:00:00.000Z', { price: PRICE }));
      await ledger.recordChange(jobId, { at: '2020-01-01T10:00:01.000Z', source: 'provider', state: 'running' });
      await ledger.recordChange(jobId, {
        at: '2020-01-01T10:00:02.000Z',
        source: 'provider',
        state: 'succeeded',
        exitCode: 0,
      });
      await ledger.recordBill(jobId, sampleBill(jobId, usd));
    }
  });
  const result = await runCli(['status'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^tiny-20200101-1000-aaaa\s.*\s\$0\.0042\s/m);
  assert.match(result.stdout, /^tinier-20200101-1100-bbbb\s.*\s\$0\.00028\s/m);
  assert.match(result.stdout, /^big-20200101-1200-cccc\s.*\s\$1\.95\s/m);
  assert.match(result.stdout.trimEnd().split('\n').at(-1)!, /^total of the 3 jobs shown: \$1\.95$/);
  const json = JSON.parse((await runCli(['status', '--json'], { cwd: home, home })).stdout) as { total_usd: number };
  assert.equal(json.total_usd, 1.954478);
});

test('a failed job says in which phase it failed, in the table, the record and the detail', async (t) => {
  const home = await seededHome(t, seedFourJobs);
  const table = await runCli(['status'], { cwd: home, home });
  assert.match(table.stdout, new RegExp(`^${FAILED}\\s+-\\s+ec2\\s+failed\\s+run\\s`, 'm'));
  const record = JSON.parse((await runCli(['status', FAILED, '--json'], { cwd: home, home })).stdout) as {
    failed_phase: string | null;
  };
  assert.equal(record.failed_phase, 'run');
  const succeeded = JSON.parse((await runCli(['status', SUCCEEDED, '--json'], { cwd: home, home })).stdout) as {
    failed_phase: string | null;
  };
  assert.equal(succeeded.failed_phase, null);
  const detail = await runCli(['status', FAILED], { cwd: home, home });
  assert.match(detail.stdout, /^failed in\s+run$/m);
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import {
  assertNoStack,
  endMessage,
  ended,
  jobFolder,
  jobProcesses,
  readJson,
  submitAndWait,
  submitted,
} from '../../support/local-jobs.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { writeJob } from '../../support/job-files.js';
import { waitFor } from '../../support/wait-for.js';

function runSeconds(record: { started_at: string | null; ended_at: string | null }): number {
  return (Date.parse(record.ended_at!) - Date.parse(record.started_at!)) / 1000;
}

test('max_runtime: a job that runs past it is stopped, ends timed_out, and the reason is recorded', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(
    tempDir(t),
    'name: too-long\nlimits:\n  max_runtime: 2s\nrun: |\n  echo started\n  sleep 300\n',
  );
  const result = await submitAndWait(t, jobPath, home);
  const { jobId } = result;
  assert.equal(result.code, 1, 'a job that did not succeed fails the wait');
  assert.match(result.stderr, /stops at max_runtime 2s/);
  assert.match(result.stderr, new RegExp(`${jobId} timed_out in run \\(exit status 143\\)`));
  assertNoStack(result);
  const record = await ended(jobId, home);
  assert.equal(record.state, 'timed_out');
  assert.ok(runSeconds(record) >= 2, `not stopped before its limit (${runSeconds(record)} s)`);
  assert.equal(await endMessage(jobId, home), 'max_runtime 2s reached; the job was stopped');
  assert.deepEqual(jobProcesses(jobId), []);
});

test(
  'max_cost: at $3600/h a $2 budget stops the job after 1 s, ' + 'so the bill (whole seconds) stays within $2',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(
      tempDir(t),
      'name: pricey\nlimits:\n  max_cost: 2\nrun: sleep 300\nbackends:\n  local:\n    hourly_rate: 3600\n',
    );
    const before = Date.now();
    const jobId = await submitted(t, jobPath, home);
    const settings = readJson<{ deadlineAt: number; deadlineReason: string }>(
      path.join(jobFolder(home, jobId), 'job.json'),
    );
    // The last second the money buys is kept back: a second begun is billed whole.
    assert.ok(
      settings.deadlineAt >= before + 1000 && settings.deadlineAt <= Date.now() + 1000,
      'the deadline counts from submit',
    );
    assert.equal(settings.deadlineReason, 'max_cost $2 (1s at $3600/h)');
    const record = await ended(jobId, home);
    assert.equal(record.state, 'timed_out');
    assert.ok(runSeconds(record) >= 1, `not stopped before the budget allowed (${runSeconds(record)} s)`);
    const bill = JSON.parse((await runCli(['bill', jobId, '--json'], { cwd: home, home })).stdout) as {
      total_usd: number;
    };
    assert.ok(bill.total_usd <= 2, `the bill ($${bill.total_usd}) stays within max_cost`);
    assert.equal(await endMessage(jobId, home), 'max_cost $2 (1s at $3600/h) reached; the job was stopped');
    assert.deepEqual(jobProcesses(jobId), []);
  },
);

test('a job that ignores SIGTERM is killed after the grace period, at its limit and when cancelled', async (t) => {
  const home = tempDir(t);
  const env = { DLRUN_LOCAL_STOP_GRACE_MS: '500' };
  const stubborn = 'run: |\n  trap "" TERM\n  echo "$$" > "$DLRUN_OUTPUT_DIR/pid"\n  echo started\n  sleep 300\n';
  const { jobPath } = writeJob(tempDir(t), `name: stubborn\nlimits:\n  max_runtime: 2s\n${stubborn}`);
  const timedOut = await submitted(t, jobPath, home, env);
  assert.equal(
    readJson<{ stopGraceMs: number }>(path.join(jobFolder(home, timedOut), 'job.json')).stopGraceMs,
    500,
    "DLRUN_LOCAL_STOP_GRACE_MS is the job's grace",
  );
  assert.equal((await ended(timedOut, home)).state, 'timed_out');
  assert.deepEqual(jobProcesses(timedOut), [], 'the shell that ignored SIGTERM, and its sleep, were killed');

  const { jobPath: cancelPath } = writeJob(tempDir(t), `name: stubborn-cancel\n${stubborn}`);
  const cancelled = await submitted(t, cancelPath, home, env);
  await waitFor('the job to run', () =>
    readFileSync(path.join(jobFolder(home, cancelled), 'output.log'), 'utf8').includes('started') ? true : undefined,
  );
  const result = await runCli(['cancel', cancelled], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, new RegExp(`${cancelled} cancelled\\n$`));
  assert.equal((await ended(cancelled, home)).state, 'cancelled');
  assert.deepEqual(jobProcesses(cancelled), []);
});

test('a job that catches SIGTERM to save a checkpoint gets the signal once and its whole grace period', async (t) => {
  const home = tempDir(t);
  // A grace period far longer than the save takes: the test waits for the job, never on a clock.
  const env = { DLRUN_LOCAL_STOP_GRACE_MS: '60000' };
  const { jobPath } = writeJob(
    tempDir(t),
    [
      'name: checkpointer',
      'run: |',
      "  trap 'echo saving; sleep 2; echo saved; exit 0' TERM",
      '  echo started',
      '  sleep 300 &',
      '  wait',
      '',
    ].join('\n'),
  );
  const jobId = await submitted(t, jobPath, home, env);
  await waitFor('the job to run', () =>
    readFileSync(path.join(jobFolder(home, jobId), 'output.log'), 'utf8').includes('started') ? true : undefined,
  );
  const result = await runCli(['cancel', jobId], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  assert.equal((await ended(jobId, home)).state, 'cancelled');
  const logs = await runCli(['logs', jobId], { cwd: home, home });
  assert.equal(logs.stdout, 'started\nsaving\nsaved\n', 'one SIGTERM, and time to finish saving');
  assert.deepEqual(jobProcesses(jobId), []);
});

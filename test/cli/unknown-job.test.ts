import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { assertNoStack, ended, eventsOf, record, submitAndWait } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';

const JOB_COMMANDS = ['status', 'logs', 'cancel', 'bill', 'pull'] as const;

test('a job id nobody ever submitted: every job command exits 1 with "no job", before any ledger exists', async (t) => {
  const home = tempDir(t);
  for (const command of JOB_COMMANDS) {
    const result = await runCli([command, 'mnist-cnn-20260101-0000-abcd'], { cwd: home, home });
    assert.equal(result.code, 1, `${command}: ${result.stderr}`);
    assert.match(
      result.stderr,
      /^dlrun: error: no job 'mnist-cnn-20260101-0000-abcd' in the ledger\n {2}hint: 'dlrun status' lists jobs\n$/,
      command,
    );
    assert.equal(result.stdout, '', `${command} prints no data`);
    assertNoStack(result);
  }
  assert.deepEqual(readdirSync(home), [], 'asking about a job creates no ledger');
});

test('a mistyped job id: every job command exits 1, says "no job" and suggests the close id', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: typo-target\nrun: echo hi\n');
  const submitted = await submitAndWait(t, jobPath, home);
  assert.equal(submitted.code, 0, submitted.stderr);
  const { jobId } = submitted;
  const typo = `${jobId.slice(0, -1)}${jobId.endsWith('x') ? 'y' : 'x'}`;
  for (const command of JOB_COMMANDS) {
    const result = await runCli([command, typo], { cwd: home, home });
    assert.equal(result.code, 1, `${command}: ${result.stderr}`);
    assert.match(
      result.stderr,
      new RegExp(`^dlrun: error: no job '${typo}' in the ledger\\n {2}hint: did you mean '${jobId}'\\? `),
      command,
    );
    assertNoStack(result);
  }
  const farOff = await runCli(['status', 'something-else-entirely'], { cwd: home, home });
  assert.equal(farOff.code, 1);
  assert.match(
    farOff.stderr,
    /no job 'something-else-entirely' in the ledger\n {2}hint: 'dlrun status' lists jobs/,
    'no suggestion when nothing is close',
  );
  assert.equal(existsSync(path.join(home, 'dlrun-outputs')), false, 'pull of an unknown job made no folder');
});

test(
  'cancelling a job that already ended: exit 0, ' + '"already ended (succeeded); nothing to cancel", nothing changes',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(tempDir(t), 'name: finished\nrun: echo done\n');
    const submitted = await submitAndWait(t, jobPath, home);
    assert.equal(submitted.code, 0, submitted.stderr);
    const { jobId } = submitted;
    const before = await ended(jobId, home);
    assert.equal(before.state, 'succeeded');
    const eventsBefore = await eventsOf(jobId, home);

    const result = await runCli(['cancel', jobId], { cwd: home, home });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, `${jobId} already ended (succeeded); nothing to cancel\n`);
    assertNoStack(result);
    const after = await record(jobId, home);
    assert.equal(after.state, 'succeeded');
    assert.equal(after.ended_at, before.ended_at);
    assert.equal(after.exit_code, 0);
    assert.deepEqual(await eventsOf(jobId, home), eventsBefore, 'no event was added');
    assert.equal(
      existsSync(path.join(home, 'jobs', jobId, 'cancel-requested')),
      false,
      'the job folder was not touched',
    );

    const json = await runCli(['cancel', jobId, '--json'], { cwd: home, home });
    assert.equal(json.code, 0);
    assert.equal((JSON.parse(json.stdout) as { state: string }).state, 'succeeded');
  },
);

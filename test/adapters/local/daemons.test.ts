import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { ended, isRunning, jobFolder, jobProcesses, submitted } from '../../support/local-jobs.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { writeJob } from '../../support/job-files.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * Four ways a job leaves something behind, each writing its process id to $DLRUN_OUTPUT_DIR/pids once it runs:
 * a daemon in a session of its own (setsid), one that also ignores SIGTERM, a nohup'd background process, and a
 * plain background process.
 */
const FORK_DAEMONS = [
  `setsid bash -c 'echo $$ >> "$DLRUN_OUTPUT_DIR/pids"; exec sleep 300' < /dev/null > /dev/null 2>&1 &`,
  `setsid bash -c 'trap "" TERM; echo $$ >> "$DLRUN_OUTPUT_DIR/pids"; sleep 300' < /dev/null > /dev/null 2>&1 &`,
  `nohup bash -c 'echo $$ >> "$DLRUN_OUTPUT_DIR/pids"; exec sleep 300' > /dev/null 2>&1 &`,
  `bash -c 'echo $$ >> "$DLRUN_OUTPUT_DIR/pids"; exec sleep 300' &`,
  'while [ "$(wc -l < "$DLRUN_OUTPUT_DIR/pids" 2>/dev/null || echo 0)" -lt 4 ]; do sleep 0.05; done',
];

function daemonPids(home: string, jobId: string): number[] {
  const file = path.join(jobFolder(home, jobId), 'workdir', 'outputs', 'pids');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];
}

test('daemons a job forked (setsid, nohup, &) are stopped when it ends on its own', async (t) => {
  const home = tempDir(t);
  const run = [...FORK_DAEMONS, 'echo forked'].map((line) => `  ${line}`).join('\n');
  const { jobPath } = writeJob(tempDir(t), `name: forks-daemons\nrun: |\n${run}\n`);
  const jobId = await submitted(t, jobPath, home);
  const record = await ended(jobId, home);
  assert.equal(record.state, 'succeeded', 'the job itself finished');
  const pids = daemonPids(home, jobId);
  assert.equal(pids.length, 4, 'every daemon had started');
  assert.deepEqual(pids.filter(isRunning), [], 'none of them is left');
  assert.deepEqual(jobProcesses(jobId), [], `no process with DLRUN_JOB_ID=${jobId}`);
});

test('daemons a job forked (setsid, nohup, &) are stopped when it is cancelled', async (t) => {
  const home = tempDir(t);
  const run = [...FORK_DAEMONS, 'echo forked', 'sleep 300'].map((line) => `  ${line}`).join('\n');
  const { jobPath } = writeJob(tempDir(t), `name: cancelled-daemons\nrun: |\n${run}\n`);
  // The daemon that ignores SIGTERM is killed after the grace period; a short one keeps the test quick.
  const jobId = await submitted(t, jobPath, home, { DLRUN_LOCAL_STOP_GRACE_MS: '1000' });
  await waitFor('the daemons to start', () => (daemonPids(home, jobId).length === 4 ? true : undefined));
  const cancelled = await runCli(['cancel', jobId], { cwd: home, home });
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.match(cancelled.stderr, new RegExp(`^cancelling ${jobId}\\.\\.\\.\\n${jobId} cancelled\\n$`));
  assert.equal((await ended(jobId, home)).state, 'cancelled');
  assert.deepEqual(daemonPids(home, jobId).filter(isRunning), [], 'none of the daemons is left');
  assert.deepEqual(jobProcesses(jobId), [], `no process with DLRUN_JOB_ID=${jobId}`);
});

test(
  'a cancel that comes while dlrun stops what a finished job left behind ' + 'does not turn it into cancelled',
  async (t) => {
    const home = tempDir(t);
    // The job succeeds at once, leaving a daemon that ignores SIGTERM: stopping it takes dlrun a couple of seconds.
    const ignoresTerm = `trap "" TERM; echo $$ >> "$DLRUN_OUTPUT_DIR/pids"; sleep 300`;
    const daemon = `setsid bash -c '${ignoresTerm}' < /dev/null > /dev/null 2>&1 &`;
    const waitForIt = 'while [ ! -s "$DLRUN_OUTPUT_DIR/pids" ]; do sleep 0.05; done';
    const { jobPath } = writeJob(tempDir(t), `name: done-then-cancelled\nrun: |\n  ${daemon}\n  ${waitForIt}\n`);
    const jobId = await submitted(t, jobPath, home);
    const markers = path.join(jobFolder(home, jobId), 'markers');
    await waitFor('the job to have ended on its own', () =>
      existsSync(markers) && readFileSync(markers, 'utf8').includes('phase teardown') ? true : undefined,
    );
    const cancelled = await runCli(['cancel', jobId], { cwd: home, home });
    assert.equal(cancelled.code, 0, cancelled.stderr);
    const record = await ended(jobId, home);
    assert.equal(record.state, 'succeeded', 'it had finished before the cancel');
    assert.equal(record.exit_code, 0);
    assert.deepEqual(daemonPids(home, jobId).filter(isRunning), [], 'its daemon was stopped all the same');
  },
);

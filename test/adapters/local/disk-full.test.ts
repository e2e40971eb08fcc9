import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'vitest';
import { defer } from '../../support/cleanup.js';
import {
  assertNoStack,
  ended,
  eventsOf,
  jobFolder,
  jobProcesses,
  readJson,
  submitted,
} from '../../support/local-jobs.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { writeJob } from '../../support/job-files.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * A DLRUN_HOME on a 4 MiB tmpfs, unmounted when the test ends (after the job in it was stopped). Mounting needs
 * root; elsewhere the test is skipped, except under CI, where a skipped disk test would hide a regression.
 */
function smallDisk(t: TestContext): string | undefined {
  const mountPoint = tempDir(t, 'dlrun-small-disk-');
  const refuse = (reason: string): undefined => {
    if (process.env.CI === 'true')
      assert.fail(`the disk-full tests must run under CI, but ${reason}; run them as root`);
    t.skip(`needs a 4 MiB tmpfs for DLRUN_HOME, but ${reason}`);
    return undefined;
  };
  if (process.getuid?.() !== 0) return refuse('the tests do not run as root');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { encoding: 'utf8' });
  if (mounted.status !== 0) return refuse(`mount refused: ${(mounted.stderr || mounted.error?.message || '').trim()}`);
  defer(t, async () => {
    const unmount = (): string | undefined => {
      const unmounted = spawnSync('umount', [mountPoint], { encoding: 'utf8' });
      return unmounted.status === 0 ? undefined : unmounted.stderr;
    };
    try {
      await waitFor(`${mountPoint} to be unmounted`, () => (unmount() === undefined ? true : undefined), 30_000);
    } catch (error) {
      // Whatever still holds it open, never leave a mount behind.
      spawnSync('umount', ['--lazy', mountPoint]);
      throw error;
    }
  });
  return mountPoint;
}

/** A script line that waits for the test to say go: to create the file $TRIGGER. */
const WAIT_FOR_TRIGGER = 'while [ ! -e "$TRIGGER" ]; do sleep 0.1; done';

/** A job file: its `head` lines, then TRIGGER (the file the test creates to say go) in env:, then `script` as run:. */
function triggeredJob(head: readonly string[], trigger: string, script: readonly string[]): string {
  return [...head, 'env:', `  TRIGGER: ${trigger}`, 'run: |', ...script.map((line) => `  ${line}`), ''].join('\n');
}

test(
  'a workdir larger than the disk: submit fails with "disk ... is full", exit 1, no job folder, ' +
    'the ledger row failed',
  async (t) => {
    const home = smallDisk(t);
    if (!home) return;
    const { jobPath } = writeJob(tempDir(t), 'name: too-big\nrun: echo never\n');
    writeFileSync(path.join(path.dirname(jobPath), 'data.bin'), Buffer.alloc(6 * 1024 * 1024, 1));
    const result = await runCli(['submit', jobPath], { cwd: home, home });
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(
        /dlrun: error: the disk holding .* is full: the copy of the workdir for too-big-\S+ did not fit\n {2}/.source +
          /hint: free some space, or leave large files home with a \.dlrunignore/.source,
      ),
    );
    assertNoStack(result);
    assert.equal(result.stdout, '', 'no job id: nothing was launched');
    assert.deepEqual(readdirSync(path.join(home, 'jobs')), [], 'no job folder left behind');
    const listed = await runCli(['status', '--json'], { cwd: home, home });
    assert.equal(listed.code, 0, listed.stderr);
    const jobs = (JSON.parse(listed.stdout) as { jobs: { job_id: string; state: string }[] }).jobs;
    assert.equal(jobs.length, 1, 'the row written before launching stays, and says what happened');
    const [job] = jobs;
    assert.equal(job!.state, 'failed', 'never submitting or running');
    assert.ok(
      (await eventsOf(job!.job_id, home)).some((event) =>
        /launch failed: the disk holding .* is full/.test(event.message ?? ''),
      ),
    );
  },
);

test(
  'a job that fills the disk while it runs ends failed; its supervisor records the end; ' +
    'status and logs still work',
  async (t) => {
    const home = smallDisk(t);
    if (!home) return;
    const trigger = path.join(tempDir(t), 'fill-now');
    // The job waits for the test to say go, so the disk fills after submit has recorded the launch.
    const { jobPath } = writeJob(
      tempDir(t),
      triggeredJob(['name: disk-filler'], trigger, [
        'echo waiting to fill the disk',
        WAIT_FOR_TRIGGER,
        'cat /dev/zero > "$DLRUN_OUTPUT_DIR/filler"',
        'echo never reached',
      ]),
    );
    const jobId = await submitted(t, jobPath, home);
    writeFileSync(trigger, '');
    const folder = jobFolder(home, jobId);
    await waitFor('the supervisor to record the end', () =>
      readdirSync(folder).includes('result.json') ? true : undefined,
    );

    const result = readJson<{ state: string; exitCode: number; message: string }>(path.join(folder, 'result.json'));
    assert.equal(result.state, 'failed');
    assert.equal(result.exitCode, 1, 'cat failed on the full disk, and -e stopped the script');
    assert.equal(
      result.message,
      'the job exited with status 1',
      'recorded by the supervisor itself, which did not crash',
    );
    assert.doesNotMatch(readFileSync(path.join(folder, 'supervisor.log'), 'utf8'), /supervisor failed/);
    assert.deepEqual(
      readdirSync(folder).filter((name) => name.endsWith('.tmp')),
      [],
      'no half-written file',
    );

    const status = await runCli(['status', jobId, '--json'], { cwd: home, home });
    assert.equal(status.code, 0, status.stderr);
    assertNoStack(status);
    assert.equal((JSON.parse(status.stdout) as { state: string }).state, 'failed');
    assert.equal((await ended(jobId, home)).exit_code, 1);
    const logs = await runCli(['logs', jobId], { cwd: home, home });
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /^waiting to fill the disk\n/);
    assert.doesNotMatch(logs.stdout, /never reached/);
    assert.deepEqual(jobProcesses(jobId), []);
  },
);

test('a job that fills the disk and then runs past its limit is still stopped at the limit', async (t) => {
  const home = smallDisk(t);
  if (!home) return;
  const trigger = path.join(tempDir(t), 'fill-now');
  const { jobPath } = writeJob(
    tempDir(t),
    triggeredJob(['name: full-and-long', 'limits:', '  max_runtime: 3s'], trigger, [
      WAIT_FOR_TRIGGER,
      'cat /dev/zero > "$DLRUN_OUTPUT_DIR/filler" || true',
      'sleep 300',
    ]),
  );
  const jobId = await submitted(t, jobPath, home);
  writeFileSync(trigger, '');
  // While the disk is full no ledger can be opened on it; the job's folder is where the end shows first.
  const folder = jobFolder(home, jobId);
  await waitFor('the supervisor to record the end', () =>
    readdirSync(folder).includes('result.json') ? true : undefined,
  );
  const result = readJson<{ state: string; message: string }>(path.join(folder, 'result.json'));
  assert.equal(result.state, 'timed_out', 'the supervisor survived the full disk and enforced max_runtime');
  assert.equal(result.message, 'max_runtime 3s reached; the job was stopped');
  assert.equal((await ended(jobId, home)).state, 'timed_out');
  assert.deepEqual(jobProcesses(jobId), []);
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'vitest';
import { createBackend } from '../../../adapters/local/local-backend.js';
import { localJobFolder } from '../../../adapters/local/local-job-folder.js';
import { identify, isAlive } from '../../../src/util/process-identity.js';
import type { LocalJobSettings, LocalProcesses } from '../../../adapters/local/local-settings.js';
import { type JobId, asLedgerId, newJobId } from '../../../src/backend/job-id.js';
import { localPrice } from '../../../adapters/local/local-rate.js';
import { defer } from '../../support/cleanup.js';
import {
  assertNoStack,
  endMessage,
  ended,
  isRunning,
  jobFolder,
  jobProcesses,
  readJson,
  record,
  submitted,
} from '../../support/local-jobs.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { writeJob } from '../../support/job-files.js';
import { waitFor } from '../../support/wait-for.js';
import { seededHome } from '../../support/seeded-home.js';

const CONTEXT = { ledgerId: asLedgerId('identity-ledger'), env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } };

/** A process that has nothing to do with any job, in a process group of its own; killed when the test ends. */
function unrelatedProcess(t: TestContext, env: Record<string, string> = {}): number {
  const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore', env: { ...CONTEXT.env, ...env } });
  child.unref();
  const pid = child.pid!;
  defer(t, () => {
    if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  });
  return pid;
}

function settingsFor(jobId: JobId, home: string): LocalJobSettings {
  const workdir = localJobFolder(home, jobId).workdir;
  return {
    jobId,
    ledgerId: CONTEXT.ledgerId,
    env: { DLRUN_JOB_ID: jobId, DLRUN_WORKDIR: workdir, DLRUN_OUTPUT_DIR: path.join(workdir, 'outputs') },
    deadlineAt: Date.now() + 60_000,
    deadlineReason: 'max_runtime 1m',
    logLimitBytes: 1024 * 1024,
    stopGraceMs: 1_000,
  };
}

test('a process id now used by an unrelated process is never taken for the job, nor signalled', async (t) => {
  const home = tempDir(t);
  const stranger = unrelatedProcess(t);
  const identity = identify(stranger);
  assert.ok(identity, 'the stranger runs');
  // What process.json would say if the job's supervisor and wrapper had had this id before (then the machine
  // restarted, or the ids came round again): the same pid, another start time.
  const before = { pid: stranger, started: `${identity.started}0` };
  assert.equal(isAlive(before), false, 'a different start time is a different process');
  const jobId = newJobId('reused-pid');
  const folder = localJobFolder(home, jobId);
  mkdirSync(folder.root, { recursive: true });
  writeFileSync(folder.settings, JSON.stringify(settingsFor(jobId, home)));
  const processes: LocalProcesses = {
    supervisor: before,
    job: before,
    processGroup: stranger,
    startedAt: new Date(Date.now() - 3_600_000).toISOString(),
  };
  writeFileSync(folder.processes, JSON.stringify(processes));

  const [status] = await createBackend().status([{ jobId, backend: 'local', externalId: String(stranger) }], {
    ...CONTEXT,
    home,
  });
  assert.notEqual(status?.state, 'running', 'a live process with another start time is not the supervisor');
  assert.equal(status?.state, 'failed');
  assert.match(status?.message ?? '', /supervisor ended without recording the job's end/);
  assert.equal(isAlive(identity), true, 'the unrelated process (and its process group) was left alone');
});

test('an unrelated process whose environment merely mentions the job id outlives the job', async (t) => {
  const home = tempDir(t);
  const trigger = path.join(tempDir(t), 'finish');
  const { jobPath } = writeJob(
    tempDir(t),
    `name: mentioned\nenv:\n  TRIGGER: ${trigger}\nrun: while [ ! -e "$TRIGGER" ]; do sleep 0.05; done\n`,
  );
  const jobId = await submitted(t, jobPath, home);
  const watcher = unrelatedProcess(t, { WATCHED_DLRUN_JOB_ID: jobId });
  writeFileSync(trigger, '');
  assert.equal((await ended(jobId, home)).state, 'succeeded');
  assert.equal(isRunning(watcher), true, 'only DLRUN_JOB_ID itself marks a process of the job');
});

test(
  'a supervisor killed with SIGKILL: ' + 'the next dlrun status stops the job and marks it failed, saying why',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(tempDir(t), 'name: orphaned\nrun: |\n  echo started\n  sleep 300\n');
    const jobId = await submitted(t, jobPath, home);
    const folder = jobFolder(home, jobId);
    await waitFor('the job to run', () =>
      readFileSync(path.join(folder, 'output.log'), 'utf8').includes('started') ? true : undefined,
    );
    const processes = readJson<LocalProcesses>(path.join(folder, 'process.json'));
    assert.ok(jobProcesses(jobId).length > 0, 'the job runs');
    process.kill(processes.supervisor.pid, 'SIGKILL');
    await waitFor('the supervisor to be gone', () => (isAlive(processes.supervisor) ? undefined : true));
    assert.ok(jobProcesses(jobId).length > 0, 'its job runs on without it, for now');

    const status = await runCli(['status', jobId, '--json'], { cwd: home, home });
    assert.equal(status.code, 0, status.stderr);
    assertNoStack(status);
    assert.equal((JSON.parse(status.stdout) as { state: string }).state, 'failed');
    assert.deepEqual(jobProcesses(jobId), [], 'status stopped every process of the job');
    assert.match(
      await endMessage(jobId, home),
      new RegExp(
        /dlrun's supervisor ended without recording the job's end \(killed, or the machine restarted\); /.source +
          /its processes were stopped/.source,
      ),
    );
    assert.equal((await record(jobId, home)).state, 'failed', 'and it stays failed');
  },
);

const LONG_AGO = new Date(Date.now() - 3_600_000).toISOString();

function newLocalJob(jobId: JobId) {
  return {
    jobId,
    name: jobId.split('-')[0]!,
    backend: 'local',
    jobFile: '/nowhere/job.yaml',
    spec: {},
    submittedAt: LONG_AGO,
    price: localPrice(undefined, new Date()),
  };
}

test('a job folder whose supervisor never started (no process.json, an hour old) is failed', async (t) => {
  const jobId = newJobId('never-started');
  const home = await seededHome(t, async (ledger) => {
    await ledger.createJob(newLocalJob(jobId));
    await ledger.recordChange(jobId, {
      at: LONG_AGO,
      source: 'dlrun',
      state: 'provisioning',
      message: 'staging the workdir and starting the machine',
    });
  });
  const folder = localJobFolder(home, jobId);
  mkdirSync(folder.workdir, { recursive: true });
  writeFileSync(folder.settings, JSON.stringify(settingsFor(jobId, home)));
  const anHourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(folder.root, anHourAgo, anHourAgo);

  const status = await runCli(['status', jobId, '--json'], { cwd: home, home });
  assert.equal(status.code, 0, status.stderr);
  const shown = JSON.parse(status.stdout) as { state: string; provider_state: string };
  assert.equal(shown.state, 'failed');
  assert.equal(shown.provider_state, 'never started');
  assert.equal(await endMessage(jobId, home), 'the job was prepared but its supervisor never started');
});

test(
  'no job folder at all: lost for a job whose launch never happened, ' + 'failed for one that was launched',
  async (t) => {
    const neverLaunched = newJobId('never-launched');
    const launched = newJobId('launched');
    const home = await seededHome(t, async (ledger) => {
      await ledger.createJob(newLocalJob(neverLaunched));
      await ledger.createJob(newLocalJob(launched));
      await ledger.recordChange(launched, {
        at: LONG_AGO,
        source: 'provider',
        state: 'provisioning',
        providerState: 'launched',
        externalId: '4242',
        message: 'launched',
      });
    });
    const lost = await runCli(['status', neverLaunched, '--json'], { cwd: home, home });
    assert.equal(lost.code, 0, lost.stderr);
    assert.equal((JSON.parse(lost.stdout) as { state: string }).state, 'lost');
    assert.equal(
      await endMessage(neverLaunched, home),
      'the launch never completed: this machine has no trace of the job',
    );

    const failed = await runCli(['status', launched, '--json'], { cwd: home, home });
    assert.equal(failed.code, 0, failed.stderr);
    assert.equal((JSON.parse(failed.stdout) as { state: string }).state, 'failed');
    assert.equal(await endMessage(launched, home), 'this machine has no trace of the job; it was launched as 4242');
  },
);

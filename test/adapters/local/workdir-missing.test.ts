import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { createBackend } from '../../../adapters/local/local-backend.js';
import { localJobFolder } from '../../../adapters/local/local-job-folder.js';
import type { LocalJobSettings } from '../../../adapters/local/local-settings.js';
import { DlrunError } from '../../../src/base/errors.js';
import { asLedgerId, newJobId } from '../../../src/backend/job-id.js';
import { assertNoStack } from '../../support/local-jobs.js';
import { REPO_ROOT } from '../../support/paths.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { writeJob } from '../../support/job-files.js';

const WRAPPER = path.join(REPO_ROOT, 'templates', 'bootstrap', 'job-wrapper.sh');
const SUPERVISOR = path.join(REPO_ROOT, 'dist', 'adapters', 'local', 'local-supervisor.js');
const CONTEXT = { ledgerId: asLedgerId('workdir-ledger'), env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } };

test(
  'a job file whose workdir does not exist: the loader says so, exit 1, ' + 'and nothing is created in DLRUN_HOME',
  async (t) => {
    const home = tempDir(t);
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'job.yaml'), 'name: no-workdir\nworkdir: ./src\nrun: python train.py\n');
    const result = await runCli(['submit', path.join(dir, 'job.yaml')], { cwd: dir, home });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /job\.yaml:2:10 error missing-workdir workdir: the folder .*\/src does not exist/);
    assert.match(result.stderr, /dlrun: error: .*job\.yaml is not a valid job file \(1 error\)/);
    assertNoStack(result);
    assert.equal(result.stdout, '');
    assert.deepEqual(readdirSync(home), [], 'no ledger, no job folder');
  },
);

test('a workdir removed after the job file was loaded: launch fails clearly and leaves no job folder', async (t) => {
  const home = tempDir(t);
  const dir = tempDir(t);
  const { job } = writeJob(dir, 'name: vanishing\nworkdir: ./src\nrun: python train.py\n', {
    'src/train.py': 'print(1)\n',
  });
  const backend = createBackend();
  const jobId = newJobId(job.name);
  const plan = await backend.plan(job, {
    ...CONTEXT,
    home,
    jobId,
    stopAfter: { seconds: 60, reason: 'max_runtime 1m' },
  });
  rmSync(path.join(dir, 'src'), { recursive: true });
  await assert.rejects(backend.submit(plan, { ...CONTEXT, home, secrets: {} }), (error: unknown) => {
    assert.ok(error instanceof DlrunError, `a DlrunError, not ${String(error)}`);
    assert.equal(error.audience, 'user');
    assert.match(error.message, /the workdir .*\/src changed while it was being copied/);
    return true;
  });
  assert.equal(existsSync(localJobFolder(home, jobId).root), false, 'no half-made job folder');
});

test(
  'the wrapper, run directly on a missing workdir: ' +
    'exit 66, an "error workdir-missing" marker, a clear message, nothing run',
  (t) => {
    const jobDir = tempDir(t);
    const ran = path.join(jobDir, 'ran');
    writeFileSync(path.join(jobDir, 'setup.sh'), `touch ${ran}\n`);
    writeFileSync(path.join(jobDir, 'run.sh'), `touch ${ran}\n`);
    const workdir = path.join(jobDir, 'workdir');
    const result = spawnSync('bash', [WRAPPER], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        DLRUN_JOB_DIR: jobDir,
        DLRUN_WORKDIR: workdir,
        DLRUN_OUTPUT_DIR: path.join(workdir, 'outputs'),
      },
      encoding: 'utf8',
    });
    assert.equal(result.status, 66);
    assert.equal(result.stderr, `dlrun: the workdir ${workdir} is gone\n`);
    assert.equal(result.stdout, '');
    assert.match(readFileSync(path.join(jobDir, 'markers'), 'utf8'), /^\d+(\.\d+)? error workdir-missing\n$/);
    assert.equal(existsSync(ran), false, 'neither setup nor run ran');
    assert.equal(existsSync(workdir), false, 'the wrapper did not make an empty workdir (or outputs) in its place');
  },
);

test(
  'a job whose copy of the workdir is gone when it starts ends failed, ' + 'and status says the workdir was gone',
  async (t) => {
    const home = tempDir(t);
    const jobId = newJobId('lost-workdir');
    const folder = localJobFolder(home, jobId);
    mkdirSync(folder.root, { recursive: true });
    copyFileSync(WRAPPER, folder.wrapper);
    writeFileSync(folder.setupScript, '');
    writeFileSync(folder.runScript, 'echo never\n');
    const settings: LocalJobSettings = {
      jobId,
      ledgerId: CONTEXT.ledgerId,
      env: {
        DLRUN_JOB_ID: jobId,
        DLRUN_WORKDIR: folder.workdir,
        DLRUN_OUTPUT_DIR: path.join(folder.workdir, 'outputs'),
      },
      deadlineAt: Date.now() + 60_000,
      deadlineReason: 'max_runtime 1m',
      logLimitBytes: 1024 * 1024,
      stopGraceMs: 1_000,
    };
    writeFileSync(folder.settings, JSON.stringify(settings));
    // The real supervisor, as `submit` starts it, on a folder whose workdir/ was never made (or was deleted).
    const supervisor = spawn(process.execPath, [SUPERVISOR, folder.root], { stdio: 'ignore', env: CONTEXT.env });
    const exited = new Promise<number | null>((resolve) => supervisor.on('exit', (code) => resolve(code)));
    assert.equal(await exited, 0, 'the supervisor recorded the end and exited normally');

    const backend = createBackend();
    const [status] = await backend.status([{ jobId, backend: 'local', externalId: null }], { ...CONTEXT, home });
    assert.equal(status?.state, 'failed');
    assert.equal(status?.exitCode, 66);
    assert.equal(status?.message, "the job folder's copy of the workdir was gone when the job started");
    assert.match(
      readFileSync(folder.log, 'utf8'),
      /dlrun: the workdir .* is gone/,
      "the wrapper's message is in the job's log",
    );
  },
);

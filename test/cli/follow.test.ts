import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'vitest';
import { CLI_BIN } from '../support/paths.js';
import { runCli, startCli } from '../support/run-cli.js';
import { defer } from '../support/cleanup.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';
import { waitFor } from '../support/wait-for.js';

const LONG_JOB = 'name: long-job\nrun: |\n  echo started\n  sleep 300\n';

async function stateOf(jobId: string, home: string): Promise<string> {
  return (JSON.parse((await runCli(['status', jobId, '--json'], { cwd: home, home })).stdout) as { state: string })
    .state;
}

test('Ctrl-C during submit --wait detaches with exit 130; the job goes on until cancelled', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), LONG_JOB);
  const waiting = startCli(['submit', jobPath, '--wait'], { cwd: home, home });
  // stdout and stderr are separate pipes: wait for both, the job id and the job's first line.
  const jobId = (await waiting.waitForOutput(/^\S+\n/, 'stdout')).trim();
  defer(t, () => runCli(['cancel', jobId], { cwd: home, home }));
  await waiting.waitForOutput(/^started$/m);
  waiting.signal('SIGINT');
  const result = await waiting.exited;
  assert.equal(result.code, 130);
  assert.match(result.stderr, new RegExp(`detached: ${jobId} goes on`));
  assert.equal(await stateOf(jobId, home), 'running');
  const cancelled = await runCli(['cancel', jobId], { cwd: home, home });
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.equal(await stateOf(jobId, home), 'cancelled');
});

test('Ctrl-C during logs --follow stops reading with exit 130; the job goes on', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), LONG_JOB);
  const submitted = await runCli(['submit', jobPath], { cwd: home, home });
  assert.equal(submitted.code, 0, submitted.stderr);
  const jobId = submitted.stdout.trim();
  defer(t, () => runCli(['cancel', jobId], { cwd: home, home }));
  const following = startCli(['logs', '--follow', jobId], { cwd: home, home });
  await following.waitForOutput(/^started$/m, 'stdout');
  following.signal('SIGINT');
  const result = await following.exited;
  assert.equal(result.code, 130, result.stderr);
  assert.equal(await stateOf(jobId, home), 'running');
});

test('the job survives its terminal closing: SIGHUP to the whole session of dlrun submit --wait', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), LONG_JOB);
  // A new session stands in for the terminal; SIGHUP to its process group is what closing the window sends.
  const waiting = startCli(['submit', jobPath, '--wait'], { cwd: home, home, detached: true });
  // stdout and stderr are separate pipes: wait for both, the job id and the job's first line.
  const jobId = (await waiting.waitForOutput(/^\S+\n/, 'stdout')).trim();
  defer(t, () => runCli(['cancel', jobId], { cwd: home, home }));
  await waiting.waitForOutput(/^started$/m);
  waiting.signal('SIGHUP', true);
  const result = await waiting.exited;
  assert.notEqual(result.code, 0);
  assert.equal(await stateOf(jobId, home), 'running', 'the job did not get the hangup');
  await runCli(['cancel', jobId], { cwd: home, home });
});

test('on a terminal, submit --wait rewrites one live line with state, phase, elapsed per phase and cost', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(
    tempDir(t),
    [
      'name: live',
      'run: |',
      '  for i in 1 2 3 4; do echo "step $i"; sleep 0.5; done',
      'backends:',
      '  local:',
      '    hourly_rate: 1',
      '',
    ].join('\n'),
  );
  // --yes: this job may cost $24 (24 h at $1/h), which asks first on a terminal.
  const { output } = await onTerminal(`${process.execPath} ${CLI_BIN} submit ${jobPath} --wait --yes`, home);
  assert.match(
    output,
    /\r\u001b\[K\S+: running \(run\) \| [^\n]*\$\d+\.\d+ so far/,
    'the live line is redrawn in place',
  );
  assert.match(output, /step 4/);
  assert.match(output, /bill for live-/);
});

test(
  'on a terminal, submit asks before launching a job that may cost more than $5, ' + 'and no launches nothing',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(tempDir(t), 'name: pricey\nrun: sleep 1\nbackends:\n  local:\n    hourly_rate: 1\n');
    const declined = await onTerminal(`${process.execPath} ${CLI_BIN} submit ${jobPath}`, home, 'n\n');
    assert.match(declined.output, /This job may cost up to \$24\.00 on local\. Launch it\? \[y\/N\]/);
    assert.match(declined.output, /not launched/);
    assert.equal(declined.code, 1);
    const jobs = JSON.parse((await runCli(['status', '--json'], { cwd: home, home })).stdout) as { jobs: unknown[] };
    assert.deepEqual(jobs.jobs, []);
    const cheap = writeJob(
      path.join(tempDir(t), 'cheap'),
      'name: cheap\nrun: "true"\nlimits:\n  max_runtime: 1h\nbackends:\n  local:\n    hourly_rate: 1\n',
    );
    const unasked = await onTerminal(`${process.execPath} ${CLI_BIN} submit ${cheap.jobPath} --wait`, home);
    assert.equal(unasked.code, 0);
    assert.doesNotMatch(unasked.output, /Launch it\?/, 'at most $1: no question');
  },
);

/** Run a command on a pseudo-terminal (`script`), as a user's shell would, typing `input` into it. */
function onTerminal(command: string, home: string, input?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', HOME: home, DLRUN_HOME: home, TERM: 'xterm' },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (input !== undefined && /\[y\/N\]/.test(output)) {
        child.stdin!.end(input);
        input = undefined;
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('a job that prints without newlines and a job whose setup fails are followed to the end', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: no-newline\nsetup: printf "partial"\nrun: printf "tail"\n');
  const result = await runCli(['submit', jobPath, '--wait'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /partialtail/);
  const { jobPath: failing } = writeJob(
    path.join(tempDir(t), 'f'),
    'name: setup-fails\nsetup: pip-does-not-exist install x\nrun: echo never\n',
  );
  const failed = await runCli(['submit', failing, '--wait'], { cwd: home, home });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /pip-does-not-exist: command not found/);
  assert.doesNotMatch(failed.stderr, /^never$/m);
  await waitFor('the job to be recorded as failed', async () =>
    (await stateOf(failed.stdout.split('\n')[0]!, home)) === 'failed' ? true : undefined,
  );
});

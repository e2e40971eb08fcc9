// The Rescale job's command executed for real: sh runs the string the adapter sends (exec bash -c '<bootstrap>') in a
// work directory holding the workdir's archive, with the envVars the adapter sets, as Rescale would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { oneNodeVariables } from '../../support/bootstrap-child.js';
import { renderRescaleBootstrap, rescaleCommand } from '../../../adapters/rescale/rescale-bootstrap.js';
import { environmentFrom } from '../../support/env-dump.js';
import {
  type BootstrapRun,
  dlrunFile,
  filesIn,
  isRunning,
  markerEvents,
  resultOf,
  runBootstrap,
  unpackedOutputs,
  WORKDIR_FILE,
} from '../../support/rescale-bootstrap-run.js';
import { waitFor } from '../../support/wait-for.js';

const LONG = { timeout: 90_000 };
const SECRET = 's3cr3t-4e1b-value';
const ACCOUNT_KEY = 'rescale-key-of-the-account-7c1d';

/**
 * What Rescale collects at the end: dlrun's files (markers and outputs only when the job ran) and the other input
 * file, nothing of the workdir.
 */
function assertOnlyResultsLeft(run: BootstrapRun, jobRan = true): void {
  const expected = jobRan
    ? ['dlrun/markers', 'dlrun/output.log', 'dlrun/outputs.tar.gz', 'dlrun/result', 'notes.txt']
    : ['dlrun/output.log', 'dlrun/result', 'notes.txt'];
  assert.deepEqual(filesIn(run.workDir), expected, 'the work directory holds only dlrun/ and notes.txt');
  assert.ok(!existsSync(run.root), `${run.root} (the unpacked workdir) is removed`);
}

/** The secret and the account's key are in no file left to collect, nor in the process output. */
function assertNothingSecretLeft(run: BootstrapRun, outputs: string | undefined, texts: readonly string[]): void {
  const files = filesIn(run.workDir).map((name) => path.join(run.workDir, name));
  if (outputs) files.push(...filesIn(outputs).map((name) => path.join(outputs, name)));
  for (const file of files) {
    const text = readFileSync(file).toString('latin1');
    for (const secret of texts) assert.ok(!text.includes(secret), `${file} holds ${secret}`);
  }
  for (const secret of texts) assert.ok(!run.console.includes(secret), `the process output holds ${secret}`);
}

test('a job that succeeds: log, markers, outputs archive, result exit 0, and nothing else left', LONG, async (t) => {
  const jobId = 'train-ok-20261206-0001-abcd';
  const run = await runBootstrap(t, {
    jobId,
    env: { EPOCHS: '10', PATH: process.env.PATH ?? '/usr/bin:/bin' },
    envVars: { API_TOKEN: SECRET },
    setup: 'echo "setting up"\n',
    run: [
      'echo "first line of the job"',
      'cat data/input.txt',
      'printf weights > "$DLRUN_OUTPUT_DIR/model.bin"',
      'mkdir -p "$DLRUN_OUTPUT_DIR/logs" && echo epoch1 > "$DLRUN_OUTPUT_DIR/logs/train.txt"',
      `env -0 | grep -zv '^API_TOKEN=' > "$DLRUN_OUTPUT_DIR/job.env"`,
      `[ "$API_TOKEN" = '${SECRET}' ] && echo "the secret is there"`,
      '',
    ].join('\n'),
  });
  assert.equal(run.exitCode, 0, run.console);
  assert.deepEqual(
    { ...resultOf(run), ended_at: undefined },
    { state: 'succeeded', exit_code: '0', reason: 'the job finished', ended_at: undefined },
  );
  assert.ok(Number.isFinite(Date.parse(resultOf(run).ended_at ?? '')));
  assert.deepEqual(markerEvents(run), ['phase setup', 'setup-exit 0', 'phase run', 'run-exit 0', 'phase teardown']);
  const log = dlrunFile(run, 'output.log');
  for (const line of ['setting up', 'first line of the job', 'the training data', 'the secret is there'])
    assert.ok(log.includes(line), `the log holds '${line}':\n${log}`);
  assert.ok(log.includes('dlrun: the job finished'), log);
  assert.match(run.console, /dlrun: the job finished/, 'dlrun’s own lines are in the process output too');

  const outputs = unpackedOutputs(t, run);
  assert.deepEqual(filesIn(outputs), ['job.env', 'logs/train.txt', 'model.bin']);
  assert.equal(readFileSync(path.join(outputs, 'model.bin'), 'utf8'), 'weights');
  const seen = environmentFrom(readFileSync(path.join(outputs, 'job.env'), 'utf8'));
  assert.deepEqual(
    Object.fromEntries(Object.entries(seen).filter(([name]) => /^(DLRUN_|EPOCHS$|RESCALE_)/.test(name))),
    { ...oneNodeVariables('rescale', jobId, run.root), EPOCHS: '10' },
    'the DLRUN_* variables and the job env; none of the bootstrap inputs, nor the account key',
  );
  assertOnlyResultsLeft(run);
  assertNothingSecretLeft(run, outputs, [SECRET, ACCOUNT_KEY]);
});

test('a setup that fails: the run never starts, the result names the setup and its status', LONG, async (t) => {
  const run = await runBootstrap(t, {
    jobId: 'train-setup-20261206-0002-abcd',
    setup: 'echo "installing"\nexit 7\necho "never printed"\n',
    run: 'echo "never run"\n',
  });
  assert.equal(run.exitCode, 7, run.console);
  assert.deepEqual(
    { ...resultOf(run), ended_at: '' },
    { state: 'failed', exit_code: '7', reason: 'setup exited with status 7', ended_at: '' },
  );
  assert.deepEqual(markerEvents(run), ['phase setup', 'setup-exit 7', 'phase teardown']);
  const log = dlrunFile(run, 'output.log');
  assert.ok(log.includes('installing') && !log.includes('never'), log);
  // The wrapper made the (empty) outputs folder: its archive is there, as for any job that ran.
  assertOnlyResultsLeft(run);
});

test(
  'a run that fails (exit 3): the result says 3, the outputs still archived, the command exits 3',
  LONG,
  async (t) => {
    const run = await runBootstrap(t, {
      jobId: 'train-fail-20261206-0003-abcd',
      run: 'echo "about to fail"\nprintf partial > "$DLRUN_OUTPUT_DIR/partial.txt"\nexit 3\n',
    });
    assert.equal(run.exitCode, 3, run.console);
    assert.deepEqual(
      { ...resultOf(run), ended_at: '' },
      { state: 'failed', exit_code: '3', reason: 'the job exited with status 3', ended_at: '' },
    );
    assert.deepEqual(markerEvents(run), ['phase run', 'run-exit 3', 'phase teardown']);
    assert.ok(dlrunFile(run, 'output.log').includes('about to fail'));
    assert.equal(readFileSync(path.join(unpackedOutputs(t, run), 'partial.txt'), 'utf8'), 'partial');
    assertOnlyResultsLeft(run);
  },
);

test(
  'values with quotes, $(), backticks and newlines reach the job verbatim, never run by a shell',
  LONG,
  async (t) => {
    const marker = (name: string) => `$(touch "$HOME/evaluated-${name}") \`touch "$HOME/evaluated-${name}"\``;
    const tricky = (name: string) => `it's "quoted" ${marker(name)} $HOME \\ ; done\nsecond line\n\nlast=line ünïcödé`;
    // A name that is not a variable's: the env is refused as a whole, before the job runs.
    const refused = await runBootstrap(t, {
      jobId: 'train-values-20261206-0004-abcd',
      env: { FROM_ENV: tricky('env'), "IT'S_NOT": 'x' },
      run: 'echo ran\n',
    });
    assert.equal(refused.exitCode, 1, refused.console);
    assert.equal(resultOf(refused).reason, 'DLRUN_BOOT_JOB_ENV is not a JSON object of variable names and text values');
    assert.ok(!dlrunFile(refused, 'output.log').includes('ran\n'));
    assertOnlyResultsLeft(refused, false);

    const good = await runBootstrap(t, {
      jobId: 'train-values-20261206-0005-abcd',
      env: { FROM_ENV: tricky('env') },
      envVars: { FROM_SECRET: tricky('secret') },
      run: [
        'for name in FROM_ENV FROM_SECRET; do printf "%s" "${!name}" > "$HOME/seen-$name"; done',
        'echo "the job ran"',
        '',
      ].join('\n'),
    });
    assert.equal(good.exitCode, 0, good.console);
    const home = path.dirname(good.root);
    assert.equal(readFileSync(path.join(home, 'seen-FROM_ENV'), 'utf8'), tricky('env'));
    assert.equal(readFileSync(path.join(home, 'seen-FROM_SECRET'), 'utf8'), tricky('secret'));
    assert.ok(!existsSync(path.join(home, 'evaluated-env')), 'no job env value was run by a shell');
    assert.ok(!existsSync(path.join(home, 'evaluated-secret')), 'no secret was run by a shell');
    assert.ok(dlrunFile(good, 'output.log').includes('the job ran'));
    assertNothingSecretLeft(good, unpackedOutputs(t, good), ['second line', '"quoted"']);
  },
);

test('the setup and run scripts arrive as written: quotes, $ and a here-doc', LONG, async (t) => {
  const run = await runBootstrap(t, {
    jobId: 'train-scripts-20261206-0006-abcd',
    setup: `name='it'"'"'s'\necho "setup: $name"\n`,
    run: `cat <<'EOF' > "$DLRUN_OUTPUT_DIR/out.txt"\n$(not run) 'single' "double" \\n\nEOF\n`,
  });
  assert.equal(run.exitCode, 0, run.console);
  assert.ok(dlrunFile(run, 'output.log').includes("setup: it's"));
  assert.equal(
    readFileSync(path.join(unpackedOutputs(t, run), 'out.txt'), 'utf8'),
    `$(not run) 'single' "double" \\n\n`,
  );
});

test('a SIGTERM (a stop) mid-run stops every process of the job: result stopped, exit 143', LONG, async (t) => {
  let sleeper = 0;
  const run = await runBootstrap(t, {
    jobId: 'train-stop-20261206-0007-abcd',
    // The TERM must reach the sleep: a grandchild of the bootstrap, in the job's own process group.
    run: [
      'echo "job started"',
      'printf part > "$DLRUN_OUTPUT_DIR/part.txt"',
      'sleep 60 &',
      'echo "$!" > "$HOME/sleeper.pid"',
      'wait',
      'echo "never printed"',
      '',
    ].join('\n'),
    whileRunning: async (started) => {
      // The log is a file of the work directory while the job runs (what Rescale's live tailing shows).
      await waitFor('the job to start', () =>
        dlrunFile(started, 'output.log').includes('job started') &&
        existsSync(path.join(started.workDir, '..', '..', 'sleeper.pid'))
          ? true
          : undefined,
      );
      sleeper = Number(readFileSync(path.join(started.workDir, '..', '..', 'sleeper.pid'), 'utf8'));
      assert.ok(isRunning(sleeper));
      process.kill(started.pid, 'SIGTERM');
    },
  });
  assert.equal(run.exitCode, 143, run.console);
  const result = resultOf(run);
  assert.equal(result.state, 'stopped');
  assert.equal(result.exit_code, '143');
  assert.match(result.reason ?? '', /SIGTERM/);
  assert.ok(!isRunning(sleeper), `the job's sleep (${sleeper}) was stopped`);
  assert.deepEqual(markerEvents(run).slice(0, 1), ['phase run']);
  assert.equal(markerEvents(run).at(-1), 'phase teardown');
  assert.ok(!dlrunFile(run, 'output.log').includes('never printed'));
  assert.equal(readFileSync(path.join(unpackedOutputs(t, run), 'part.txt'), 'utf8'), 'part');
  assertOnlyResultsLeft(run);
});

test("the job's own limit (DLRUN_BOOT_STOP_AFTER_SECONDS) stops it: result timed_out", LONG, async (t) => {
  const run = await runBootstrap(t, {
    jobId: 'train-limit-20261206-0008-abcd',
    envVars: { DLRUN_BOOT_STOP_AFTER_SECONDS: '2', DLRUN_BOOT_STOP_REASON: 'max_runtime 2s' },
    run: 'echo "long job"\nsleep 30\necho "never printed"\n',
  });
  assert.equal(run.exitCode, 124, run.console);
  assert.deepEqual(
    { ...resultOf(run), ended_at: '' },
    { state: 'timed_out', exit_code: '124', reason: 'max_runtime 2s reached; the job was stopped', ended_at: '' },
  );
  assert.equal(markerEvents(run).at(-1), 'phase teardown');
  assert.ok(!dlrunFile(run, 'output.log').includes('never printed'));
  assertOnlyResultsLeft(run);
});

test(
  'a job Rescale runs again in the same work directory: the earlier run’s result and markers are gone',
  LONG,
  async (t) => {
    const run = await runBootstrap(t, {
      jobId: 'train-again-20261206-0011-abcd',
      beforeStart: (workDir) => {
        mkdirSync(path.join(workDir, 'dlrun'));
        writeFileSync(path.join(workDir, 'dlrun', 'result'), 'state=stopped\nexit_code=143\n');
        writeFileSync(path.join(workDir, 'dlrun', 'markers'), '1764000000.5 phase run\n');
        writeFileSync(path.join(workDir, 'dlrun', 'output.log'), 'the first run\n');
      },
      run: 'echo "the second run"\n',
    });
    assert.equal(run.exitCode, 0, run.console);
    assert.equal(resultOf(run).state, 'succeeded');
    assert.deepEqual(markerEvents(run), ['phase run', 'run-exit 0', 'phase teardown']);
    assert.ok(!dlrunFile(run, 'markers').includes('1764000000.5'));
    assert.match(dlrunFile(run, 'output.log'), /^the first run\n[\s\S]*the second run/);
  },
);

test('no workdir archive in the work directory: a failed result that says so, no job run', LONG, async (t) => {
  const run = await runBootstrap(t, { jobId: 'train-noarchive-20261206-0009-abcd', workdir: false, run: 'echo ran\n' });
  assert.equal(run.exitCode, 1, run.console);
  assert.deepEqual(
    { ...resultOf(run), ended_at: '' },
    {
      state: 'failed',
      exit_code: '',
      reason: `the workdir's archive ${WORKDIR_FILE} is not in the work directory`,
      ended_at: '',
    },
  );
  assert.ok(!dlrunFile(run, 'output.log').includes('ran\n'));
  assert.deepEqual(markerEvents(run), []);
  assertOnlyResultsLeft(run, false);
});

test('a job of two nodes runs once, on the first node, told the node count, rank 0 and this host', LONG, async (t) => {
  const run = await runBootstrap(t, {
    jobId: 'train-two-20261206-0010-abcd',
    envVars: { DLRUN_NUM_NODES: '2' },
    run: 'echo "nodes=$DLRUN_NUM_NODES rank=$DLRUN_NODE_RANK master=$DLRUN_MASTER_ADDR"\n',
  });
  assert.equal(run.exitCode, 0, run.console);
  const host = (spawnSync('hostname', { encoding: 'utf8' }).stdout ?? '').trim() || '127.0.0.1';
  assert.ok(dlrunFile(run, 'output.log').includes(`nodes=2 rank=0 master=${host}\n`), dlrunFile(run, 'output.log'));
});

test('a node count that is not one is refused at once with the reason, no job run', LONG, async (t) => {
  const run = await runBootstrap(t, {
    jobId: 'train-bad-20261206-0010-abcd',
    envVars: { DLRUN_NUM_NODES: 'two' },
    run: 'echo ran\n',
  });
  assert.equal(run.exitCode, 1, run.console);
  assert.equal(resultOf(run).reason, "DLRUN_NUM_NODES must be a whole number of nodes, not 'two'");
  assert.ok(!dlrunFile(run, 'output.log').includes('ran\n'));
  assertOnlyResultsLeft(run, false);
});

test('the command is the bootstrap with the job wrapper in it, single-quoted for any shell', () => {
  const script = renderRescaleBootstrap();
  assert.ok(!script.split('\n').includes('#@DLRUN_JOB_WRAPPER@'));
  assert.ok(script.includes(readFileSync(path.resolve('templates/bootstrap/job-wrapper.sh'), 'utf8').trim()));
  // What sh hands bash is the script, byte for byte.
  const echoed = spawnSync('sh', ['-c', rescaleCommand().replace(/^exec bash -c /, 'printf %s ')], {
    encoding: 'utf8',
  });
  assert.equal(echoed.stdout, script);
});

test('shellcheck finds nothing in the bootstrap', { skip: spawnSync('shellcheck', ['--version']).status !== 0 }, () => {
  const check = spawnSync('shellcheck', [path.resolve('templates/bootstrap/rescale-bootstrap.sh')], {
    encoding: 'utf8',
  });
  assert.equal(check.status, 0, check.stdout);
});

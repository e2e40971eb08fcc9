// The EC2 bootstrap executed for real: the user data and the bootstrap exactly as dlrun sends and stages them, run by
// bash in a temporary folder, with a loopback server for the presigned URLs and the instance metadata, and
// `shutdown` replaced through PATH.
import { asJobId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'vitest';
import { shellQuote } from '../../../adapters/ec2/ec2-shell-quote.js';
import { environmentFrom } from '../../support/env-dump.js';
import { assertMachineContract, markerEvents, resultOf, unpackedOutputs } from '../../support/ec2-bootstrap-checks.js';
import {
  bootstrapObject,
  nodeObjects,
  runUserData,
  stageLaunch,
  type LaunchOptions,
} from '../../support/ec2-bootstrap-launch.js';
import { BootstrapServer } from '../../support/ec2-bootstrap-server.js';

const SECRET = `s3cr3t-7f1c-'single' "double" $HOME \\n\nsecond line ☃`;
/** The value, and a fragment of it that any quoted or escaped copy would still hold. */
const SECRET_TEXTS = [SECRET, 's3cr3t-7f1c'];
const SECRETS_OBJECT = `export API_TOKEN=${shellQuote(SECRET)}\n`;
const LONG = { timeout: 120_000 };

/** The `DLRUN_*` variables (their names after `DLRUN_`) whose values the test of a succeeding job checks. */
const DLRUN_VARIABLES = [
  'JOB_ID',
  'BACKEND',
  'WORKDIR',
  'OUTPUT_DIR',
  'NUM_NODES',
  'NODE_RANK',
  'MASTER_ADDR',
  'MASTER_PORT',
  'GPUS_PER_NODE',
  'JOB_DIR',
];

function pick(variables: Record<string, string>, names: RegExp): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).filter(([name]) => names.test(name)));
}

async function launch(
  t: TestContext,
  options: Omit<LaunchOptions, 'secrets'>,
  prepare?: (server: BootstrapServer) => void,
) {
  const server = await BootstrapServer.start(t);
  server.privateAddress = '10.1.2.3';
  const startedAt = Date.now();
  const { userData } = stageLaunch(t, server, { secrets: SECRETS_OBJECT, ...options });
  prepare?.(server);
  const run = await runUserData(t, server, userData);
  const objects = nodeObjects(options.jobId, 0);
  const log = () => server.objects.get(objects.log)?.toString() ?? '';
  return { server, run, objects, startedAt, log };
}

test('a job that succeeds: markers, log and outputs uploaded, then the result, then the shutdown', LONG, async (t) => {
  const jobId = asJobId('train-ok-20261126-0001-abcd');
  const objects = nodeObjects(jobId, 0);
  /** A script line that waits until the test server holds `text` in the object `key`. */
  const untilServed = (key: string, text: string) =>
    `until curl -fsS "$DLRUN_TEST_SERVER/probe?path=${encodeURIComponent(key)}&text=${encodeURIComponent(text)}" ` +
    '| grep -qx yes; do sleep 0.2; done';
  const { server, run, startedAt, log } = await launch(t, {
    jobId,
    workdirFiles: { 'data/input.txt': 'the training data\n' },
    env: { EPOCHS: '10' },
    setup: 'echo "setting up"\n',
    // The job waits until the bootstrap has uploaded its log and markers while it runs: proof without timing.
    run: [
      'echo "first line of the job"',
      untilServed(objects.log, 'first line of the job'),
      untilServed(objects.markers, 'phase run'),
      'cat data/input.txt',
      'printf weights > "$DLRUN_OUTPUT_DIR/model.bin"',
      `env -0 | grep -zv '^API_TOKEN=' > "$DLRUN_OUTPUT_DIR/job.env"`,
      `printf '%s' "$API_TOKEN" | sha256sum > "$DLRUN_OUTPUT_DIR/secret.sha256"`,
      '',
    ].join('\n'),
  });
  assert.equal(run.exitCode, 0, run.console);

  const result = resultOf(server, objects.result);
  assert.deepEqual(
    { ...result, ended_at: undefined },
    { state: 'succeeded', exit_code: '0', reason: 'the job finished', ended_at: undefined },
  );
  assert.ok(Date.parse(result.ended_at!) >= startedAt - 1000, `an ISO time: ${result.ended_at}`);
  assert.deepEqual(markerEvents(server, objects.markers, startedAt), [
    'phase setup',
    'setup-exit 0',
    'phase run',
    'run-exit 0',
    'phase teardown',
  ]);
  for (const line of ['setting up', 'first line of the job', 'the training data', 'dlrun: the job finished']) {
    assert.ok(log().includes(line), `the log holds '${line}':\n${log()}`);
  }
  // The result comes last: when dlrun sees it, everything else is there.
  const order = (key: string) =>
    server.requests.map((request) => `${request.method} ${request.path}`).lastIndexOf(`PUT ${key}`);
  assert.ok(order(objects.result) > Math.max(order(objects.log), order(objects.markers), order(objects.outputs)));

  const outputs = unpackedOutputs(t, server, objects.outputs);
  assert.equal(readFileSync(path.join(outputs, 'model.bin'), 'utf8'), 'weights');
  assert.equal(
    readFileSync(path.join(outputs, 'secret.sha256'), 'utf8').split(' ')[0],
    createHash('sha256').update(SECRET).digest('hex'),
    'the job saw its secret exactly',
  );
  const seen = environmentFrom(readFileSync(path.join(outputs, 'job.env'), 'utf8'));
  const workdir = path.join(run.root, 'workdir');
  assert.equal(seen.TF_CONFIG, undefined, 'not a TensorFlow job');
  assert.deepEqual(pick(seen, new RegExp(`^(DLRUN_(${DLRUN_VARIABLES.join('|')})|EPOCHS)$`)), {
    DLRUN_JOB_ID: jobId,
    DLRUN_BACKEND: 'ec2',
    DLRUN_WORKDIR: workdir,
    DLRUN_OUTPUT_DIR: path.join(workdir, 'outputs'),
    DLRUN_NUM_NODES: '1',
    DLRUN_NODE_RANK: '0',
    DLRUN_MASTER_ADDR: '10.1.2.3',
    DLRUN_MASTER_PORT: '29500',
    DLRUN_GPUS_PER_NODE: '1',
    DLRUN_JOB_DIR: path.join(run.root, 'job'),
    EPOCHS: '10',
  });
  assertMachineContract(t, run, server, {
    timerMinutes: 91,
    secretsKey: objects.secrets,
    secrets: SECRET_TEXTS,
    outputsKey: objects.outputs,
  });
});

test(
  'a job that fails (exit 3): its status in the result, markers up to the failure, the outputs still uploaded',
  LONG,
  async (t) => {
    const { server, run, objects, startedAt, log } = await launch(t, {
      jobId: asJobId('train-fail-20261126-0002-abcd'),
      run: 'echo "about to fail"\nexit 3\n',
    });
    assert.deepEqual(
      { ...resultOf(server, objects.result), ended_at: '' },
      { state: 'failed', exit_code: '3', reason: 'the job exited with status 3', ended_at: '' },
    );
    assert.deepEqual(markerEvents(server, objects.markers, startedAt), ['phase run', 'run-exit 3', 'phase teardown']);
    assert.ok(log().includes('about to fail'), log());
    unpackedOutputs(t, server, objects.outputs);
    assertMachineContract(t, run, server, {
      timerMinutes: 91,
      secretsKey: objects.secrets,
      secrets: SECRET_TEXTS,
      outputsKey: objects.outputs,
    });
  },
);

test('a failing setup: run never starts, and the result says it was setup', LONG, async (t) => {
  const { server, run, objects, startedAt, log } = await launch(t, {
    jobId: asJobId('train-setup-20261126-0003-abcd'),
    setup: 'echo "installing"\nfalse\necho "never printed"\n',
    run: 'echo "never run"\n',
  });
  assert.deepEqual(
    { ...resultOf(server, objects.result), ended_at: '' },
    { state: 'failed', exit_code: '1', reason: 'setup exited with status 1', ended_at: '' },
  );
  assert.deepEqual(markerEvents(server, objects.markers, startedAt), ['phase setup', 'setup-exit 1', 'phase teardown']);
  assert.ok(log().includes('installing') && !log().includes('never'), log());
  assertMachineContract(t, run, server, {
    timerMinutes: 91,
    secretsKey: objects.secrets,
    secrets: SECRET_TEXTS,
    outputsKey: objects.outputs,
  });
});

// The limit counts from the stub's start; on loopback the job starts a small fraction of those 2 seconds in.
test(
  'a job past its limit (stopAfterSeconds 2, sleep 300) is stopped, says why, and the machine still shuts down',
  LONG,
  async (t) => {
    const { server, run, objects, startedAt, log } = await launch(t, {
      jobId: asJobId('train-slow-20261126-0004-abcd'),
      run: 'echo "started"\nsleep 300\necho "never printed"\n',
      stopAfterSeconds: 2,
      stopReason: 'max_runtime 2s',
      shutdownAfterMinutes: 1,
    });
    assert.deepEqual(
      { ...resultOf(server, objects.result), ended_at: '' },
      { state: 'timed_out', exit_code: '124', reason: 'max_runtime 2s reached; the job was stopped', ended_at: '' },
    );
    assert.deepEqual(markerEvents(server, objects.markers, startedAt), ['phase run', 'phase teardown']);
    assert.ok(log().includes('started') && !log().includes('never printed'), log());
    assertMachineContract(t, run, server, {
      timerMinutes: 1,
      secretsKey: objects.secrets,
      secrets: SECRET_TEXTS,
      outputsKey: objects.outputs,
    });
  },
);

test('a workdir URL answering 403: a result with the reason, no job, and still the shutdown', LONG, async (t) => {
  const jobId = asJobId('train-denied-20261126-0005-abcd');
  const { server, run, objects, log } = await launch(t, { jobId, run: 'echo "never run"\n' }, (stand) =>
    stand.forbidden.add(`/bucket/jobs/${jobId}/workdir.tar.gz`),
  );
  assert.notEqual(run.exitCode, 0);
  assert.deepEqual(
    { ...resultOf(server, objects.result), ended_at: '' },
    { state: 'failed', exit_code: '', reason: 'could not download the workdir (HTTP 403)', ended_at: '' },
  );
  assert.ok(log().includes('could not download the workdir (HTTP 403)'), log());
  assert.equal(server.objects.has(objects.markers), false, 'the job never started');
  assert.equal(server.objects.has(objects.outputs), false);
  assertMachineContract(t, run, server, { timerMinutes: 91, secretsKey: objects.secrets, secrets: SECRET_TEXTS });
});

test('a secrets URL answering 403: a result with the reason, and the workdir never fetched', LONG, async (t) => {
  const jobId = asJobId('train-nosecret-20261126-0006-abcd');
  const { server, run, objects } = await launch(t, { jobId, run: 'echo "never run"\n' }, (stand) =>
    stand.forbidden.add(nodeObjects(jobId, 0).secrets),
  );
  assert.deepEqual(
    { ...resultOf(server, objects.result), ended_at: '' },
    { state: 'failed', exit_code: '', reason: "could not fetch the job's secrets (HTTP 403)", ended_at: '' },
  );
  assert.equal(server.to(`/bucket/jobs/${jobId}/workdir.tar.gz`).length, 0);
  assertMachineContract(t, run, server, { timerMinutes: 91, secrets: SECRET_TEXTS });
});

test(
  'a bootstrap that cannot be fetched (403: its boot window is over): ' +
    'the stub asks once, still shuts the machine down, and says why',
  LONG,
  async (t) => {
    const jobId = asJobId('train-nobootstrap-20261126-0007-abcd');
    const { server, run, objects } = await launch(
      t,
      { jobId, run: 'echo "never run"\n', shutdownAfterMinutes: null },
      (stand) => stand.forbidden.add(bootstrapObject(jobId, 0)),
    );
    assert.equal(run.exitCode, 1);
    assert.equal(server.to(bootstrapObject(jobId, 0), 'GET').length, 1, 'an expired URL is not asked again');
    assert.ok(run.console.includes(`could not fetch the bootstrap of job ${jobId}`), run.console);
    assert.equal(server.objects.has(objects.result), false);
    assertMachineContract(t, run, server, { timerMinutes: null });
  },
);

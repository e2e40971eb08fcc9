// Which node the bootstrap is, and what the job is told: run for real, as in ec2-bootstrap-run.test.ts.
import { asJobId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { dlrunVariables } from '../../../src/backend/job-environment.js';
import { environmentFrom } from '../../support/env-dump.js';
import { assertMachineContract, resultOf, unpackedOutputs } from '../../support/ec2-bootstrap-checks.js';
import { bootstrapObject, nodeObjects, runUserData, stageLaunch } from '../../support/ec2-bootstrap-launch.js';
import { BootstrapServer } from '../../support/ec2-bootstrap-server.js';

const LONG = { timeout: 120_000 };
/** Prints what the job was told into the log (a worker node has no outputs to carry it). */
const PRINT_PLACEMENT = `env | grep -E '^(DLRUN_(NUM_NODES|NODE_RANK|MASTER_ADDR|MASTER_PORT)|TF_CONFIG)=' | sort\n`;

function placementIn(log: string): Record<string, string> {
  const lines = log.split('\n').filter((line) => /^(DLRUN_|TF_CONFIG=)/.test(line));
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

test(
  'a worker launch (firstRank 1) at launch index 2 fetches and deletes the bootstrap of rank 3 only, ' +
    "uses its own URLs, and is told node 0's address",
  LONG,
  async (t) => {
    const jobId = asJobId('ddp-20261126-0010-abcd');
    const server = await BootstrapServer.start(t);
    server.launchIndex = 2;
    server.privateAddress = '10.0.0.13';
    const { userData } = stageLaunch(t, server, {
      jobId,
      nodes: 4,
      firstRank: 1,
      launchSize: 3,
      masterAddress: '10.0.0.1',
      run: PRINT_PLACEMENT,
    });
    const run = await runUserData(t, server, userData);
    const mine = nodeObjects(jobId, 3);
    assert.equal(resultOf(server, mine.result).state, 'succeeded', run.console);
    assert.deepEqual(placementIn(server.objects.get(mine.log)!.toString()), {
      DLRUN_NUM_NODES: '4',
      DLRUN_NODE_RANK: '3',
      DLRUN_MASTER_ADDR: '10.0.0.1',
      DLRUN_MASTER_PORT: '29500',
    });
    const touched = new Set(
      server.requests
        .filter((request) => request.path.includes('/nodes/'))
        .map((request) => request.path.split('/nodes/')[1]!.split('/')[0]),
    );
    assert.deepEqual([...touched], ['3'], "no other node's objects were touched");
    assert.equal(server.objects.has(mine.outputs), false, 'a worker has no outputs URL');
    assert.equal(server.objects.has(bootstrapObject(jobId, 3)), false, 'its own bootstrap was deleted');
    assert.ok(
      server.objects.has(bootstrapObject(jobId, 1)) && server.objects.has(bootstrapObject(jobId, 2)),
      "its siblings' bootstraps are theirs to fetch and delete",
    );
    assert.equal(
      server.requests.filter(
        (request) => request.path === bootstrapObject(jobId, 1) || request.path === bootstrapObject(jobId, 2),
      ).length,
      0,
    );
    assertMachineContract(t, run, server, { timerMinutes: 91 });
  },
);

test(
  'a worker whose launch index cannot be read fetches no bootstrap, says why, and still shuts down',
  LONG,
  async (t) => {
    const jobId = asJobId('ddp-20261126-0013-abcd');
    const server = await BootstrapServer.start(t);
    // An index past the launch: the metadata says something this launch cannot mean.
    server.launchIndex = 5;
    const { userData } = stageLaunch(t, server, {
      jobId,
      nodes: 3,
      firstRank: 1,
      launchSize: 2,
      masterAddress: '10.0.0.1',
      run: 'echo never\n',
    });
    const run = await runUserData(t, server, userData);
    assert.equal(run.exitCode, 1);
    assert.match(run.console, /could not read this machine's launch index from the instance metadata \(got '5'\)/);
    assert.equal(
      server.requests.filter((request) => request.path.includes('/bootstrap-node-')).length,
      0,
      'no bootstrap fetched',
    );
    assertMachineContract(t, run, server, { timerMinutes: 91 });
  },
);

test(
  'TensorFlow on 3 nodes: each node publishes its address and waits for the others, ' +
    "and TF_CONFIG is the other backends' text",
  LONG,
  async (t) => {
    const jobId = asJobId('tf-20261126-0011-abcd');
    const server = await BootstrapServer.start(t);
    server.launchIndex = 0;
    server.privateAddress = '10.0.0.11';
    // Rank 2 publishes its address only after this node first looked for it: the wait is exercised, not timed.
    server.late.set(nodeObjects(jobId, 2).address, Buffer.from('10.0.0.12'));
    const { userData } = stageLaunch(t, server, {
      jobId,
      nodes: 3,
      firstRank: 1,
      launchSize: 2,
      masterAddress: '10.0.0.1',
      tensorflow: true,
      run: PRINT_PLACEMENT,
    });
    const run = await runUserData(t, server, userData);
    const mine = nodeObjects(jobId, 1);
    assert.equal(resultOf(server, mine.result).state, 'succeeded', run.console);
    assert.equal(server.objects.get(mine.address)?.toString(), '10.0.0.11', 'this node published its address');
    assert.ok(server.to(nodeObjects(jobId, 2).address, 'GET').length >= 2, 'it asked again until rank 2 had published');
    assert.equal(server.to(nodeObjects(jobId, 0).address).length, 0, "node 0's address was known already");
    const expected = dlrunVariables({
      jobId,
      backend: 'ec2',
      workdir: '',
      outputDir: '',
      nodes: 3,
      rank: 1,
      masterAddress: '10.0.0.1',
      gpusPerNode: 1,
      framework: { name: 'tensorflow', version: '2.15.0' },
      nodeAddresses: ['10.0.0.1', '10.0.0.11', '10.0.0.12'],
    });
    assert.equal(placementIn(server.objects.get(mine.log)!.toString()).TF_CONFIG, expected.TF_CONFIG);
    assertMachineContract(t, run, server, { timerMinutes: 91 });
  },
);

const AS_WRITTEN = {
  EPOCHS: '10',
  EMPTY: '',
  SPACED: '  two  spaces  ',
  QUOTES: "it's \"quoted\" ''\\'",
  DOLLAR: '$HOME and ${USER} and $(whoami) and `id`',
  UNICODE: 'naïve ☃ 𝔘',
  MULTI: 'line one\nline two\n',
  CARRIAGE: 'a\r\nb',
  // A job's own PATH, and names the bootstrap uses for itself, reach the job and change nothing in how it is run.
  PATH: `/opt/job/bin:${process.env.PATH ?? '/usr/bin:/bin'}`,
  root: '/nowhere',
  job_command: 'false',
};

test(
  'node 0 of a single-node TensorFlow job: env: exactly as written, its own address as master, TF_CONFIG',
  LONG,
  async (t) => {
    const jobId = asJobId('env-20261126-0012-abcd');
    const server = await BootstrapServer.start(t);
    server.privateAddress = '172.31.5.6';
    const { userData } = stageLaunch(t, server, {
      jobId,
      tensorflow: true,
      env: AS_WRITTEN,
      setup: 'env -0 > "$DLRUN_OUTPUT_DIR/setup.env"\n',
      run: 'env -0 > "$DLRUN_OUTPUT_DIR/run.env"\npwd > "$DLRUN_OUTPUT_DIR/pwd"\numask > "$DLRUN_OUTPUT_DIR/umask"\n',
    });
    const run = await runUserData(t, server, userData);
    const objects = nodeObjects(jobId, 0);
    assert.equal(resultOf(server, objects.result).state, 'succeeded', run.console);
    const outputs = unpackedOutputs(t, server, objects.outputs);
    const workdir = path.join(run.root, 'workdir');
    const expected = {
      ...AS_WRITTEN,
      ...dlrunVariables({
        jobId,
        backend: 'ec2',
        workdir,
        outputDir: path.join(workdir, 'outputs'),
        nodes: 1,
        rank: 0,
        masterAddress: '172.31.5.6',
        gpusPerNode: 1,
        framework: { name: 'tensorflow', version: '2.15.0' },
        nodeAddresses: ['172.31.5.6'],
      }),
    };
    for (const script of ['setup', 'run']) {
      const seen = environmentFrom(readFileSync(path.join(outputs, `${script}.env`), 'utf8'));
      for (const [name, value] of Object.entries(expected)) assert.equal(seen[name], value, `${script} saw ${name}`);
    }
    assert.equal(readFileSync(path.join(outputs, 'pwd'), 'utf8'), `${workdir}\n`);
    assert.equal(
      readFileSync(path.join(outputs, 'umask'), 'utf8'),
      '0022\n',
      "the job runs with the usual umask, not the bootstrap's",
    );
    assertMachineContract(t, run, server, { timerMinutes: 91, outputsKey: objects.outputs });
  },
);

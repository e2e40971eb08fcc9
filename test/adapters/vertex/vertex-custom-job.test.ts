import assert from 'node:assert/strict';
import { test } from 'vitest';
import { asJobId, asLedgerId } from '../../../src/backend/job-id.js';
import {
  customJobBody,
  describeCustomJob,
  displayNameOf,
  durationOf,
  labelValue,
  type CustomJobInput,
} from '../../../adapters/vertex/vertex-custom-job.js';

const IMAGE = 'us-docker.pkg.dev/vertex-ai/training/pytorch-gpu.2-4.py310:latest';
const COMMAND = ['bash', '-c', 'echo hi'];

function input(extra: Partial<CustomJobInput> = {}): CustomJobInput {
  return {
    jobId: asJobId('mnist-20261126-0512-a7f3'),
    ledgerId: asLedgerId('0123456789abcdef'),
    name: 'mnist',
    machine: { machineType: 'n1-standard-4' },
    nodes: 1,
    imageUri: IMAGE,
    command: COMMAND,
    env: [{ name: 'DLRUN_JOB_ID', value: 'mnist-20261126-0512-a7f3' }],
    stopAfterSeconds: 7200,
    spot: false,
    baseOutputDirectory: 'gs://bucket/dlrun/jobs/mnist-20261126-0512-a7f3/outputs',
    ...extra,
  };
}

const LABELS = { 'dlrun-job-id': 'mnist-20261126-0512-a7f3', 'dlrun-ledger': '0123456789abcdef' };
const CONTAINER = {
  imageUri: IMAGE,
  command: COMMAND,
  env: [{ name: 'DLRUN_JOB_ID', value: 'mnist-20261126-0512-a7f3' }],
};
const DISK = { bootDiskType: 'pd-ssd', bootDiskSizeGb: 100 };
const OUTPUTS = { outputUriPrefix: 'gs://bucket/dlrun/jobs/mnist-20261126-0512-a7f3/outputs' };

test('one CPU node: one pool of one replica, a timeout, no strategy (on-demand is the default)', () => {
  assert.deepEqual(customJobBody(input()), {
    displayName: 'mnist',
    labels: LABELS,
    jobSpec: {
      workerPoolSpecs: [
        { machineSpec: { machineType: 'n1-standard-4' }, replicaCount: '1', diskSpec: DISK, containerSpec: CONTAINER },
      ],
      scheduling: { timeout: '7200s' },
      baseOutputDirectory: OUTPUTS,
    },
  });
});

test('one T4: the accelerator on the machine, its count a number', () => {
  const body = customJobBody(
    input({ machine: { machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1 } }),
  );
  assert.deepEqual(body, {
    displayName: 'mnist',
    labels: LABELS,
    jobSpec: {
      workerPoolSpecs: [
        {
          machineSpec: { machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1 },
          replicaCount: '1',
          diskSpec: DISK,
          containerSpec: CONTAINER,
        },
      ],
      scheduling: { timeout: '7200s' },
      baseOutputDirectory: OUTPUTS,
    },
  });
});

test('two nodes: the chief alone in pool 0, the other node in pool 1, both the same', () => {
  const machine = { machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 2 };
  const body = customJobBody(input({ nodes: 2, machine, serviceAccount: 'trainer@proj.iam.gserviceaccount.com' }));
  const pool = (replicaCount: string) => ({
    machineSpec: machine,
    replicaCount,
    diskSpec: DISK,
    containerSpec: CONTAINER,
  });
  assert.deepEqual(body, {
    displayName: 'mnist',
    labels: LABELS,
    jobSpec: {
      workerPoolSpecs: [pool('1'), pool('1')],
      scheduling: { timeout: '7200s' },
      serviceAccount: 'trainer@proj.iam.gserviceaccount.com',
      baseOutputDirectory: OUTPUTS,
    },
  });
  assert.equal(customJobBody(input({ nodes: 5 })).jobSpec.workerPoolSpecs[1]!.replicaCount, '4');
});

test('spot: strategy SPOT; no limit: no timeout; a disk size: rounded up GB', () => {
  assert.deepEqual(customJobBody(input({ spot: true, stopAfterSeconds: 90.2 })).jobSpec.scheduling, {
    timeout: '91s',
    strategy: 'SPOT',
  });
  assert.deepEqual(customJobBody(input({ spot: true, stopAfterSeconds: null })).jobSpec.scheduling, {
    strategy: 'SPOT',
  });
  const unlimited = customJobBody(input({ stopAfterSeconds: null, bootDiskGb: 199.5 }));
  assert.equal('scheduling' in unlimited.jobSpec, false);
  assert.deepEqual(unlimited.jobSpec.workerPoolSpecs[0]!.diskSpec, { bootDiskType: 'pd-ssd', bootDiskSizeGb: 200 });
});

test('an accelerator type without a count is left out (a machine with built-in GPUs)', () => {
  const body = customJobBody(
    input({ machine: { machineType: 'a2-highgpu-1g', acceleratorType: 'NVIDIA_TESLA_A100' } }),
  );
  assert.deepEqual(body.jobSpec.workerPoolSpecs[0]!.machineSpec, { machineType: 'a2-highgpu-1g' });
});

test('long names: at most 128 characters, never a split character; empty: the job id', () => {
  const long = 'n'.repeat(200);
  assert.equal(customJobBody(input({ name: long })).displayName, 'n'.repeat(128));
  const emoji = `${'é'.repeat(127)}😀😀`;
  assert.equal(displayNameOf(emoji, asJobId('x')), `${'é'.repeat(127)}😀`);
  assert.equal(displayNameOf('  ', asJobId('job-1')), 'job-1');
});

test('label values: dlrun ids verbatim; anything else a 62-character hash that no verbatim value can equal', () => {
  assert.equal(labelValue('mnist-20261126-0512-a7f3'), 'mnist-20261126-0512-a7f3');
  assert.equal(labelValue('0123456789abcdef'), '0123456789abcdef');
  const upper = labelValue('Mnist-1');
  assert.match(upper, /^h_[0-9a-f]{60}$/);
  assert.equal(upper, labelValue('Mnist-1'));
  assert.notEqual(upper, labelValue('mnist-1'));
  assert.notEqual(labelValue('a'.repeat(64)), labelValue(`${'a'.repeat(63)}b`));
  for (const id of ['a'.repeat(64), 'x y', '', 'ü']) assert.match(labelValue(id), /^[a-z0-9_-]{1,63}$/);
});

test('bad inputs are refused before anything is sent', () => {
  assert.throws(() => customJobBody(input({ nodes: 0 })), /nodes must be 1 or more/);
  assert.throws(() => customJobBody(input({ command: [] })), /needs a command/);
  assert.throws(() => durationOf(0), /must be positive/);
});

test('the dry-run description names the machine, nodes, image, limit and outputs', () => {
  const body = customJobBody(
    input({
      nodes: 2,
      spot: true,
      machine: { machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1 },
    }),
  );
  assert.equal(
    describeCustomJob(body),
    [
      'Vertex AI custom job "mnist"',
      '  2 nodes of n1-standard-8 + 1x NVIDIA_TESLA_T4, 100 GB pd-ssd boot disk, spot',
      `  image ${IMAGE}`,
      '  stopped by Vertex after 7200s',
      `  outputs under ${OUTPUTS.outputUriPrefix}`,
    ].join('\n'),
  );
  assert.match(describeCustomJob(customJobBody(input({ stopAfterSeconds: null }))), /7 days \(Vertex's default\)/);
});

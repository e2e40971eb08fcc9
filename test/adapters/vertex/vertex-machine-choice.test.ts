import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  describeVertexMachine,
  smallestVertexMachine,
  vertexMachineCandidates,
  vertexMachineRequest,
  vertexMachineSpec,
} from '../../../adapters/vertex/vertex-machine-choice.js';
import { DlrunError } from '../../../src/base/errors.js';
import { jobOf, MINIMAL } from '../../support/job-text.js';

const requestOf = (yaml: string) => vertexMachineRequest(jobOf(`${MINIMAL}${yaml}`));
const chosen = (yaml: string) => describeVertexMachine(smallestVertexMachine(requestOf(yaml)));

function refused(yaml: string, message: RegExp): void {
  assert.throws(
    () => vertexMachineCandidates(requestOf(yaml)),
    (error: unknown) => {
      assert.ok(error instanceof DlrunError, String(error));
      assert.equal(error.audience, 'user', 'a user-facing error, not a crash');
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('the machine dlrun derives from resources for a Vertex AI worker pool', () => {
  test('typical requests: attached GPUs on n1, built-in ones on a2/g2/a3, CPU only on the smallest machine', () => {
    const cases: [string, string][] = [
      ['resources:\n  gpu: T4\n', 'n1-standard-1 + 1 x NVIDIA_TESLA_T4'],
      ['resources:\n  gpu: V100:4\n', 'n1-standard-1 + 4 x NVIDIA_TESLA_V100'],
      ['resources:\n  gpu: A100\n', 'a2-highgpu-1g + 1 x NVIDIA_TESLA_A100'],
      ['resources:\n  gpu: A100:8\n', 'a2-highgpu-8g + 8 x NVIDIA_TESLA_A100'],
      ['resources:\n  gpu: A100-80GB:2\n', 'a2-ultragpu-2g + 2 x NVIDIA_A100_80GB'],
      ['resources:\n  gpu: L4\n', 'g2-standard-4 + 1 x NVIDIA_L4'],
      ['resources:\n  gpu: L4:2\n', 'g2-standard-24 + 2 x NVIDIA_L4'],
      ['resources:\n  gpu: H100:8\n', 'a3-highgpu-8g + 8 x NVIDIA_H100_80GB'],
      ['', 'n1-standard-1'],
      ['resources:\n  nodes: 2\n', 'n1-standard-1'],
      ['resources:\n  gpu: T4\n  nodes: 2\n', 'n1-standard-1 + 1 x NVIDIA_TESLA_T4'],
    ];
    for (const [yaml, machine] of cases) assert.equal(chosen(yaml), machine, yaml || 'no resources');
  });

  test('vCPUs and memory per node, within the n1 limits for each attached GPU count', () => {
    assert.equal(chosen('resources:\n  cpus: 8\n  memory: 64GB\n'), 'e2-highmem-8');
    // A T4 or two allow 48 vCPUs; 64 need the four-T4 limit.
    assert.equal(chosen('resources:\n  gpu: T4\n  cpus: 64\n'), 'n1-highcpu-64 + 4 x NVIDIA_TESLA_T4');
    // One V100 allows 78 GiB, two allow 156 GiB and 24 vCPUs.
    assert.equal(chosen('resources:\n  gpu: V100\n  memory: 100GB\n'), 'n1-highmem-16 + 2 x NVIDIA_TESLA_V100');
  });

  test('the machine and accelerator backends.vertex names win over the smallest', () => {
    const named = (options: string, resources = '') =>
      chosen(`backends:\n  vertex:\n${options}${resources ? `resources:\n${resources}` : ''}`);
    assert.equal(named('    machine_type: n1-standard-8\n', '  gpu: T4\n'), 'n1-standard-8 + 1 x NVIDIA_TESLA_T4');
    assert.equal(named('    accelerator_type: NVIDIA_TESLA_V100\n'), 'n1-standard-1 + 1 x NVIDIA_TESLA_V100');
    assert.equal(named('    machine_type: a2-highgpu-1g\n'), 'a2-highgpu-1g + 1 x NVIDIA_TESLA_A100');
    assert.equal(named('    machine_type: n1-highmem-2\n'), 'n1-highmem-2');
  });

  test("the worker pool's machineSpec, and a choice resting on an unconfirmed series is marked", () => {
    assert.deepEqual(vertexMachineSpec(smallestVertexMachine(requestOf('resources:\n  gpu: T4\n'))), {
      machineType: 'n1-standard-1',
      acceleratorType: 'NVIDIA_TESLA_T4',
      acceleratorCount: 1,
    });
    assert.deepEqual(vertexMachineSpec(smallestVertexMachine(requestOf(''))), { machineType: 'n1-standard-1' });
    assert.equal(smallestVertexMachine(requestOf('')).unconfirmed, false);
    const n2 = vertexMachineCandidates(requestOf('')).find((choice) => choice.machine.family === 'n2');
    assert.equal(n2?.unconfirmed, true, 'whether plain custom jobs take n2 is unconfirmed');
  });

  test('a request no machine meets, or a name the catalogs lack, is a clear user error', () => {
    refused('resources:\n  gpu: K520\n', /^Vertex AI has no accelerator with a K520 GPU$/);
    refused('resources:\n  gpu: K80\n', /^Vertex AI no longer offers the K80/);
    refused('resources:\n  gpu: T4:8\n', /^no Vertex AI machine type custom training takes has 8 T4 GPUs$/);
    refused('resources:\n  gpu: NoSuchGpu\n', /^dlrun knows no GPU named 'NOSUCHGPU'$/);
    refused('backends:\n  vertex:\n    machine_type: n1-standard-5\n', /no Vertex AI machine type 'n1-standard-5'/);
    refused('backends:\n  vertex:\n    accelerator_type: NVIDIA_TESLA_T5\n', /accelerator type 'NVIDIA_TESLA_T5'/);
    refused(
      'backends:\n  vertex:\n    machine_type: a2-highgpu-1g\nresources:\n  gpu: T4\n',
      /^backends\.vertex\.machine_type a2-highgpu-1g cannot give 1 T4 GPU$/,
    );
  });
});

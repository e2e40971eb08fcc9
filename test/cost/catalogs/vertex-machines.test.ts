import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  closeVertexAccelerators,
  closeVertexMachineTypes,
  findVertexAccelerator,
  findVertexMachineFamily,
  findVertexMachineType,
  suggestVertexAccelerator,
  suggestVertexMachineType,
  VERTEX_ACCELERATORS,
  VERTEX_MACHINE_TYPES,
  vertexAcceleratorsForGpu,
} from '../../../src/cost/catalogs/vertex-machines.js';

describe('the Vertex catalog', () => {
  test('machine types of every series the brief names', () => {
    for (const name of [
      'n1-standard-4',
      'n1-highmem-8',
      'n1-highcpu-16',
      'n2-standard-8',
      'e2-standard-4',
      'a2-highgpu-1g',
      'a2-megagpu-16g',
      'a2-ultragpu-8g',
      'a3-highgpu-8g',
      'a3-megagpu-8g',
      'g2-standard-4',
    ]) {
      assert.ok(findVertexMachineType(name), name);
    }
    assert.deepEqual(
      [findVertexMachineType('n1-standard-4')?.vcpus, findVertexMachineType('n1-standard-4')?.memory_gib],
      [4, 15],
    );
  });

  test('every machine type belongs to a series row and names its series', () => {
    for (const type of VERTEX_MACHINE_TYPES) {
      assert.equal(type.name.split('-')[0], type.family, type.name);
      assert.ok(findVertexMachineFamily(type.name), type.name);
      assert.equal(
        type.built_in_gpus !== undefined,
        findVertexMachineFamily(type.name)!.gpus === 'built-in',
        type.name,
      );
    }
  });

  test('accelerator-optimized names carry their GPU count, except g2', () => {
    for (const type of VERTEX_MACHINE_TYPES) {
      const count = /-(\d+)g$/.exec(type.name)?.[1];
      if (type.family !== 'g2' && count !== undefined)
        assert.equal(type.built_in_gpus?.count, Number(count), type.name);
    }
  });

  test('built-in GPUs name a listed accelerator of the same series, in one of its allowed counts', () => {
    for (const type of VERTEX_MACHINE_TYPES) {
      if (!type.built_in_gpus) continue;
      const accelerator = findVertexAccelerator(type.built_in_gpus.accelerator);
      assert.ok(accelerator, `${type.name}: ${type.built_in_gpus.accelerator}`);
      assert.ok(accelerator.built_in, type.name);
      assert.ok(accelerator.machine_families.includes(type.family), type.name);
      assert.ok(
        accelerator.counts?.includes(type.built_in_gpus.count),
        `${type.name}: count ${type.built_in_gpus.count}`,
      );
    }
  });

  test('each built-in accelerator count is sold as some machine type', () => {
    for (const accelerator of VERTEX_ACCELERATORS.filter((row) => row.built_in && row.counts)) {
      for (const count of accelerator.counts!) {
        assert.ok(
          VERTEX_MACHINE_TYPES.some(
            (type) => type.built_in_gpus?.accelerator === accelerator.name && type.built_in_gpus.count === count,
          ),
          `${accelerator.name} x${count}`,
        );
      }
    }
  });

  test('the family rule: T4/P4/V100/P100 -> n1, A100 -> a2, L4 -> g2, H100 -> a3', () => {
    const rule: [string, string][] = [
      ['NVIDIA_TESLA_T4', 'n1'],
      ['NVIDIA_TESLA_P4', 'n1'],
      ['NVIDIA_TESLA_V100', 'n1'],
      ['NVIDIA_TESLA_P100', 'n1'],
      ['NVIDIA_TESLA_A100', 'a2'],
      ['NVIDIA_A100_80GB', 'a2'],
      ['NVIDIA_L4', 'g2'],
      ['NVIDIA_H100_80GB', 'a3'],
      ['NVIDIA_H100_MEGA_80GB', 'a3'],
    ];
    for (const [name, family] of rule) assert.deepEqual(findVertexAccelerator(name)?.machine_families, [family], name);
  });

  test('attached accelerators list their counts and n1 limits per count', () => {
    for (const accelerator of VERTEX_ACCELERATORS.filter((row) => !row.built_in)) {
      assert.deepEqual(
        accelerator.attach_limits?.map((limit) => limit.count),
        accelerator.counts,
        accelerator.name,
      );
    }
    assert.deepEqual(findVertexAccelerator('NVIDIA_TESLA_T4')?.counts, [1, 2, 4]);
  });

  test('the K80 is marked deprecated, and only the K80', () => {
    assert.ok(findVertexAccelerator('NVIDIA_TESLA_K80')?.deprecated);
    assert.deepEqual(
      VERTEX_ACCELERATORS.filter((row) => row.deprecated).map((row) => row.name),
      ['NVIDIA_TESLA_K80'],
    );
  });

  test('every enum value the brief names is listed', () => {
    for (const name of [
      'NVIDIA_TESLA_K80',
      'NVIDIA_TESLA_P100',
      'NVIDIA_TESLA_V100',
      'NVIDIA_TESLA_P4',
      'NVIDIA_TESLA_T4',
      'NVIDIA_TESLA_A100',
      'NVIDIA_A100_80GB',
      'NVIDIA_L4',
      'NVIDIA_H100_80GB',
      'NVIDIA_H100_MEGA_80GB',
      'NVIDIA_H200_141GB',
      'NVIDIA_B200',
    ]) {
      assert.ok(findVertexAccelerator(name), name);
    }
  });
});

describe('Vertex lookups', () => {
  test('exact names', () => {
    assert.equal(findVertexMachineType('a2-highgpu-1g')?.built_in_gpus?.accelerator, 'NVIDIA_TESLA_A100');
    assert.equal(findVertexAccelerator('nvidia_tesla_t4'), undefined);
  });
  test('NVIDIA_TESLA_T5 -> NVIDIA_TESLA_T4', () => {
    assert.equal(suggestVertexAccelerator('NVIDIA_TESLA_T5'), 'NVIDIA_TESLA_T4');
    assert.equal(closeVertexAccelerators('NVIDIA_TESLA_T5')[0], 'NVIDIA_TESLA_T4');
  });
  test('nvidia_tesla_t4 (lower case) -> NVIDIA_TESLA_T4', () =>
    assert.equal(suggestVertexAccelerator('nvidia_tesla_t4'), 'NVIDIA_TESLA_T4'));
  test('n1-standard-5: no single suggestion, the equally near sizes as close names', () => {
    assert.equal(findVertexMachineType('n1-standard-5'), undefined);
    assert.equal(suggestVertexMachineType('n1-standard-5'), undefined);
    assert.deepEqual(closeVertexMachineTypes('n1-standard-5'), ['n1-standard-1', 'n1-standard-2', 'n1-standard-4']);
  });
  test('a dropped letter: a2-highgpu-1 -> a2-highgpu-1g', () =>
    assert.equal(suggestVertexMachineType('a2-highgpu-1'), 'a2-highgpu-1g'));
  test('accelerators for a GPU model', () => {
    assert.deepEqual(
      vertexAcceleratorsForGpu('t4').map((row) => row.name),
      ['NVIDIA_TESLA_T4'],
    );
    assert.deepEqual(
      vertexAcceleratorsForGpu('H100').map((row) => row.name),
      ['NVIDIA_H100_80GB', 'NVIDIA_H100_MEGA_80GB'],
    );
    assert.deepEqual(vertexAcceleratorsForGpu('A10G'), []);
  });
});

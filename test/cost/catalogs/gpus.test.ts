import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  closeGpuNames,
  findGpu,
  GPU_ARCHITECTURES,
  GPUS,
  normaliseGpuName,
  suggestGpu,
} from '../../../src/cost/catalogs/gpus.js';
import { parseGpu } from '../../../src/spec/units/gpu.js';

describe('the GPU catalog', () => {
  test('holds the models the brief names, with the capabilities NVIDIA lists', () => {
    const expected: [string, number][] = [
      ['K520', 3.0],
      ['K80', 3.7],
      ['M60', 5.2],
      ['P4', 6.1],
      ['P100', 6.0],
      ['V100', 7.0],
      ['T4', 7.5],
      ['A10G', 8.6],
      ['A10', 8.6],
      ['A100', 8.0],
      ['A100-80GB', 8.0],
      ['L4', 8.9],
      ['L40S', 8.9],
      ['H100', 9.0],
      ['H200', 9.0],
      ['B200', 10.0],
    ];
    for (const [name, capability] of expected) assert.equal(findGpu(name)?.compute_capability, capability, name);
  });

  test('memory per GPU for the common models', () => {
    assert.equal(findGpu('T4')?.memory_gib, 16);
    assert.equal(findGpu('A100')?.memory_gib, 40);
    assert.equal(findGpu('A100-80GB')?.memory_gib, 80);
    assert.equal(findGpu('K80')?.memory_gib, 12);
  });

  test('names are what a job file can write: parseGpu accepts each and gives it back unchanged', () => {
    for (const gpu of GPUS) {
      const parsed = parseGpu(gpu.name);
      assert.ok(parsed.ok, gpu.name);
      assert.equal(parsed.gpu.model, gpu.name);
    }
  });

  test('names and aliases are normalised and unique across models', () => {
    const all = GPUS.flatMap((gpu) => [gpu.name, ...gpu.aliases]);
    for (const name of all) assert.equal(normaliseGpuName(name), name, `${name} is not in normal form`);
    assert.deepEqual(
      all.filter((name, index) => all.indexOf(name) !== index),
      [],
    );
  });

  test('architecture generations follow capability order', () => {
    const sorted = [...GPUS].sort((a, b) => a.compute_capability - b.compute_capability);
    for (let index = 1; index < sorted.length; index++) {
      const previous = GPU_ARCHITECTURES.indexOf(sorted[index - 1]!.architecture);
      assert.ok(GPU_ARCHITECTURES.indexOf(sorted[index]!.architecture) >= previous, sorted[index]!.name);
    }
  });
});

describe('findGpu', () => {
  const cases: [string, string][] = [
    ['t4', 'T4'],
    ['T4', 'T4'],
    ['NVIDIA_TESLA_T4', 'T4'],
    ['Tesla T4', 'T4'],
    ['nvidia_tesla_k80', 'K80'],
    ['GRID K520', 'K520'],
    ['a100-80gb', 'A100-80GB'],
    ['NVIDIA_A100_80GB', 'A100-80GB'],
    ['A100-SXM4-40GB', 'A100'],
    ['NVIDIA_TESLA_A100', 'A100'],
    ['Tesla V100-SXM2-32GB', 'V100-32GB'],
    ['NVIDIA H100 80GB HBM3', 'H100'],
    ['NVIDIA_H100_MEGA_80GB', 'H100'],
    ['NVIDIA_H200_141GB', 'H200'],
    ['l40s', 'L40S'],
  ];
  for (const [written, model] of cases) {
    test(`${JSON.stringify(written)} -> ${model}`, () => assert.equal(findGpu(written)?.name, model));
  }
  test('unknown models are undefined', () => {
    assert.equal(findGpu('X9000'), undefined);
    assert.equal(findGpu(''), undefined);
  });
});

describe('suggestions for mistyped GPU models', () => {
  test('one edit away', () => {
    assert.equal(suggestGpu('A1000'), 'A100');
    assert.equal(suggestGpu('H1000'), 'H100');
    assert.equal(suggestGpu('L40'), undefined, 'L4 and L40S are equally close');
    assert.equal(suggestGpu('t5'), 'T4');
  });
  test('close names are model names, nearest first', () => {
    assert.deepEqual(closeGpuNames('H10'), ['A10', 'H100']);
    assert.deepEqual(closeGpuNames('zzzzzz'), []);
  });
});

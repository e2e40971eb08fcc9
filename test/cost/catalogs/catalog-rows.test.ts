import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  CATALOG_READ_ON,
  CUDA_TOOLKIT_FLOORS,
  EBS_VOLUME_PRICES,
  EC2_FAMILIES,
  EC2_INSTANCE_TYPES,
  EC2_ON_DEMAND_PRICES,
  FRAMEWORK_COMPUTE,
  GPUS,
  RESCALE_CORE_TYPES,
  VERTEX_ACCELERATORS,
  VERTEX_MACHINE_FAMILIES,
  VERTEX_MACHINE_TYPES,
  VERTEX_TRAINING_PRICES,
  findGpu,
  type Sourced,
} from '../../../src/cost/catalogs/index.js';
import { SKYPILOT_COPY_READ_ON, SKYPILOT_COPY_URL } from '../../../src/cost/catalogs/ec2-cpu-regional-price-copy.js';

const CATALOGS: [string, readonly Sourced<string>[], (row: never) => string][] = [
  ['gpus', GPUS, (row: { name: string }) => row.name],
  ['EC2 instance types', EC2_INSTANCE_TYPES, (row: { name: string }) => row.name],
  ['EC2 families', EC2_FAMILIES, (row: { name: string }) => row.name],
  [
    'EC2 on-demand prices',
    EC2_ON_DEMAND_PRICES,
    (row: { region: string; instance_type: string }) => `${row.region} ${row.instance_type}`,
  ],
  [
    'EBS volume prices',
    EBS_VOLUME_PRICES,
    (row: { region: string; volume_type: string }) => `${row.region} ${row.volume_type}`,
  ],
  ['Vertex machine types', VERTEX_MACHINE_TYPES, (row: { name: string }) => row.name],
  ['Vertex machine families', VERTEX_MACHINE_FAMILIES, (row: { name: string }) => row.name],
  ['Vertex accelerators', VERTEX_ACCELERATORS, (row: { name: string }) => row.name],
  [
    'Vertex training prices',
    VERTEX_TRAINING_PRICES,
    (row: { region: string; kind: string; item: string }) => `${row.region} ${row.kind} ${row.item}`,
  ],
  ['Rescale core types', RESCALE_CORE_TYPES, (row: { code: string }) => row.code],
  [
    'framework compute',
    FRAMEWORK_COMPUTE,
    (row: { framework: string; from: string }) => `${row.framework} ${row.from}`,
  ],
  ['CUDA toolkit floors', CUDA_TOOLKIT_FLOORS, (row: { cuda_major: number }) => `CUDA ${row.cuda_major}`],
];

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

describe('every catalog row is sourced and dated', () => {
  for (const [catalog, rows, keyOf] of CATALOGS) {
    test(`${catalog}: a non-empty list of http(s) sources per row`, () => {
      assert.ok(rows.length > 0);
      for (const row of rows) {
        const key = keyOf(row as never);
        assert.ok(row.source.length > 0, `${key} has no source`);
        for (const url of row.source)
          assert.match(url, /^https?:\/\/[^\s/]+\.[^\s]+$/, `${key}: '${url}' is not an http(s) URL`);
        assert.equal(new Set(row.source).size, row.source.length, `${key} lists a source twice`);
      }
    });
    test(`${catalog}: as_of is a real YYYY-MM-DD date no later than the last read`, () => {
      for (const row of rows) {
        const key = keyOf(row as never);
        assert.ok(isCalendarDate(row.as_of), `${key}: as_of '${row.as_of}' is not a YYYY-MM-DD date`);
        // Rows of SkyPilot's undated copy, read after the rest, carry the day it was read.
        const readOn = row.source.includes(SKYPILOT_COPY_URL) ? SKYPILOT_COPY_READ_ON : CATALOG_READ_ON;
        assert.ok(row.as_of <= readOn, `${key}: as_of ${row.as_of} is after its source was read`);
      }
    });
    test(`${catalog}: names are unique`, () => {
      const keys = rows.map((row) => keyOf(row as never));
      assert.deepEqual(
        keys.filter((key, index) => keys.indexOf(key) !== index),
        [],
      );
    });
    test(`${catalog}: an unconfirmed row says why`, () => {
      for (const row of rows) {
        if (row.unconfirmed === true) assert.ok(row.note, `${keyOf(row as never)} is unconfirmed without a note`);
        if (row.unconfirmed_fields !== undefined)
          assert.ok(row.unconfirmed_fields.length > 0, `${keyOf(row as never)} has an empty unconfirmed_fields`);
      }
    });
  }
});

describe('GPU models named elsewhere exist in gpus.ts', () => {
  test('EC2 instance types', () => {
    for (const type of EC2_INSTANCE_TYPES) {
      if (type.gpus) assert.equal(findGpu(type.gpus.model)?.name, type.gpus.model, `${type.name}: ${type.gpus.model}`);
    }
  });
  test('Vertex accelerators', () => {
    for (const accelerator of VERTEX_ACCELERATORS) {
      assert.equal(
        findGpu(accelerator.gpu_model)?.name,
        accelerator.gpu_model,
        `${accelerator.name}: ${accelerator.gpu_model}`,
      );
    }
  });
  test('Rescale core types', () => {
    for (const type of RESCALE_CORE_TYPES) {
      if (type.gpus?.model !== undefined) assert.equal(findGpu(type.gpus.model)?.name, type.gpus.model, type.code);
    }
  });
});

describe('counts and sizes are positive', () => {
  test('GPUs: capability and memory', () => {
    for (const gpu of GPUS) {
      assert.ok(gpu.compute_capability >= 3 && gpu.compute_capability < 20, gpu.name);
      if (gpu.memory_gib !== undefined) assert.ok(gpu.memory_gib > 0, gpu.name);
      else
        assert.ok(
          gpu.unconfirmed_fields?.includes('memory_gib'),
          `${gpu.name} leaves memory undefined without marking it`,
        );
    }
  });
  test('EC2: vCPUs, memory, GPU count and GPU memory', () => {
    for (const type of EC2_INSTANCE_TYPES) {
      assert.ok(Number.isInteger(type.vcpus) && type.vcpus > 0, type.name);
      assert.ok(type.memory_gib > 0, type.name);
      if (type.gpus) {
        assert.ok(Number.isInteger(type.gpus.count) && type.gpus.count > 0, type.name);
        assert.ok(type.gpus.memory_mib_per_gpu > 0, type.name);
      }
    }
  });
  test('Vertex: vCPUs, memory and built-in GPU counts', () => {
    for (const type of VERTEX_MACHINE_TYPES) {
      assert.ok(Number.isInteger(type.vcpus) && type.vcpus > 0, type.name);
      assert.ok(type.memory_gib > 0, type.name);
      if (type.built_in_gpus)
        assert.ok(Number.isInteger(type.built_in_gpus.count) && type.built_in_gpus.count > 0, type.name);
    }
    for (const accelerator of VERTEX_ACCELERATORS) {
      for (const count of accelerator.counts ?? []) assert.ok(Number.isInteger(count) && count > 0, accelerator.name);
      for (const limit of accelerator.attach_limits ?? [])
        assert.ok(limit.max_vcpus > 0 && limit.max_memory_gib > 0, accelerator.name);
    }
  });
  test('Rescale: cores and memory where given', () => {
    for (const type of RESCALE_CORE_TYPES) {
      for (const cores of type.cores_per_node ?? []) assert.ok(Number.isInteger(cores) && cores > 0, type.code);
      if (type.memory_mb_per_core !== undefined) assert.ok(type.memory_mb_per_core > 0, type.code);
      if (type.gpus?.count_per_node !== undefined) assert.ok(type.gpus.count_per_node > 0, type.code);
    }
  });
});

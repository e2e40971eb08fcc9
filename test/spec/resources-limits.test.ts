import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { jobOf, onlyError, withLines, MINIMAL, type ExpectedFinding } from '../support/job-text.js';

interface Invalid extends ExpectedFinding {
  readonly setting: string;
}

/** Each case is one line under `resources:` or `limits:` (line 4 of the text). */
function refuses(block: 'resources' | 'limits', cases: readonly Invalid[]): void {
  for (const { setting, ...expected } of cases) {
    test(`refuses ${setting.trim()}`, () => {
      onlyError(withLines(`${block}:`, setting), expected);
    });
  }
}

function resourcesOf(line: string): Record<string, unknown> {
  return jobOf(withLines('resources:', line)).resources;
}

function limitsOf(line: string): Record<string, unknown> {
  return jobOf(withLines('limits:', line)).limits;
}

describe('resources', () => {
  test('defaults: one node, no spot, no GPU, nothing else', () => {
    assert.deepEqual(jobOf(MINIMAL).resources, { nodes: 1, spot: false });
    assert.deepEqual(jobOf(withLines('resources:')).resources, { nodes: 1, spot: false });
    assert.deepEqual(jobOf(withLines('resources: {}')).resources, { nodes: 1, spot: false });
  });

  const gpus: [string, string, number][] = [
    ['T4', 'T4', 1],
    ['t4', 'T4', 1],
    ['V100:4', 'V100', 4],
    ['a100:8', 'A100', 8],
    ['A10G', 'A10G', 1],
    ['L4:2', 'L4', 2],
    ['H100:16', 'H100', 16],
    ['K520', 'K520', 1],
    ['A100-80GB:8', 'A100-80GB', 8],
  ];
  for (const [written, model, count] of gpus) {
    test(`gpu: ${written} -> ${count} x ${model}`, () => {
      assert.deepEqual(resourcesOf(`  gpu: ${written}`).gpu, { model, count });
    });
  }

  test('cpus, memory, disk, nodes and spot as written', () => {
    assert.deepEqual(resourcesOf('  {cpus: 8, memory: 32GB, disk: 200GB, nodes: 4, spot: true}'), {
      cpus: 8,
      memory: 32,
      disk: 200,
      nodes: 4,
      spot: true,
    });
  });

  // GB and GiB both mean GiB, as the clouds' catalogs count them.
  const sizes: [string, number][] = [
    ['16GB', 16],
    ['16GiB', 16],
    ['16G', 16],
    ['16Gi', 16],
    ['16 GB', 16],
    ['1.5GB', 1.5],
    ['512MB', 0.5],
    ['512MiB', 0.5],
    ['512M', 0.5],
    ['512Mi', 0.5],
    ['1TB', 1024],
    ['1TiB', 1024],
    ['2T', 2048],
    ['2Ti', 2048],
  ];
  for (const [written, gib] of sizes) {
    test(`memory: ${written} and disk: ${written} are ${gib} GiB`, () => {
      assert.equal(resourcesOf(`  memory: ${written}`).memory, gib);
      assert.equal(resourcesOf(`  disk: ${written}`).disk, gib);
    });
  }

  const gpuAt = { line: 4, column: 8 } as const;
  refuses('resources', [
    {
      setting: '  gpu: T4 x 2',
      ...gpuAt,
      rule: 'invalid-value',
      message: /'T4 x 2' is not a GPU request/,
      suggestion: 'T4:2',
    },
    { setting: '  gpu: T4*2', ...gpuAt, suggestion: 'T4:2' },
    { setting: '  gpu: 2xT4', ...gpuAt, suggestion: 'T4:2' },
    { setting: '  gpu: 2 x v100', ...gpuAt, suggestion: 'V100:2' },
    { setting: '  gpu: a100, 8', ...gpuAt, suggestion: 'A100:8' },
    {
      setting: '  gpu: T4:17',
      ...gpuAt,
      message: /17 GPUs on one machine .*at most 16.*'nodes'/,
      suggestion: undefined,
    },
    { setting: '  gpu: A100:64', ...gpuAt, message: /64 GPUs/ },
    { setting: '  gpu: T4:0', ...gpuAt, message: /not a GPU request/ },
    { setting: '  gpu: "T4:"', ...gpuAt, message: /not a GPU request/ },
    { setting: '  gpu: ""', ...gpuAt, message: /not a GPU request/ },
    { setting: '  gpu: 4', ...gpuAt, rule: 'invalid-type', message: /found the number 4/ },
    { setting: '  gpu: [T4]', ...gpuAt, rule: 'invalid-type' },
    { setting: '  cpus: 0', line: 4, column: 9, rule: 'invalid-value', message: /0 is out of range/ },
    { setting: '  cpus: 1025', line: 4, column: 9, rule: 'invalid-value', message: /at most 1024/ },
    { setting: '  cpus: 2.5', line: 4, column: 9, rule: 'invalid-type', message: /whole number/ },
    { setting: '  cpus: "4"', line: 4, column: 9, rule: 'invalid-type', hint: /remove the quotes: 4/ },
    { setting: '  cpus: four', line: 4, column: 9, rule: 'invalid-type' },
    {
      setting: '  memory: 16',
      line: 4,
      column: 11,
      rule: 'invalid-value',
      message: /'16' has no unit/,
      suggestion: '16GB',
    },
    { setting: '  memory: 16gb', line: 4, column: 11, message: /'16gb' is not a size/, suggestion: '16GB' },
    { setting: '  memory: 16 gib', line: 4, column: 11, suggestion: '16GiB' },
    { setting: '  memory: 16KB', line: 4, column: 11, message: /not a size/, suggestion: undefined },
    { setting: '  memory: 0GB', line: 4, column: 11, message: /is zero/ },
    { setting: '  memory: -4GB', line: 4, column: 11, message: /not a size/ },
    { setting: '  disk: 100', line: 4, column: 9, suggestion: '100GB' },
    { setting: '  disk: lots', line: 4, column: 9, message: /not a size/ },
    { setting: '  nodes: 0', line: 4, column: 10, rule: 'invalid-value', message: /out of range/ },
    { setting: '  nodes: 1001', line: 4, column: 10, rule: 'invalid-value' },
    { setting: '  nodes: 1.5', line: 4, column: 10, rule: 'invalid-type' },
    { setting: '  spot: yes', line: 4, column: 9, rule: 'invalid-type', suggestion: 'true' },
    { setting: '  spot: off', line: 4, column: 9, rule: 'invalid-type', suggestion: 'false' },
    { setting: '  spot: "true"', line: 4, column: 9, rule: 'invalid-type', suggestion: 'true' },
    { setting: '  spot: 1', line: 4, column: 9, rule: 'invalid-type', suggestion: undefined },
    { setting: '  cpu: 4', line: 4, column: 3, rule: 'unknown-key', suggestion: 'cpus' },
  ]);
});

describe('limits', () => {
  test('max_runtime defaults to 24h = 86400 s; max_cost to none', () => {
    assert.deepEqual(jobOf(MINIMAL).limits, { max_runtime: 86_400 });
    assert.deepEqual(jobOf(withLines('limits:')).limits, { max_runtime: 86_400 });
    assert.deepEqual(limitsOf('  max_cost: 10'), { max_runtime: 86_400, max_cost: 10 });
  });

  const durations: [string, number | null][] = [
    ['90s', 90],
    ['45m', 2_700],
    ['4h', 14_400],
    ['2d', 172_800],
    ['1h30m', 5_400],
    ['1d2h3m4s', 93_784],
    ['1.5h', 5_400],
    ['0.5s', 1],
    ['unlimited', null],
  ];
  for (const [written, seconds] of durations) {
    test(`max_runtime: ${written} -> ${seconds}`, () => {
      assert.equal(limitsOf(`  max_runtime: ${written}`).max_runtime, seconds);
    });
  }

  test('max_cost: any amount above zero', () => {
    assert.equal(limitsOf('  max_cost: 0.01').max_cost, 0.01);
    assert.equal(limitsOf('  max_cost: 250').max_cost, 250);
  });

  const at = { line: 4, column: 16 } as const;
  refuses('limits', [
    { setting: '  max_runtime: 90', ...at, rule: 'invalid-value', message: /'90' has no unit/, suggestion: '90s' },
    { setting: '  max_runtime: 1.5', ...at, message: /no unit/, suggestion: '1.5s' },
    { setting: '  max_runtime: "3600"', ...at, message: /no unit/, suggestion: '3600s' },
    { setting: '  max_runtime: 4 hours', ...at, message: /not a duration/, suggestion: '4h' },
    { setting: '  max_runtime: 1 hour 30 minutes', ...at, suggestion: '1h30m' },
    { setting: '  max_runtime: 1h 30m', ...at, suggestion: '1h30m' },
    { setting: '  max_runtime: 4H', ...at, suggestion: '4h' },
    { setting: '  max_runtime: 1w', ...at, message: /not a duration/, suggestion: undefined },
    { setting: '  max_runtime: -1h', ...at, message: /not a duration/ },
    { setting: '  max_runtime: 0s', ...at, message: /is zero/ },
    { setting: '  max_runtime: 0.4s', ...at, message: /is zero/ },
    { setting: '  max_runtime: never', ...at, message: /not a duration/ },
    { setting: '  max_runtime: true', ...at, rule: 'invalid-type' },
    { setting: '  max_runtime: [4h]', ...at, rule: 'invalid-type' },
    { setting: '  max_cost: 0', line: 4, column: 13, rule: 'invalid-value', message: /more than 0/ },
    { setting: '  max_cost: -5', line: 4, column: 13, rule: 'invalid-value' },
    { setting: '  max_cost: $10', line: 4, column: 13, rule: 'invalid-type' },
    { setting: '  max_cost: "10"', line: 4, column: 13, rule: 'invalid-type', hint: /remove the quotes/ },
    { setting: '  max_runtim: 4h', line: 4, column: 3, rule: 'unknown-key', suggestion: 'max_runtime' },
  ]);
});

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { parseDuration } from '../../src/spec/units/duration.js';
import { formatDuration } from '../../src/util/format-duration.js';
import { parseFramework } from '../../src/spec/units/framework.js';
import { MAX_GPUS_PER_MACHINE, parseGpu } from '../../src/spec/units/gpu.js';
import { parseSize } from '../../src/spec/units/size.js';

describe('parseDuration', () => {
  const valid: [string, number][] = [
    ['90s', 90],
    ['45m', 2_700],
    ['4h', 14_400],
    ['2d', 172_800],
    ['1h30m', 5_400],
    ['30m1h', 5_400],
    ['1d1h1m1s', 90_061],
    ['1.5h', 5_400],
    ['0.5s', 1],
    ['  4h  ', 14_400],
  ];
  for (const [text, seconds] of valid) {
    test(`${JSON.stringify(text)} is ${seconds} s`, () => {
      assert.deepEqual(parseDuration(text), { ok: true, seconds });
    });
  }
  const invalid: [string, RegExp, string | undefined][] = [
    ['90', /has no unit/, '90s'],
    ['2.5', /has no unit/, '2.5s'],
    ['4 hours', /not a duration/, '4h'],
    ['2 days', /not a duration/, '2d'],
    ['1 hour and 30 minutes', /not a duration/, '1h30m'],
    ['1h, 30m', /not a duration/, '1h30m'],
    ['10 secs', /not a duration/, '10s'],
    ['4H', /not a duration/, '4h'],
    ['1w', /not a duration/, undefined],
    ['', /not a duration/, undefined],
    ['h', /not a duration/, undefined],
    ['-4h', /not a duration/, undefined],
    ['0s', /is zero/, undefined],
    ['0h0m', /is zero/, undefined],
    ['0.4s', /is zero/, undefined],
  ];
  for (const [text, message, suggestion] of invalid) {
    test(`refuses ${JSON.stringify(text)}${suggestion ? `, suggesting ${suggestion}` : ''}`, () => {
      const result = parseDuration(text);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.match(result.message, message);
      assert.equal(result.suggestion, suggestion);
    });
  }
});

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1s'],
    [59, '59s'],
    [60, '1m'],
    [90, '1m30s'],
    [3_600, '1h'],
    [5_400, '1h30m'],
    [86_400, '1d'],
    [90_061, '1d1h1m1s'],
    [172_800, '2d'],
    [0.4, '0s'],
    [89.6, '1m30s'],
  ];
  for (const [seconds, text] of cases) {
    test(`${seconds} s is ${text}`, () => {
      assert.equal(formatDuration(seconds), text);
    });
  }
  test('parseDuration reads back what formatDuration writes', () => {
    for (const seconds of [1, 61, 3_599, 3_601, 86_399, 86_401, 1_000_000]) {
      assert.deepEqual(parseDuration(formatDuration(seconds)), { ok: true, seconds });
    }
  });
});

describe('parseSize', () => {
  const valid: [string, number][] = [
    ['16GB', 16],
    ['16GiB', 16],
    ['16G', 16],
    ['16Gi', 16],
    ['16 GB', 16],
    ['0.5GB', 0.5],
    ['512MB', 0.5],
    ['512MiB', 0.5],
    ['256M', 0.25],
    ['1024Mi', 1],
    ['1TB', 1024],
    ['1TiB', 1024],
    ['1.5T', 1536],
    ['2Ti', 2048],
  ];
  for (const [text, gib] of valid) {
    test(`${text} is ${gib} GiB`, () => {
      assert.deepEqual(parseSize(text), { ok: true, gib });
    });
  }
  const invalid: [string, RegExp, string | undefined][] = [
    ['16', /has no unit/, '16GB'],
    ['1.5', /has no unit/, '1.5GB'],
    ['16gb', /not a size/, '16GB'],
    ['16 gib', /not a size/, '16GiB'],
    ['512mb', /not a size/, '512MB'],
    ['2tb', /not a size/, '2TB'],
    ['16KB', /not a size/, undefined],
    ['16PB', /not a size/, undefined],
    ['GB', /not a size/, undefined],
    ['-1GB', /not a size/, undefined],
    ['16  GB', /not a size/, '16GB'],
    ['0GB', /is zero/, undefined],
    ['0.0TB', /is zero/, undefined],
  ];
  for (const [text, message, suggestion] of invalid) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      const result = parseSize(text);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.match(result.message, message);
      assert.equal(result.suggestion, suggestion);
    });
  }
});

describe('parseGpu', () => {
  const valid: [string, string, number][] = [
    ['T4', 'T4', 1],
    ['t4', 'T4', 1],
    ['V100:4', 'V100', 4],
    ['a100:8', 'A100', 8],
    ['A10G', 'A10G', 1],
    ['K80:1', 'K80', 1],
    [`H100:${MAX_GPUS_PER_MACHINE}`, 'H100', MAX_GPUS_PER_MACHINE],
    [' L4:2 ', 'L4', 2],
  ];
  for (const [text, model, count] of valid) {
    test(`${JSON.stringify(text)} is ${count} x ${model}`, () => {
      assert.deepEqual(parseGpu(text), { ok: true, gpu: { model, count } });
    });
  }
  const invalid: [string, RegExp, string | undefined][] = [
    ['T4 x 2', /not a GPU request/, 'T4:2'],
    ['T4x 2', /not a GPU request/, 'T4:2'],
    ['t4 * 2', /not a GPU request/, 'T4:2'],
    ['T4,2', /not a GPU request/, 'T4:2'],
    ['T4 2', /not a GPU request/, 'T4:2'],
    ['2xT4', /not a GPU request/, 'T4:2'],
    ['2 x T4', /not a GPU request/, 'T4:2'],
    ['4*v100', /not a GPU request/, 'V100:4'],
    ['8 A100', /not a GPU request/, 'A100:8'],
    ['T4:0', /not a GPU request/, undefined],
    ['T4:-1', /not a GPU request/, undefined],
    ['T4:', /not a GPU request/, undefined],
    [':4', /not a GPU request/, undefined],
    ['4', /not a GPU request/, undefined],
    ['', /not a GPU request/, undefined],
    ['NVIDIA Tesla T4', /not a GPU request/, undefined],
    ['T4:17', /17 GPUs on one machine.*at most 16/, undefined],
    ['A100:100', /100 GPUs/, undefined],
  ];
  for (const [text, message, suggestion] of invalid) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      const result = parseGpu(text);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.match(result.message, message);
      assert.equal(result.suggestion, suggestion);
    });
  }
});

describe('parseFramework', () => {
  const valid: [string, string, string][] = [
    ['pytorch==2.3.1', 'pytorch', '2.3.1'],
    ['tensorflow==2.16.1', 'tensorflow', '2.16.1'],
    ['jax==0.4.30', 'jax', '0.4.30'],
    ['pytorch==2', 'pytorch', '2'],
    ['pytorch==2.3.1+cu121', 'pytorch', '2.3.1+cu121'],
    ['tensorflow==2.16.0rc0', 'tensorflow', '2.16.0rc0'],
    [' jax==0.4.30 ', 'jax', '0.4.30'],
  ];
  for (const [text, name, version] of valid) {
    test(`${JSON.stringify(text)} is ${name} ${version}`, () => {
      assert.deepEqual(parseFramework(text), { ok: true, framework: { name, version } });
    });
  }
  const invalid: [string, RegExp, string | undefined][] = [
    ['torch==2.3.1', /'torch' is not how dlrun names the framework; write 'pytorch'/, 'pytorch==2.3.1'],
    ['tf==2.16.1', /write 'tensorflow'/, 'tensorflow==2.16.1'],
    ['tensorflow-gpu==2.10', /write 'tensorflow'/, 'tensorflow==2.10'],
    ['jaxlib==0.4.30', /write 'jax'/, 'jax==0.4.30'],
    ['Torch==2.0', /write 'pytorch'/, 'pytorch==2.0'],
    ['pytorch>=2.0', /is a range; pin the exact version with '=='/, 'pytorch==2.0'],
    ['torch>=2.0', /is a range/, 'pytorch==2.0'],
    ['tensorflow<=2.16', /is a range/, 'tensorflow==2.16'],
    ['jax~=0.4', /is a range/, 'jax==0.4'],
    ['pytorch>2', /is a range/, 'pytorch==2'],
    ['pytorch<3', /is a range/, 'pytorch==3'],
    ['pytorch', /gives no version/, 'pytorch==2.3.1'],
    ['tf', /gives no version/, 'tensorflow==2.16.1'],
    ['jax==', /gives no version/, 'jax==0.4.30'],
    ['pytorch=2.3.1', /NAME==VERSION/, 'pytorch==2.3.1'],
    ['pytorch 2.3.1', /NAME==VERSION/, 'pytorch==2.3.1'],
    ['pytorch@2.3.1', /NAME==VERSION/, 'pytorch==2.3.1'],
    ['mxnet==1.9', /'mxnet' is not a framework dlrun knows/, undefined],
    ['constructor==1.0', /'constructor' is not a framework dlrun knows/, undefined],
    ['', /is not a framework dlrun knows/, undefined],
  ];
  for (const [text, message, suggestion] of invalid) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      const result = parseFramework(text);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.match(result.message, message);
      assert.equal(result.suggestion, suggestion);
    });
  }
});

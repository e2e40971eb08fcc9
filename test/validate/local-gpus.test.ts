import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { gpuNameMatches, localGpus } from '../../src/validate/local-gpus.js';
import { tempDir } from '../support/temp-dir.js';

test('driver names against the models job files ask for', () => {
  const table: [string, string, boolean][] = [
    ['Tesla T4', 'T4', true],
    ['NVIDIA A100-SXM4-40GB', 'A100', true],
    ['NVIDIA A100-SXM4-80GB', 'A100-80GB', true],
    ['NVIDIA A100-SXM4-40GB', 'A100-80GB', false],
    ['NVIDIA GeForce RTX 4090', 'RTX4090', true],
    ['NVIDIA A10G', 'A10', false],
    ['NVIDIA A10G', 'A10G', true],
    ['NVIDIA L40S', 'L4', false],
    ['NVIDIA L4', 'L4', true],
    ['NVIDIA H100 80GB HBM3', 'H100', true],
    ['Tesla V100-SXM2-32GB', 'V100-32GB', true],
    ['NVIDIA RTX PRO 6000 Blackwell Server Edition', 'RTX-PRO-6000', true],
  ];
  for (const [name, model, matches] of table) assert.equal(gpuNameMatches(name, model), matches, `${name} ~ ${model}`);
});

test("without nvidia-smi the driver's /proc files tell; without either, the machine has none", (t) => {
  const proc = tempDir(t);
  mkdirSync(path.join(proc, '0000:00:1e.0'));
  writeFileSync(path.join(proc, '0000:00:1e.0', 'information'), 'Model: \t\t Tesla T4\nIRQ:   37\n');
  assert.deepEqual(localGpus('/nonexistent-bin', proc), { names: ['Tesla T4'], source: '/proc/driver/nvidia' });
  assert.deepEqual(localGpus('/nonexistent-bin', path.join(proc, 'missing')), { names: [], source: 'none' });
});

test('an nvidia-smi that hangs is given up on, and then nothing is claimed about the machine', {
  timeout: 30_000,
}, (t) => {
  const bin = tempDir(t);
  writeFileSync(path.join(bin, 'nvidia-smi'), '#!/bin/sh\nexec sleep 60\n');
  chmodSync(path.join(bin, 'nvidia-smi'), 0o755);
  assert.equal(localGpus(`${bin}:/usr/bin:/bin`), undefined);
});

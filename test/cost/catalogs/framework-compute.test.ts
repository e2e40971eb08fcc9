import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  compareVersions,
  computeSupport,
  cudaMinimumComputeCapability,
  FRAMEWORK_COMPUTE,
  frameworkComputeRow,
  versionNumbers,
} from '../../../src/cost/catalogs/framework-compute.js';
import { findGpu } from '../../../src/cost/catalogs/gpus.js';
import { FRAMEWORKS } from '../../../src/spec/units/framework.js';

describe('computeSupport', () => {
  test('pytorch 2.3.1: its CUDA 11.8 wheels reach down to 3.7 (inferred), its default CUDA 12.1 wheels to 5.0', () => {
    const support = computeSupport('pytorch', '2.3.1');
    assert.ok(support);
    assert.equal(support.minimum, 3.7);
    assert.equal(support.unconfirmed, true);
    assert.deepEqual(
      support.builds.map((build) => build.cuda),
      ['11.8', '12.1'],
    );
    assert.equal(support.builds.find((build) => build.cuda === '12.1')?.minimum, 5.0);
    assert.ok(support.source.length > 0);
  });

  test('a local label narrows to that CUDA variant', () => {
    assert.equal(computeSupport('pytorch', '2.3.1+cu121')?.minimum, 5.0);
    assert.equal(computeSupport('pytorch', '2.3.1+cu121')?.unconfirmed, false);
    assert.equal(computeSupport('pytorch', '2.3.1+cu118')?.unconfirmed, true);
    assert.equal(computeSupport('pytorch', '2.3.1+cu999'), undefined);
    assert.equal(computeSupport('tensorflow', '2.16.1+cu123')?.unconfirmed, true, 'a doubt on the whole row stays');
  });

  test('a version too new to know is undefined', () => {
    assert.equal(computeSupport('pytorch', '9.0.0'), undefined);
    assert.equal(computeSupport('tensorflow', '3.0.0'), undefined);
    assert.equal(computeSupport('jax', '1.0.0'), undefined);
  });

  test('a version older than the catalog, or no version at all, is undefined', () => {
    assert.equal(computeSupport('pytorch', '0.4.1'), undefined);
    assert.equal(computeSupport('pytorch', 'latest'), undefined);
  });

  test('tensorflow 2.16.1: CUDA 12.3, floor 5.0 (CUDA 12 floor, unconfirmed for TensorFlow itself)', () => {
    const support = computeSupport('tensorflow', '2.16.1');
    assert.ok(support);
    assert.deepEqual(
      support.builds.map((build) => build.cuda),
      ['12.3'],
    );
    assert.equal(support.minimum, 5.0);
    assert.equal(support.unconfirmed, true);
  });

  test('tensorflow 2.10: CUDA 11.2, floor 3.5 from the pip guide', () => {
    const support = computeSupport('tensorflow', '2.10.0');
    assert.equal(support?.minimum, 3.5);
    assert.equal(support?.unconfirmed, false);
  });

  test("jax 0.4.30 (dlrun's example pin): CUDA 12, SM 5.2 or newer", () => {
    assert.equal(computeSupport('jax', '0.4.30')?.minimum, 5.2);
    assert.equal(computeSupport('jax', '0.4.30')?.unconfirmed, false);
  });

  test('the K80 (3.7) is below what current PyTorch builds support', () => {
    const k80 = findGpu('K80')!.compute_capability;
    assert.equal(k80, 3.7);
    for (const version of ['2.8.0', '2.10.0', '2.11.0'])
      assert.ok(computeSupport('pytorch', version)!.minimum > k80, version);
    assert.ok(computeSupport('pytorch', '2.7.1')!.minimum <= k80, 'the 2.7 CUDA 11.8 wheels were the last with sm_37');
  });

  test('the K520 (3.0) is below CUDA 11', () => {
    const k520 = findGpu('K520')!.compute_capability;
    assert.equal(k520, 3.0);
    assert.ok(cudaMinimumComputeCapability('11.0')! > k520);
    assert.ok(cudaMinimumComputeCapability('10.2')! <= k520);
    for (const framework of FRAMEWORKS) {
      for (const row of FRAMEWORK_COMPUTE.filter((candidate) => candidate.framework === framework)) {
        for (const build of row.builds)
          if (build.cuda?.startsWith('11')) assert.ok(build.minimum > k520, `${framework} ${row.from}`);
      }
    }
  });

  test('no build claims a floor below what its CUDA version can compile for', () => {
    for (const row of FRAMEWORK_COMPUTE) {
      for (const build of row.builds) {
        if (build.cuda === undefined) continue;
        const floor = cudaMinimumComputeCapability(build.cuda);
        // The floor table starts at CUDA 10, the oldest toolkit a dlrun-era GPU question turns on.
        if (Number.parseInt(build.cuda, 10) < 10) continue;
        assert.ok(floor !== undefined, `${row.framework} ${row.from}: CUDA ${build.cuda} has no floor row`);
        assert.ok(
          build.minimum >= floor,
          `${row.framework} ${row.from}: CUDA ${build.cuda} floor ${floor} > ${build.minimum}`,
        );
      }
    }
  });
});

describe('the framework rows', () => {
  test("each framework's ranges are ordered, non-empty and leave no gaps", () => {
    for (const framework of FRAMEWORKS) {
      const rows = FRAMEWORK_COMPUTE.filter((row) => row.framework === framework);
      assert.ok(rows.length > 0, framework);
      for (const [index, row] of rows.entries()) {
        assert.ok(
          compareVersions(versionNumbers(row.from)!, versionNumbers(row.until)!) < 0,
          `${framework} ${row.from}`,
        );
        const next = rows[index + 1];
        if (next) assert.equal(next.from, row.until, `${framework}: gap or overlap after ${row.until}`);
      }
    }
  });

  test('every row has at least one build, each with a floor of a real GPU generation', () => {
    for (const row of FRAMEWORK_COMPUTE) {
      assert.ok(row.builds.length > 0);
      for (const build of row.builds) {
        assert.ok(build.minimum >= 3 && build.minimum < 13);
        if (build.newest !== undefined) assert.ok(build.newest >= build.minimum);
      }
    }
  });

  test('a row whose lowest build is inferred marks its minimum unconfirmed', () => {
    for (const row of FRAMEWORK_COMPUTE) {
      const minimum = Math.min(...row.builds.map((build) => build.minimum));
      if (row.builds.some((build) => build.minimum === minimum && build.unconfirmed)) {
        assert.ok(row.unconfirmed || row.unconfirmed_fields?.includes('minimum'), `${row.framework} ${row.from}`);
      }
    }
  });

  test('range boundaries: `from` is inside, `until` is not', () => {
    assert.equal(frameworkComputeRow('pytorch', '2.7')?.from, '2.7');
    assert.equal(frameworkComputeRow('pytorch', '2.7.99')?.from, '2.7');
    assert.equal(frameworkComputeRow('pytorch', '2.8.0')?.from, '2.8');
  });

  test('version parsing ignores pre-release and local parts', () => {
    assert.deepEqual(versionNumbers('2.4.0rc1'), [2, 4, 0]);
    assert.deepEqual(versionNumbers('2.3.1+cu121'), [2, 3, 1]);
    assert.equal(versionNumbers('v2'), undefined);
    assert.equal(compareVersions([2, 3], [2, 3, 0]), 0);
    assert.ok(compareVersions([2, 10], [2, 9, 5]) > 0);
  });
});

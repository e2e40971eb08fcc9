import assert from 'node:assert/strict';
import { test } from 'vitest';
import { DlrunError } from '../../../src/base/errors.js';
import { chooseContainer, mirrorOf } from '../../../adapters/vertex/vertex-containers.js';
import { PREBUILT_CONTAINERS } from '../../../adapters/vertex/vertex-containers-data.js';

test('the pinned framework and version, GPU or CPU, from the mirror of the region', () => {
  const gpu = chooseContainer({ name: 'pytorch', version: '2.4.1' }, true, 'us-central1');
  assert.equal(gpu.imageUri, 'us-docker.pkg.dev/vertex-ai/training/pytorch-gpu.2-4.py310:latest');
  assert.equal(gpu.reason, 'the prebuilt pytorch 2.4 GPU image for pytorch==2.4.1');
  assert.equal(
    chooseContainer({ name: 'pytorch', version: '2.2' }, false, 'europe-west4').imageUri,
    'europe-docker.pkg.dev/vertex-ai/training/pytorch-cpu.2-2.py310:latest',
  );
  assert.equal(
    chooseContainer({ name: 'tensorflow', version: '2.17.0' }, true, 'asia-southeast1').imageUri,
    'asia-docker.pkg.dev/vertex-ai/training/tf-gpu.2-17.py310:latest',
  );
});

test('no framework: the newest PyTorch image of the kind', () => {
  const cpu = chooseContainer(undefined, false, 'us-east4');
  assert.equal(cpu.imageUri, 'us-docker.pkg.dev/vertex-ai/training/pytorch-cpu.2-4.py310:latest');
  assert.match(cpu.reason, /no framework is pinned/);
  assert.equal(chooseContainer(undefined, true, 'us-east4').container.accelerator, 'gpu');
});

test('mirrors: us, europe, asia by region, the other continents as chosen', () => {
  const cases: [string, string][] = [
    ['us-central1', 'us'],
    ['northamerica-northeast1', 'us'],
    ['southamerica-east1', 'us'],
    ['europe-west4', 'europe'],
    ['me-west1', 'europe'],
    ['africa-south1', 'europe'],
    ['asia-northeast1', 'asia'],
    ['australia-southeast1', 'asia'],
  ];
  for (const [region, mirror] of cases) assert.equal(mirrorOf(region), mirror, region);
});

test('an unlisted version or framework: a user error naming the choices and container_image', () => {
  const expectError = (run: () => unknown, message: RegExp) => {
    assert.throws(run, (error: unknown) => {
      assert.ok(error instanceof DlrunError);
      assert.equal(error.audience, 'user');
      assert.match(error.message, message);
      assert.match(error.message, /pytorch==2\.4, pytorch==2\.3, pytorch==2\.2, pytorch==2\.1, tensorflow==2\.17/);
      assert.match(error.hint!, /backends\.vertex\.container_image/);
      return true;
    });
  };
  expectError(
    () => chooseContainer({ name: 'pytorch', version: '1.13.1' }, true, 'us-central1'),
    /no prebuilt GPU training image for pytorch==1\.13\.1/,
  );
  expectError(
    () => chooseContainer({ name: 'jax', version: '0.4.30' }, false, 'us-central1'),
    /no prebuilt training image for jax that dlrun knows/,
  );
  assert.throws(() => chooseContainer(undefined, true, 'us-central1', []), /no prebuilt PyTorch GPU image/);
});

test('the list: every row has a source, a path of its kind, and no duplicate', () => {
  const keys = new Set<string>();
  for (const row of PREBUILT_CONTAINERS) {
    assert.match(row.source, /^https:\/\/cloud\.google\.com\/vertex-ai\/docs\/training\/pre-built-containers/);
    const prefix = row.framework === 'pytorch' ? 'pytorch' : 'tf';
    assert.ok(row.path.startsWith(`${prefix}-${row.accelerator}.${row.version.replace('.', '-')}.`), row.path);
    assert.ok(row.path.endsWith(':latest'), row.path);
    const key = `${row.framework} ${row.version} ${row.accelerator}`;
    assert.ok(!keys.has(key), key);
    keys.add(key);
  }
});

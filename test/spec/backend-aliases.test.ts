import assert from 'node:assert/strict';
import { test } from 'vitest';
import { backendFlag } from '../../src/cli/backend-flag.js';
import { UsageError } from '../../src/base/errors.js';
import { BACKEND_NAMES, backendNamed } from '../../src/spec/backend-names.js';

const input = (backend: string) => ({ flags: { backend } }) as unknown as Parameters<typeof backendFlag>[0];

test('gcp is another name for vertex; every backend is its own name', () => {
  assert.equal(backendNamed('gcp'), 'vertex');
  for (const name of BACKEND_NAMES) assert.equal(backendNamed(name), name);
  assert.equal(backendNamed('toString'), undefined);
  assert.equal(backendNamed('GCP'), undefined);
});

test('--backend gcp submits to vertex; an unknown name is a usage error with a suggestion', () => {
  assert.equal(backendFlag(input('gcp')), 'vertex');
  assert.throws(
    () => backendFlag(input('gcpp')),
    (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /did you mean 'gcp'/);
      return true;
    },
  );
});

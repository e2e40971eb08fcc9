import assert from 'node:assert/strict';
import { test } from 'vitest';
import { jobJsonSchema } from '../../src/spec/json-schema.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

test("dlrun schema prints the JSON Schema generated from the loader's own schema", async (t) => {
  const home = tempDir(t);
  const result = await runCli(['schema'], { cwd: home, home });
  assert.equal(result.code, 0);
  const schema = JSON.parse(result.stdout) as Record<string, unknown>;
  assert.deepEqual(schema, jobJsonSchema());
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.deepEqual(schema.required, ['name', 'run']);
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(properties), [
    'name',
    'workdir',
    'setup',
    'run',
    'env',
    'secrets',
    'framework',
    'resources',
    'limits',
    'outputs',
    'backend',
    'backends',
  ]);
  assert.deepEqual(Object.keys(properties.backends!.properties as object), ['local', 'ec2', 'vertex', 'rescale']);
  assert.equal((properties.limits!.properties as Record<string, Record<string, unknown>>).max_runtime!.default, '24h');
});

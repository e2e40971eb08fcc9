import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { jobJsonSchema } from '../../src/spec/json-schema.js';
import { loadJobFile } from '../../src/spec/load-job-file.js';
import { generatedJobText } from '../support/job-arbitraries.js';
import { parse } from '../support/job-text.js';
import { FIXTURES, REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const schema = jobJsonSchema();
// Union types (env values: string, number or boolean) are valid JSON Schema; ajv's strict mode only asks to allow them.
// ajv is CommonJS: under NodeNext the default import is its module object, whose `default` is the class.
const ajv = new Ajv2020.default({ strict: true, allErrors: true, allowUnionTypes: true });
const validate = ajv.compile(schema as Record<string, unknown>);

/** What an editor would check: the YAML read as plain data, merge keys expanded as the loader expands them. */
function schemaErrors(text: string): string {
  const valid = validate(parseYaml(text, { merge: true }));
  return valid ? '' : ajv.errorsText(validate.errors);
}

function yamlFilesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true })
    .map(String)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => path.join(folder, file));
}

test(
  'dlrun schema prints the schema: valid JSON, ' + 'equal to jobJsonSchema() and to the shipped dist/job.schema.json',
  async (t) => {
    const home = tempDir(t);
    const result = await runCli(['schema'], { cwd: home, home, timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const printed: unknown = JSON.parse(result.stdout);
    assert.deepEqual(printed, schema);
    assert.deepEqual(JSON.parse(readFileSync(path.join(REPO_ROOT, 'dist', 'job.schema.json'), 'utf8')), printed);
  },
);

test('the schema is draft 2020-12 that ajv compiles, and says what the loader says about the basics', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(ajv.validateSchema(schema as Record<string, unknown>), true, ajv.errorsText(ajv.errors));
  assert.deepEqual(schema.required, ['name', 'run']);
  assert.equal(schema.additionalProperties, false);
  const properties = schema.properties as Record<
    string,
    Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> }
  >;
  assert.equal(properties.limits?.properties?.max_runtime?.default, '24h');
  assert.equal(properties.outputs?.default, 'outputs/');
  assert.equal(properties.backend?.default, 'local');
  assert.deepEqual(properties.backend?.enum, ['local', 'ec2', 'vertex', 'rescale']);
  assert.equal(properties.resources?.properties?.nodes?.default, 1);
  assert.equal(properties.resources?.properties?.spot?.default, false);
});

describe('every example job file is accepted by the schema and by the loader', () => {
  const files = [
    ...yamlFilesUnder(path.join(REPO_ROOT, 'examples')),
    ...yamlFilesUnder(path.join(FIXTURES, 'valid')),
    ...yamlFilesUnder(path.join(FIXTURES, 'corpus', 'correct')).filter((file) => path.basename(file) === 'job.yaml'),
    ...yamlFilesUnder(path.join(REPO_ROOT, 'bench', 'fixtures')).filter((file) =>
      path.basename(file).endsWith('.yaml'),
    ),
  ];
  test('there are at least 8 valid fixtures', () => {
    assert.ok(yamlFilesUnder(path.join(FIXTURES, 'valid')).length >= 8);
  });
  for (const file of files) {
    test(path.relative(REPO_ROOT, file), () => {
      assert.equal(schemaErrors(readFileSync(file, 'utf8')), '');
      const { job, findings } = loadJobFile(file);
      assert.deepEqual(findings, []);
      assert.ok(job.name);
    });
  }
  test('templates/init/job.yaml, once dlrun init has filled in the name', (t) => {
    const template = readFileSync(path.join(REPO_ROOT, 'templates', 'init', 'job.yaml'), 'utf8');
    assert.ok(template.includes('{{name}}'));
    const text = template.replaceAll('{{name}}', 'my-first-job');
    assert.equal(schemaErrors(text), '');
    const folder = tempDir(t);
    writeFileSync(path.join(folder, 'job.yaml'), text);
    assert.equal(loadJobFile('job.yaml', folder).job.name, 'my-first-job');
  });
});

describe('the schema refuses what the loader refuses, where a schema can tell', () => {
  const base = 'name: demo\nrun: python train.py\n';
  const cases: [string, string][] = [
    ['an unknown key', `${base}gpu: T4\n`],
    ['a name with capitals', 'name: Demo\nrun: x\n'],
    ['a name of 41 characters', `name: ${'a'.repeat(41)}\nrun: x\n`],
    ['no run', 'name: demo\n'],
    ['a GPU written T4 x 2', `${base}resources: {gpu: T4 x 2}\n`],
    ['a size without a unit', `${base}resources: {memory: 16}\n`],
    ['a duration without a unit', `${base}limits: {max_runtime: 90}\n`],
    ['a duration in words', `${base}limits: {max_runtime: 4 hours}\n`],
    ['no cpus', `${base}resources: {cpus: 0}\n`],
    ['a max_cost of 0', `${base}limits: {max_cost: 0}\n`],
    ['a framework range', `${base}framework: pytorch>=2\n`],
    ['an unknown backend', `${base}backend: ec3\n`],
    ['an unknown backend block', `${base}backends: {ec3: {}}\n`],
    ['an unknown setting in a block', `${base}backends: {ec2: {instance_typ: g4dn.xlarge}}\n`],
    ['an env name starting with a digit', `${base}env: {1A: x}\n`],
    ['an env value that is a list', `${base}env: {A: [1]}\n`],
    ['a secret listed twice', `${base}secrets: [A, A]\n`],
    ['spot: yes', `${base}resources: {spot: yes}\n`],
  ];
  for (const [label, text] of cases) {
    test(label, () => {
      assert.equal(parse(text).job, undefined, 'the loader refuses it');
      assert.notEqual(schemaErrors(text), '', 'the schema refuses it');
    });
  }
});

test('whenever the loader accepts a generated job, the schema accepts the same YAML', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(generatedJobText, ({ text }) => {
      if (!parse(text).job) return;
      assert.equal(schemaErrors(text), '', text);
    }),
    { numRuns: 300, seed: 7_070_707 },
  );
});

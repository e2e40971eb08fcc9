import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type TestContext, test } from 'vitest';
import { CLOUD_SDKS, importLogEnv, loggedImports } from '../support/import-log.js';
import { writeJob } from '../support/job-files.js';
import { submitAndWait } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const loadsCloudSdk = (urls: readonly string[]): string | undefined =>
  urls.find((url) => CLOUD_SDKS.some((sdk) => url.includes(`/node_modules/${sdk}`)));

const EC2_JOB = [
  'name: lazy',
  'run: echo training',
  'resources:',
  '  gpu: T4',
  'limits:',
  '  max_runtime: 1h',
  'backends:',
  '  ec2:',
  '    region: us-east-1',
  '',
].join('\n');

const VERTEX_JOB = [
  'name: lazy-vertex',
  'run: echo training',
  'limits:',
  '  max_runtime: 1h',
  'backends:',
  '  vertex:',
  '    region: us-central1',
  '',
].join('\n');

const RESCALE_JOB = [
  'name: lazy-rescale',
  'run: echo training',
  'limits:',
  '  max_runtime: 1h',
  'backends:',
  '  rescale:',
  '    core_type: standard-plus',
  '    cores: 2',
  '',
].join('\n');

test('commands that need no cloud load no cloud SDK: --help, status and logs of local jobs, ' +
  'validate and quote for EC2, Vertex AI and Rescale, validate for every backend', {
  timeout: 60_000,
}, async (t) => {
  const home = tempDir(t);
  const { jobPath: localJob } = writeJob(tempDir(t), 'name: here\nrun: echo hi\n');
  const { jobId } = await submitAndWait(t, localJob, home);
  const { jobPath: ec2Job } = writeJob(tempDir(t), EC2_JOB);
  const { jobPath: vertexJob } = writeJob(tempDir(t), VERTEX_JOB);
  const { jobPath: rescaleJob } = writeJob(tempDir(t), RESCALE_JOB);
  for (const args of [
    ['--help'],
    ['status'],
    ['status', '--all', '--json'],
    ['logs', jobId],
    ['bill', jobId],
    ['validate', ec2Job, '--backend', 'ec2'],
    // A job that names no backend: every backend's validation module is loaded, and none of them a cloud SDK.
    ['validate', localJob],
    ['quote', ec2Job, '--backend', 'ec2'],
    ['validate', vertexJob, '--backend', 'vertex'],
    ['validate', vertexJob],
    ['quote', vertexJob, '--backend', 'vertex'],
    // Rescale's client is axios: neither validating nor pricing a Rescale job loads it.
    ['validate', rescaleJob, '--backend', 'rescale'],
    ['validate', rescaleJob],
    ['quote', rescaleJob, '--backend', 'rescale'],
    // Every backend's price rules, and the ledger for the start-up measured there: still no cloud SDK.
    ['quote', localJob],
  ]) {
    const log = path.join(tempDir(t), 'imports.log');
    const result = await runCli(args, { cwd: home, home, env: importLogEnv(log) });
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    const loaded = loggedImports(log);
    assert.ok(
      loaded.some((url) => url.endsWith('/cli/main.js')),
      'the hooks saw the CLI load',
    );
    assert.equal(loadsCloudSdk(loaded), undefined, `dlrun ${args.join(' ')} loaded a cloud SDK`);
    // Reading jobs needs neither the job file's parser nor the ignore-file matcher that only submit uses.
    if (args[0] !== 'validate' && args[0] !== 'quote' && args[0] !== '--help') {
      const submitOnly = loaded.find((url) => /\/node_modules\/(yaml|ignore)\//.test(url));
      assert.equal(submitOnly, undefined, `dlrun ${args.join(' ')} loaded ${submitOnly}`);
    }
  }
});

test('the log sees the AWS SDK when a command does need it (it is loaded with require, not import)', {
  timeout: 60_000,
}, async (t) => {
  const home = tempDir(t);
  const log = path.join(home, 'imports.log');
  // Nothing listens on port 9: the check fails fast, after loading the SDK.
  const env = {
    ...importLogEnv(log),
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  await runCli(['check', '--backend', 'ec2'], { cwd: home, home, env });
  assert.match(loadsCloudSdk(loggedImports(log)) ?? '', /\/node_modules\/@aws-sdk\/client-/);
});

test('the log sees axios when a command does talk to Rescale (it is loaded with require, not import)', {
  timeout: 60_000,
}, async (t) => {
  const home = tempDir(t);
  const log = path.join(home, 'imports.log');
  // Nothing listens on port 9: the check fails fast, after loading axios.
  const env = { ...importLogEnv(log), RESCALE_API_KEY: 'rescale-key', RESCALE_PLATFORM_URL: 'http://127.0.0.1:9' };
  await runCli(['check', '--backend', 'rescale'], { cwd: home, home, env });
  assert.match(loadsCloudSdk(loggedImports(log)) ?? '', /\/node_modules\/axios\//);
});

test('the Vertex AI clients load the aiplatform submodule of googleapis, never the whole package', {
  timeout: 60_000,
}, async (t) => {
  const loaded = vertexClientImports(t, [
    "const env = { GOOGLE_OAUTH_ACCESS_TOKEN: 't', DLRUN_GCS_URL: 'http://127.0.0.1:9' };",
    "const made = vertexClients('us-central1', { ledgerId: 'l', home: '/nonexistent', env });",
    'void made.aiplatform; void made.storage;',
  ]);
  assert.ok(loaded.some((url) => url.includes('/node_modules/googleapis/build/src/apis/aiplatform/')));
  assert.ok(loaded.some((url) => url.includes('/node_modules/@google-cloud/storage/')));
  const root = loaded.find((url) => /\/node_modules\/googleapis\/build\/src\/(index|googleapis)\.js$/.test(url));
  assert.equal(root, undefined, `the whole googleapis package was loaded (${root})`);
  const otherApi = loaded.find((url) => /\/googleapis\/build\/src\/apis\/(?!aiplatform\/)/.test(url));
  assert.equal(otherApi, undefined, `another API of googleapis was loaded (${otherApi})`);
});

/** A valid price snapshot of `backend` in `home`, as `dlrun prices refresh` writes one. */
function writeSnapshot(home: string, backend: string, rows: readonly Record<string, unknown>[]): void {
  const folder = path.join(home, 'prices', backend);
  mkdirSync(folder, { recursive: true });
  const body = {
    format: 'dlrun-price-snapshot/1',
    backend,
    fetched_at: '2026-12-01T00:00:00.000Z',
    source: 'a test',
    endpoint: 'https://example.test',
    notes: [],
    rows,
  };
  writeFileSync(path.join(folder, '2026-12-01T00-00-00-000Z.json'), JSON.stringify(body));
}

test('reading price snapshots loads no cloud SDK: quote with a snapshot in force, prices show', {
  timeout: 60_000,
}, async (t) => {
  const home = tempDir(t);
  const source = ['https://example.test/'];
  writeSnapshot(home, 'ec2', [
    {
      kind: 'instance',
      region: 'us-east-1',
      instance_type: 'g4dn.xlarge',
      usd_per_hour: 0.6,
      source,
      as_of: '2026-12-01',
    },
  ]);
  writeSnapshot(home, 'rescale', [
    {
      code: 'standard-plus',
      usd_per_core_hour: 0.2,
      low_priority_usd_per_core_hour: null,
      cores_per_node: [1, 2, 4, 8],
      platform: 'https://platform.rescale.com',
      source,
      as_of: '2026-12-01',
    },
  ]);
  const { jobPath: ec2Job } = writeJob(tempDir(t), EC2_JOB);
  const { jobPath: rescaleJob } = writeJob(tempDir(t), RESCALE_JOB);
  for (const args of [
    ['quote', ec2Job, '--backend', 'ec2', '--json'],
    ['quote', rescaleJob, '--backend', 'rescale', '--json'],
    ['prices', 'show'],
    ['prices', 'show', '--json'],
  ]) {
    const log = path.join(tempDir(t), 'imports.log');
    const result = await runCli(args, { cwd: home, home, env: importLogEnv(log) });
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    if (args[0] === 'quote') assert.match(result.stdout, /"from":"snapshot"/);
    assert.equal(loadsCloudSdk(loggedImports(log)), undefined, `dlrun ${args.join(' ')} loaded a cloud SDK`);
  }
});

test('the Cloud Billing client loads its submodule of googleapis, never the whole package', {
  timeout: 60_000,
}, async (t) => {
  const loaded = vertexClientImports(t, [
    "const env = { GOOGLE_OAUTH_ACCESS_TOKEN: 't', DLRUN_CLOUDBILLING_URL: 'http://127.0.0.1:9' };",
    "const made = vertexClients(undefined, { ledgerId: 'l', home: '/nonexistent', env });",
    'void made.cloudbilling;',
  ]);
  assert.ok(loaded.some((url) => url.includes('/node_modules/googleapis/build/src/apis/cloudbilling/')));
  const root = loaded.find((url) => /\/node_modules\/googleapis\/build\/src\/(index|googleapis)\.js$/.test(url));
  assert.equal(root, undefined, `the whole googleapis package was loaded (${root})`);
  assert.equal(
    loaded.find((url) => url.includes('/node_modules/@google-cloud/storage/')),
    undefined,
    'Cloud Storage is not needed to read prices',
  );
});

/** The modules a Node program loads that imports the compiled vertex-clients.ts and runs `lines` with it. */
function vertexClientImports(t: TestContext, lines: readonly string[]): string[] {
  const log = path.join(tempDir(t), 'imports.log');
  const clients = pathToFileURL(path.resolve('dist/adapters/vertex/vertex-clients.js')).href;
  const script = [`const { vertexClients } = await import(${JSON.stringify(clients)});`, ...lines].join('\n');
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...importLogEnv(log) },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return loggedImports(log);
}

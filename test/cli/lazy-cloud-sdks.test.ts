import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'vitest';
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

test('commands that need no cloud load no cloud SDK: status and logs of local jobs, ' +
  'validate and quote for EC2, validate for every backend', {
  timeout: 60_000,
}, async (t) => {
  const home = tempDir(t);
  const { jobPath: localJob } = writeJob(tempDir(t), 'name: here\nrun: echo hi\n');
  const { jobId } = await submitAndWait(t, localJob, home);
  const { jobPath: ec2Job } = writeJob(tempDir(t), EC2_JOB);
  for (const args of [
    ['status'],
    ['status', '--all', '--json'],
    ['logs', jobId],
    ['bill', jobId],
    ['validate', ec2Job, '--backend', 'ec2'],
    // A job that names no backend: every backend's validation module is loaded, and none of them a cloud SDK.
    ['validate', localJob],
    ['quote', ec2Job, '--backend', 'ec2'],
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
    if (args[0] !== 'validate' && args[0] !== 'quote') {
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

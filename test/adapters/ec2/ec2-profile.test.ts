import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { writeJob } from '../../support/job-files.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { awsEnvironment, motoForThisFile } from '../../standins/moto-server.js';
import { ec2Client, TEST_IMAGE } from '../../standins/test-clients.js';

const motoFor = motoForThisFile();

test('a named profile from ~/.aws gives the keys and the region, as the AWS CLI reads them', {
  timeout: 60_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const aws = tempDir(t);
  writeFileSync(path.join(aws, 'config'), '[default]\nregion = ap-south-1\n\n[profile training]\nregion = us-east-1\n');
  writeFileSync(
    path.join(aws, 'credentials'),
    '[training]\naws_access_key_id = testing\naws_secret_access_key = testing\n',
  );
  const {
    AWS_ACCESS_KEY_ID: _key,
    AWS_SECRET_ACCESS_KEY: _secret,
    AWS_REGION: _region,
    AWS_DEFAULT_REGION: _defaultRegion,
    ...rest
  } = awsEnvironment(moto.endpoint);
  const env = {
    ...rest,
    AWS_CONFIG_FILE: path.join(aws, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(aws, 'credentials'),
    AWS_PROFILE: 'training',
    DLRUN_EC2_DEFAULT_IMAGE: TEST_IMAGE,
  };
  const home = tempDir(t);
  const { jobPath } = writeJob(
    tempDir(t),
    'name: profiled\nrun: echo hi\nlimits:\n  max_runtime: 10m\nbackends:\n  ec2:\n    instance_type: t3.micro\n',
  );
  const submitted = await runCli(['submit', '--backend', 'ec2', jobPath, '--json'], { cwd: home, home, env });
  assert.equal(submitted.code, 0, submitted.stderr);
  const jobId = (JSON.parse(submitted.stdout) as { job_id: string }).job_id;
  const inRegion = async (region: string): Promise<number> => {
    const answer = await ec2Client(t, moto.endpoint, { region }).send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:dlrun-job-id', Values: [jobId] }] }),
    );
    return (answer.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []).length;
  };
  // The catalog prices us-east-1 only (docs/catalogs.md), so the named profile's region is that one and the
  // default profile's another: the job going to us-east-1 shows which profile was read.
  assert.equal(await inRegion('us-east-1'), 1, "the named profile's region");
  assert.equal(await inRegion('ap-south-1'), 0, "not the default profile's");
  const cancelled = await runCli(['cancel', jobId], { cwd: home, home, env });
  assert.equal(cancelled.code, 0, cancelled.stderr);
});

test('a region dlrun has no prices for is refused before anything is created, with where prices exist', {
  timeout: 60_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const env = { ...awsEnvironment(moto.endpoint), AWS_REGION: 'af-south-1', DLRUN_EC2_DEFAULT_IMAGE: TEST_IMAGE };
  const home = tempDir(t);
  const { jobPath } = writeJob(
    tempDir(t),
    'name: elsewhere\nrun: echo hi\nlimits:\n  max_runtime: 10m\nbackends:\n  ec2:\n    instance_type: t3.micro\n',
  );
  const submitted = await runCli(['submit', '--backend', 'ec2', jobPath], { cwd: home, home, env });
  assert.equal(submitted.code, 1);
  // The validator says so first (ec2-region), with the same answer the price lookup would give.
  assert.match(
    submitted.stderr,
    /error ec2-region AWS_REGION says af-south-1, and dlrun has no EC2 prices for that region/,
  );
  assert.match(submitted.stderr, /us-east-1/);
  assert.doesNotMatch(submitted.stderr, /\n\s+at /, 'no stack trace');
  const answer = await ec2Client(t, moto.endpoint, { region: 'af-south-1' }).send(new DescribeInstancesCommand({}));
  assert.equal(answer.Reservations?.length ?? 0, 0);
});

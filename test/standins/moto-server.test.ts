import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeInstanceAttributeCommand, DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'vitest';
import { defer } from '../support/cleanup.js';
import { REPO_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';
import { awsClientConfig, awsEnvironment, motoForThisFile } from './moto-server.js';
import { allInstances, ec2Client, s3Client, TEST_IMAGE } from './test-clients.js';

const motoFor = motoForThisFile();

test('moto answers RunInstances and DescribeInstances through the SDK, tags and user data included', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const ec2 = ec2Client(t, moto.endpoint);
  const launched = await ec2.send(
    new RunInstancesCommand({
      ImageId: TEST_IMAGE,
      InstanceType: 'g4dn.xlarge',
      MinCount: 1,
      MaxCount: 1,
      UserData: Buffer.from('#!/bin/bash\necho hello\n').toString('base64'),
      InstanceInitiatedShutdownBehavior: 'terminate',
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'dlrun-job-id', Value: 'job-1' }] }],
    }),
  );
  const id = launched.Instances?.[0]?.InstanceId;
  assert.match(id ?? '', /^i-[0-9a-f]{17}$/);
  const found = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: 'tag:dlrun-job-id', Values: ['job-1'] }] }),
  );
  const instance = found.Reservations?.[0]?.Instances?.[0];
  assert.equal(instance?.InstanceId, id);
  assert.equal(instance?.InstanceType, 'g4dn.xlarge');
  // Unlike AWS, moto has the instance running already: no test can watch it pass through pending.
  assert.equal(instance?.State?.Name, 'running');
  const userData = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }));
  assert.equal(Buffer.from(userData.UserData?.Value ?? '', 'base64').toString('utf8'), '#!/bin/bash\necho hello\n');
});

test('reset empties EC2 and S3', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const ec2 = ec2Client(t, moto.endpoint);
  const s3 = s3Client(t, moto.endpoint);
  await ec2.send(new RunInstancesCommand({ ImageId: TEST_IMAGE, MinCount: 1, MaxCount: 1 }));
  await s3.send(new CreateBucketCommand({ Bucket: 'before-reset' }));
  assert.equal((await allInstances(ec2)).length, 1);
  await moto.reset();
  assert.deepEqual(await allInstances(ec2), []);
  assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets ?? [], []);
});

/** Set by the test that leaves things behind: the one after it proves nothing unless that one ran. */
let leftBehind = false;

test('a test leaves an instance and a bucket behind', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const ec2 = ec2Client(t, moto.endpoint);
  await ec2.send(new RunInstancesCommand({ ImageId: TEST_IMAGE, MinCount: 1, MaxCount: 1 }));
  const s3 = s3Client(t, moto.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: 'left-for-the-next-test' }));
  assert.equal((await allInstances(ec2)).length, 1);
  assert.deepEqual(
    ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name),
    ['left-for-the-next-test'],
  );
  leftBehind = true;
});

test('the next test of the same file finds them gone: the file-level helper resets between tests', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  assert.ok(leftBehind, 'the previous test left an instance and a bucket behind');
  assert.deepEqual(await allInstances(ec2Client(t, moto.endpoint)), []);
  assert.deepEqual((await s3Client(t, moto.endpoint).send(new ListBucketsCommand({}))).Buckets ?? [], []);
});

test('the same seed after a reset gives the same instance ids', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const ec2 = ec2Client(t, moto.endpoint);
  const launchTwo = async (): Promise<string[]> => {
    await moto.reset();
    await moto.seed(42);
    const launched = await ec2.send(new RunInstancesCommand({ ImageId: TEST_IMAGE, MinCount: 2, MaxCount: 2 }));
    return (launched.Instances ?? []).map((instance) => instance.InstanceId ?? '');
  };
  const first = await launchTwo();
  assert.equal(new Set(first).size, 2);
  assert.deepEqual(await launchTwo(), first);
});

test('failAuth makes every call fail with AuthFailure (401); restoreAuth undoes it', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const ec2 = ec2Client(t, moto.endpoint, { maxAttempts: 1 });
  await moto.failAuth();
  defer(t, () => moto.restoreAuth());
  await assert.rejects(
    ec2.send(new DescribeInstancesCommand({})),
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'AuthFailure');
      assert.equal(error.$metadata?.httpStatusCode, 401);
      return true;
    },
  );
  await moto.restoreAuth();
  assert.deepEqual(await allInstances(ec2), []);
});

test('queued Cost Explorer results come back from GetCostAndUsage, the same one for repeated parameters', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const day = { Start: '2026-11-01', End: '2026-11-02' };
  await moto.queueCostAndUsage([
    {
      ResultsByTime: [
        { TimePeriod: day, Total: { UnblendedCost: { Amount: '1.2345', Unit: 'USD' } }, Groups: [], Estimated: false },
      ],
    },
  ]);
  const costs = new CostExplorerClient(awsClientConfig(moto.endpoint));
  defer(t, () => costs.destroy());
  const ask = (): Promise<string | undefined> =>
    costs
      .send(
        new GetCostAndUsageCommand({
          TimePeriod: day,
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          Filter: { Tags: { Key: 'dlrun-job-id', Values: ['job-1'] } },
        }),
      )
      .then((answer) => answer.ResultsByTime?.[0]?.Total?.UnblendedCost?.Amount);
  assert.equal(await ask(), '1.2345');
  assert.equal(await ask(), '1.2345');
});

test(
  'a child process with awsEnvironment() and no other configuration reaches moto, ' +
    'without the SDK notice on stderr',
  async (t) => {
    const moto = motoFor(t);
    if (!moto) return;
    const launch = `new RunInstancesCommand({ ImageId: '${TEST_IMAGE}', MinCount: 1, MaxCount: 1 })`;
    const script = `
    const { EC2Client, RunInstancesCommand } = await import('@aws-sdk/client-ec2');
    const launched = await new EC2Client({}).send(${launch});
    console.log(launched.Instances[0].InstanceId);`;
    const home = tempDir(t);
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...awsEnvironment(moto.endpoint) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stderr, '');
    const instances = await allInstances(ec2Client(t, moto.endpoint));
    assert.deepEqual(
      instances.map((instance) => instance.InstanceId),
      [child.stdout.trim()],
    );
  },
);

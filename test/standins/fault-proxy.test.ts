import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeAvailabilityZonesCommand, DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import { defer } from '../support/cleanup.js';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from './fault-proxy.js';
import { awsClientConfig, motoForThisFile, type MotoServer } from './moto-server.js';
import { allInstances, ec2Client, s3Client, TEST_IMAGE } from './test-clients.js';

const motoFor = motoForThisFile();

async function motoBehindProxy(
  t: TestContext,
  options: FaultProxyOptions = {},
): Promise<{ moto: MotoServer; proxy: FaultProxy } | undefined> {
  const moto = motoFor(t);
  if (!moto) return undefined;
  const proxy = await startFaultProxy(moto.endpoint, options);
  defer(t, () => proxy.close());
  return { moto, proxy };
}

type SdkError = Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };

function sdkError(name: string, httpStatusCode: number, attempts = 1): (error: SdkError) => true {
  return (error) => {
    assert.equal(error.name, name);
    assert.equal(error.$metadata?.httpStatusCode, httpStatusCode);
    assert.equal(error.$metadata?.attempts, attempts);
    return true;
  };
}

const launch = new RunInstancesCommand({
  ImageId: TEST_IMAGE,
  MinCount: 1,
  MaxCount: 1,
  TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'dlrun-job-id', Value: 'job-1' }] }],
});

test(
  'two injected RequestLimitExceeded: ' + 'the SDK retries by itself and the third request launches the machine',
  async (t) => {
    const stand = await motoBehindProxy(t);
    if (!stand) return;
    stand.proxy.inject({ action: 'RunInstances', kind: 'throttle', times: 2 });
    const launched = await ec2Client(t, stand.proxy.endpoint).send(launch);
    assert.equal(launched.$metadata.attempts, 3);
    assert.equal(stand.proxy.requests('RunInstances'), 3);
    const answers = stand.proxy
      .events()
      .filter((event) => event.event === 'answered')
      .map((event) => event.status);
    assert.deepEqual(answers, [503, 503, 200]);
    assert.equal((await allInstances(ec2Client(t, stand.moto.endpoint))).length, 1);
  },
);

test('with maxAttempts 1 the SDK surfaces RequestLimitExceeded (503), and nothing was launched', async (t) => {
  const stand = await motoBehindProxy(t);
  if (!stand) return;
  stand.proxy.inject({ action: 'RunInstances', kind: 'throttle', times: 1 });
  await assert.rejects(
    ec2Client(t, stand.proxy.endpoint, { maxAttempts: 1 }).send(launch),
    sdkError('RequestLimitExceeded', 503),
  );
  assert.deepEqual(await allInstances(ec2Client(t, stand.moto.endpoint)), []);
});

test(
  'InternalError (500) and Unavailable (503) reach the SDK as EC2 errors; ' + 'other actions pass untouched',
  async (t) => {
    const stand = await motoBehindProxy(t);
    if (!stand) return;
    const ec2 = ec2Client(t, stand.proxy.endpoint, { maxAttempts: 1 });
    stand.proxy.inject({ action: 'RunInstances', kind: 'internal-error', times: 1 });
    stand.proxy.inject({ action: 'RunInstances', kind: 'unavailable', times: 1 });
    await assert.rejects(ec2.send(launch), sdkError('InternalError', 500));
    assert.deepEqual((await ec2.send(new DescribeInstancesCommand({}))).Reservations, []);
    await assert.rejects(ec2.send(launch), sdkError('Unavailable', 503));
    assert.ok((await ec2.send(launch)).Instances?.[0]?.InstanceId);
    assert.equal(stand.proxy.requests('RunInstances'), 3);
    assert.equal(stand.proxy.requests('DescribeInstances'), 1);
  },
);

test('a connection dropped after forwarding: moto launched the machine while the client saw an error', async (t) => {
  const stand = await motoBehindProxy(t);
  if (!stand) return;
  stand.proxy.inject({ action: 'RunInstances', kind: 'drop-after-forwarding', times: 1 });
  // The SDK reports a connection lost mid-answer as TimeoutError, code ECONNRESET ("socket hang up").
  await assert.rejects(ec2Client(t, stand.proxy.endpoint, { maxAttempts: 1 }).send(launch), {
    name: 'TimeoutError',
    code: 'ECONNRESET',
  });
  const instances = await allInstances(ec2Client(t, stand.moto.endpoint));
  assert.deepEqual(
    instances.map((instance) => instance.Tags?.find((tag) => tag.Key === 'dlrun-job-id')?.Value),
    ['job-1'],
  );
  assert.deepEqual(
    stand.proxy.events().map((event) => event.event),
    ['received', 'moto-answered', 'dropped'],
  );
});

test(
  'moto ignores ClientToken: ' + 'a drop after forwarding plus the SDK retry launches twice with one token',
  async (t) => {
    const stand = await motoBehindProxy(t);
    if (!stand) return;
    stand.proxy.inject({ action: 'RunInstances', kind: 'drop-after-forwarding', times: 1 });
    // The SDK fills ClientToken itself and resends the same one; AWS would answer with the first machine.
    const launched = await ec2Client(t, stand.proxy.endpoint).send(launch);
    assert.equal(launched.$metadata.attempts, 2);
    const instances = await allInstances(ec2Client(t, stand.moto.endpoint));
    assert.equal(
      instances.length,
      2,
      'if moto ever honours ClientToken, this becomes 1 and the tests of dlrun can rely on it',
    );
    assert.equal(new Set(instances.map((instance) => instance.ClientToken)).size, 1);
  },
);

test(
  'with honourClientTokens, a retried or concurrent RunInstances with one token launches once, ' + 'as EC2 does',
  async (t) => {
    const stand = await motoBehindProxy(t, { honourClientTokens: true });
    if (!stand) return;
    stand.proxy.inject({ action: 'RunInstances', kind: 'drop-after-forwarding', times: 1 });
    const ec2 = ec2Client(t, stand.proxy.endpoint);
    const retried = await ec2.send(launch);
    assert.equal(retried.$metadata.attempts, 2);
    const withToken = new RunInstancesCommand({ ...launch.input, ClientToken: 'job-2-token' });
    const [first, second] = await Promise.all([ec2.send(withToken), ec2.send(withToken)]);
    assert.equal(second.Instances?.[0]?.InstanceId, first.Instances?.[0]?.InstanceId);
    const instances = await allInstances(ec2Client(t, stand.moto.endpoint));
    assert.equal(instances.length, 2, 'one machine per token');
    assert.equal(
      stand.proxy.events().filter((event) => event.action === 'RunInstances' && event.event === 'moto-answered').length,
      4,
      'the repeats are answered from the first launch',
    );
  },
);

test('with honourClientTokens, a RunInstances that failed is not remembered: the retry launches', async (t) => {
  const stand = await motoBehindProxy(t, { honourClientTokens: true });
  if (!stand) return;
  const invalid = new RunInstancesCommand({
    ...launch.input,
    SecurityGroupIds: ['sg-00000000000000000'],
    ClientToken: 'job-3-token',
  });
  await assert.rejects(ec2Client(t, stand.proxy.endpoint, { maxAttempts: 1 }).send(invalid));
  const valid = await ec2Client(t, stand.proxy.endpoint).send(
    new RunInstancesCommand({ ...launch.input, ClientToken: 'job-3-token' }),
  );
  assert.equal(valid.Instances?.length, 1);
  assert.equal((await allInstances(ec2Client(t, stand.moto.endpoint))).length, 1);
});

test('a connection dropped before forwarding never reaches moto', async (t) => {
  const stand = await motoBehindProxy(t);
  if (!stand) return;
  stand.proxy.inject({ action: 'RunInstances', kind: 'drop-before-forwarding', times: 1 });
  await assert.rejects(ec2Client(t, stand.proxy.endpoint, { maxAttempts: 1 }).send(launch), { code: 'ECONNRESET' });
  assert.deepEqual(await allInstances(ec2Client(t, stand.moto.endpoint)), []);
  assert.deepEqual(
    stand.proxy.events().map((event) => event.event),
    ['received', 'dropped'],
  );
});

test(
  'a delayed answer arrives after a later request was answered, ' + 'though moto had already done the work',
  async (t) => {
    const stand = await motoBehindProxy(t);
    if (!stand) return;
    const { proxy } = stand;
    const ec2 = ec2Client(t, proxy.endpoint, { maxAttempts: 1 });
    proxy.inject({ action: 'DescribeInstances', kind: 'delay', times: 1, delayMs: 2_000 });
    const order: string[] = [];
    const slow = ec2.send(new DescribeInstancesCommand({})).then(() => order.push('DescribeInstances'));
    await proxy.waitForEvent((event) => event.action === 'DescribeInstances' && event.event === 'moto-answered');
    await ec2.send(new DescribeAvailabilityZonesCommand({})).then(() => order.push('DescribeAvailabilityZones'));
    await slow;
    assert.deepEqual(order, ['DescribeAvailabilityZones', 'DescribeInstances']);
    assert.deepEqual(
      proxy.events().map((event) => `${event.action} ${event.event}`),
      [
        'DescribeInstances received',
        'DescribeInstances moto-answered',
        'DescribeAvailabilityZones received',
        'DescribeAvailabilityZones moto-answered',
        'DescribeAvailabilityZones answered',
        'DescribeInstances answered',
      ],
    );
  },
);

test('S3 requests match by method and path: one SlowDown on the upload, which the SDK retries', async (t) => {
  const stand = await motoBehindProxy(t);
  if (!stand) return;
  const s3 = s3Client(t, stand.proxy.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: 'dlrun-staging' }));
  stand.proxy.inject({ method: 'PUT', path: /^\/dlrun-staging\/jobs\//, kind: 'throttle', times: 1 });
  const put = await s3.send(
    new PutObjectCommand({ Bucket: 'dlrun-staging', Key: 'jobs/job-1/workdir.tar.gz', Body: 'bytes' }),
  );
  assert.equal(put.$metadata.attempts, 2);
  assert.equal(stand.proxy.requests({ method: 'PUT', path: '/dlrun-staging/jobs/job-1/workdir.tar.gz' }), 2);
  // The SDK addresses a bucket with a trailing slash: CreateBucket is "PUT /dlrun-staging/".
  assert.equal(stand.proxy.requests('PUT /dlrun-staging/'), 1, 'CreateBucket is counted apart');
  const got = await s3.send(new GetObjectCommand({ Bucket: 'dlrun-staging', Key: 'jobs/job-1/workdir.tar.gz' }));
  assert.equal(await got.Body?.transformToString(), 'bytes');
});

test('JSON-protocol services get their own error shape: Cost Explorer throttled', async (t) => {
  const stand = await motoBehindProxy(t);
  if (!stand) return;
  stand.proxy.inject({ service: 'ce', kind: 'throttle', times: 1 });
  const costs = new CostExplorerClient({ ...awsClientConfig(stand.proxy.endpoint), maxAttempts: 1 });
  defer(t, () => costs.destroy());
  const ask = new GetCostAndUsageCommand({
    TimePeriod: { Start: '2026-11-01', End: '2026-11-02' },
    Granularity: 'DAILY',
    Metrics: ['UnblendedCost'],
  });
  await assert.rejects(costs.send(ask), { name: 'ThrottlingException' });
  assert.ok((await costs.send(ask)).ResultsByTime);
  assert.equal(stand.proxy.requests('GetCostAndUsage'), 2);
});

test('clear forgets the rules, the counts and the events', async (t) => {
  const stand = await motoBehindProxy(t);
  if (!stand) return;
  const ec2 = ec2Client(t, stand.proxy.endpoint, { maxAttempts: 1 });
  stand.proxy.inject({ action: 'DescribeInstances', kind: 'internal-error', times: Infinity });
  await assert.rejects(ec2.send(new DescribeInstancesCommand({})), { name: 'InternalError' });
  stand.proxy.clear();
  assert.equal(stand.proxy.requests(), 0);
  assert.deepEqual(stand.proxy.events(), []);
  assert.deepEqual((await ec2.send(new DescribeInstancesCommand({}))).Reservations, []);
  assert.equal(stand.proxy.requests('DescribeInstances'), 1);
});

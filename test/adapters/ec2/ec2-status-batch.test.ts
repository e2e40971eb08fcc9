import { asJobId, asLedgerId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { createBackend } from '../../../adapters/ec2/ec2-backend.js';
import { nodeKeys } from '../../../adapters/ec2/ec2-names.js';
import type { JobHandle } from '../../../src/backend/training-backend.js';
import { fleetJobIds, launchFleet, type FleetJob } from '../../standins/ec2-fleet.js';
import { motoForThisFile } from '../../standins/moto-server.js';
import { ec2Client, s3Client } from '../../standins/test-clients.js';
import type { FaultProxy } from '../../standins/fault-proxy.js';
import { proxiedStand } from '../../support/ec2-proxied-stand.js';

const motoFor = motoForThisFile();
const LEDGER = asLedgerId('batch-ledger');
const BUCKET = `dlrun-${LEDGER}-us-east-1`;
/** Long ago enough that a job EC2 does not list is lost, not "not listed yet". */
const SUBMITTED = '2026-11-26T08:00:00.000Z';

/** moto, the proxy in front of it counting what the backend asks, and a context whose requests go through the proxy. */
const stand = (t: TestContext) => proxiedStand(t, motoFor, LEDGER);

function handleOf(job: FleetJob, submittedAt = SUBMITTED): JobHandle {
  return {
    jobId: job.jobId,
    backend: 'ec2',
    externalId: job.instanceId,
    submittedAt,
    details: { region: 'us-east-1', bucket: BUCKET, nodes: 1, stopAfterSeconds: 3600 },
  };
}

/** Reads of objects under the ledger's prefix, as the proxy saw them. */
function objectReads(proxy: FaultProxy, suffix: 'result' | 'markers'): number {
  return proxy.requests({
    method: 'GET',
    path: new RegExp(`^/${BUCKET}/dlrun/${LEDGER}/jobs/[^/]+/nodes/0/${suffix}$`),
  });
}

test('1,000 jobs: one status each, in order, from at most 2 DescribeInstances; another ledger is never reported', {
  timeout: 300_000,
}, async (t) => {
  const setUp = await stand(t);
  if (!setUp) return;
  const { moto, proxy, context } = setUp;
  // Launched straight at moto: only what status asks goes through the proxy.
  const ec2 = ec2Client(t, moto.endpoint);
  // Older jobs of the same ledger that status is not asked about, launched first: moto lists reservations in launch
  // order, so they push the last 20 of the 1,000 onto a second page, which status must read to see them.
  await launchFleet(ec2, { ledgerId: LEDGER, jobIds: fleetJobIds(20, 'older') });
  const jobs = await launchFleet(ec2, { ledgerId: LEDGER, jobIds: fleetJobIds(1000) });
  // Another ledger (a colleague's) with the SAME job ids, ended: seen by status, they would change these jobs' states.
  const theirs = await launchFleet(ec2, {
    ledgerId: asLedgerId('another-ledger'),
    jobIds: jobs.slice(0, 30).map((job) => job.jobId),
  });
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: theirs.map((job) => job.instanceId) }));
  const firstPage = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: 'tag:dlrun-ledger', Values: [LEDGER] }], MaxResults: 1000 }),
  );
  assert.ok(firstPage.NextToken, 'the premise: this ledger does not fit in one page, so status must follow NextToken');
  const onFirstPage = new Set(
    (firstPage.Reservations ?? [])
      .flatMap((reservation) => reservation.Instances ?? [])
      .map((instance) => instance.InstanceId),
  );
  assert.ok(
    jobs.some((job) => !onFirstPage.has(job.instanceId)),
    'the premise: some of the 1,000 are only on the second page',
  );

  // The order status is asked in is not the order of launch.
  const handles = [...jobs].reverse().map((job) => handleOf(job));
  // moto takes 5-9 s to answer one DescribeInstances of 1,000 tagged instances (real EC2: well under a second);
  // past the default 8 s read deadline the SDK would retry, and under load give up, on moto's slowness alone.
  const patient = { ...context, env: { ...context.env, DLRUN_NETWORK_TIMEOUT_MS: '120000' } };
  const statuses = await createBackend().status(handles, patient);

  assert.equal(statuses.length, handles.length);
  statuses.forEach((status, index) => {
    const job = jobs[jobs.length - 1 - index]!;
    assert.equal(status.jobId, job.jobId, `status ${index} is for the handle at ${index}`);
    assert.equal(status.state, 'running', `${job.jobId}: ${status.providerState}`);
    assert.equal(status.providerState, `${job.instanceId}: running`, "its own instance only, never another ledger's");
  });
  assert.ok(
    proxy.requests('DescribeInstances') <= 2,
    `${proxy.requests('DescribeInstances')} DescribeInstances for 1,000 jobs`,
  );
  // Over 25 jobs, running ones get no S3 read at all: their phases wait for `dlrun status JOB` or their end.
  assert.equal(proxy.requests({ service: 's3' }), 0);
});

test('over 25 jobs: S3 is read only for jobs whose machine ended (result, then markers), and they end by it', {
  timeout: 120_000,
}, async (t) => {
  const setUp = await stand(t);
  if (!setUp) return;
  const { moto, proxy, context } = setUp;
  const ec2 = ec2Client(t, moto.endpoint);
  const s3 = s3Client(t, moto.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const jobs = await launchFleet(ec2, { ledgerId: LEDGER, jobIds: fleetJobIds(40) });
  const [finished, cancelled] = [jobs.slice(0, 3), jobs.slice(3, 5)];
  // Markers and results by the machines' clock, between their launch and their end (dlrun believes no other time).
  const machineNow = Math.floor(Date.now() / 1000);
  await ec2.send(
    new TerminateInstancesCommand({ InstanceIds: [...finished, ...cancelled].map((job) => job.instanceId) }),
  );
  for (const job of finished) {
    const keys = nodeKeys(LEDGER, job.jobId, 0);
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: keys.result,
        Body: [
          'state=succeeded',
          'exit_code=0',
          'reason=the job finished',
          `ended_at=${new Date(machineNow * 1000).toISOString()}`,
          '',
        ].join('\n'),
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: keys.markers,
        Body: `${machineNow} phase setup\n${machineNow} phase run\n`,
      }),
    );
  }
  // Markers of a running job are there too, but with 40 jobs they are not read.
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: nodeKeys(LEDGER, jobs[10]!.jobId, 0).markers,
      Body: '1795683600 phase setup\n',
    }),
  );

  const statuses = await createBackend().status(
    jobs.map((job) => handleOf(job)),
    context,
  );

  assert.deepEqual(
    statuses.slice(0, 5).map((status) => status.state),
    ['succeeded', 'succeeded', 'succeeded', 'cancelled', 'cancelled'],
  );
  assert.deepEqual(
    statuses[0]!.phaseStartedAt?.run,
    new Date(machineNow * 1000).toISOString(),
    'an ended job gets its phases from its markers',
  );
  assert.ok(statuses.slice(5).every((status) => status.state === 'running' && status.phase === undefined));
  assert.equal(
    objectReads(proxy, 'result'),
    5,
    'a result read for each job whose machine ended, none for running ones',
  );
  assert.equal(objectReads(proxy, 'markers'), 3, 'markers only where a result was found');
  assert.equal(proxy.requests({ service: 's3' }), 8);
});

test('up to 25 jobs: the markers of running jobs are read and give their phase', { timeout: 120_000 }, async (t) => {
  const setUp = await stand(t);
  if (!setUp) return;
  const { moto, proxy, context } = setUp;
  const s3 = s3Client(t, moto.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const jobs = await launchFleet(ec2Client(t, moto.endpoint), { ledgerId: LEDGER, jobIds: fleetJobIds(25) });
  // By the machine's clock, after its launch (dlrun believes no earlier time).
  const machineNow = Math.floor(Date.now() / 1000);
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: nodeKeys(LEDGER, jobs[0]!.jobId, 0).markers,
      Body: `${machineNow} phase setup\n${machineNow} phase run\n`,
    }),
  );

  const statuses = await createBackend().status(
    jobs.map((job) => handleOf(job)),
    context,
  );

  assert.equal(statuses[0]!.phase, 'run');
  assert.equal(statuses[0]!.phaseStartedAt?.setup, new Date(machineNow * 1000).toISOString());
  assert.ok(
    statuses.slice(1).every((status) => status.state === 'running' && status.phase === 'provisioning'),
    'no markers yet: running, and still starting (the bootstrap has not reached the setup)',
  );
  assert.equal(objectReads(proxy, 'markers'), 25);
  assert.equal(objectReads(proxy, 'result'), 0);
  assert.equal(proxy.requests('DescribeInstances'), 1);
});

test('a job EC2 does not list is provisioning just after its submit, and lost long after', {
  timeout: 60_000,
}, async (t) => {
  const setUp = await stand(t);
  if (!setUp) return;
  const { proxy, context } = setUp;
  const justSubmitted = { jobId: asJobId('new-20261126-0800-0001'), instanceId: 'i-0123456789abcdef0' };
  const longGone = { jobId: asJobId('gone-20261126-0800-0002'), instanceId: 'i-0123456789abcdef1' };
  const statuses = await createBackend().status(
    [handleOf(justSubmitted, new Date().toISOString()), handleOf(longGone, SUBMITTED)],
    context,
  );
  assert.deepEqual(
    statuses.map((status) => status.state),
    ['provisioning', 'lost'],
  );
  assert.equal(statuses[0]!.providerState, 'not listed yet');
  // No instance: the result is looked for (it outlives the instance in S3), and there is none.
  assert.equal(objectReads(proxy, 'result'), 2);
});

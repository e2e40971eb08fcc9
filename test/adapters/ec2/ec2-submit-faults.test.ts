import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ListBucketsCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { test, type TestContext } from 'vitest';
import { defer } from '../../support/cleanup.js';
import { createBackend } from '../../../adapters/ec2/ec2-backend.js';
import { asLedgerId, newJobId } from '../../../src/backend/job-id.js';
import { writeJob } from '../../support/job-files.js';
import {
  assertUserFailure,
  ec2Env,
  ec2Job,
  ec2JobYaml,
  instancesOfJob,
  isLive,
  statusJobs,
  type JobRecordJson,
} from '../../support/ec2-cli.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { startFaultProxy, type FaultRule } from '../../standins/fault-proxy.js';
import { motoForThisFile, skipOrFailWithoutMoto, type MotoServer } from '../../standins/moto-server.js';
import { ec2Client, s3Client } from '../../standins/test-clients.js';

const moto = motoForThisFile();

/** The staged workdir's upload (the SDK sends PutObject as PUT /bucket/key). */
const WORKDIR_PUT = { method: 'PUT', path: /\/workdirs\/[0-9a-f]+\.tar\.gz$/ } as const;

/**
 * Faults the SDK's own retries (3 attempts) or dlrun's launch lookup get past: each submit must end with exactly
 * one machine for the job, and the ledger must name it.
 */
const SURVIVABLE: readonly (FaultRule & { readonly name: string })[] = [
  { name: 'RunInstances throttled twice', action: 'RunInstances', kind: 'throttle', times: 2 },
  { name: 'RunInstances 503', action: 'RunInstances', kind: 'unavailable', times: 1 },
  { name: 'RunInstances 500', action: 'RunInstances', kind: 'internal-error', times: 1 },
  { name: 'RunInstances dropped before moto', action: 'RunInstances', kind: 'drop-before-forwarding', times: 1 },
  { name: 'RunInstances dropped after moto launched', action: 'RunInstances', kind: 'drop-after-forwarding', times: 1 },
  { name: 'RunInstances answered late', action: 'RunInstances', kind: 'delay', delayMs: 3_000, times: 1 },
  { name: 'DescribeInstances throttled twice', action: 'DescribeInstances', kind: 'throttle', times: 2 },
  { name: 'DescribeInstances 503', action: 'DescribeInstances', kind: 'unavailable', times: 1 },
  {
    name: 'DescribeInstances dropped after moto',
    action: 'DescribeInstances',
    kind: 'drop-after-forwarding',
    times: 1,
  },
  { name: 'workdir upload throttled twice', ...WORKDIR_PUT, kind: 'throttle', times: 2 },
  { name: 'workdir upload 500', ...WORKDIR_PUT, kind: 'internal-error', times: 1 },
  { name: 'workdir upload dropped after moto', ...WORKDIR_PUT, kind: 'drop-after-forwarding', times: 1 },
  { name: 'workdir upload answered late', ...WORKDIR_PUT, kind: 'delay', delayMs: 2_000, times: 1 },
];

/** The one job of the ledger, as `dlrun status --json` (asked of moto directly, without faults) shows it. */
async function onlyJob(home: string, server: MotoServer): Promise<JobRecordJson> {
  const jobs = await statusJobs(home, ec2Env(server.endpoint));
  assert.equal(jobs.length, 1, `one ledger row: ${JSON.stringify(jobs)}`);
  return jobs[0]!;
}

async function submitThrough(t: TestContext, server: MotoServer, rule: FaultRule, honourClientTokens: boolean) {
  const proxy = await startFaultProxy(server.endpoint, { honourClientTokens });
  defer(t, () => proxy.close());
  proxy.inject(rule);
  const home = tempDir(t);
  const submitted = await runCli(['submit', '--backend', 'ec2', ec2Job(t), '--json'], {
    cwd: home,
    home,
    env: ec2Env(proxy.endpoint),
    timeoutMs: 90_000,
  });
  return { home, submitted, proxy };
}

for (const rule of SURVIVABLE) {
  test(`submit gets past a fault: ${rule.name}; one machine, recorded once`, { timeout: 120_000 }, async (t) => {
    if (!skipOrFailWithoutMoto(t)) return;
    const server = moto(t)!;
    const { home, submitted, proxy } = await submitThrough(t, server, rule, true);
    assert.equal(submitted.code, 0, submitted.stderr);
    assert.ok(
      proxy.events().some((event) => event.fault === rule.kind),
      'the fault was injected',
    );
    const record = JSON.parse(submitted.stdout) as JobRecordJson;
    const machines = await instancesOfJob(ec2Client(t, server.endpoint), record.job_id);
    assert.equal(machines.length, 1, `exactly one instance for ${record.job_id}`);
    assert.equal(record.external_id, machines[0]!.InstanceId);
    const job = await onlyJob(home, server);
    assert.equal(job.job_id, record.job_id);
    assert.equal(job.external_id, machines[0]!.InstanceId);
    assert.ok(['provisioning', 'running'].includes(job.state), `a live machine is an active job: ${job.state}`);
  });
}

test('a launch whose answer is lost is found by its tag before any retry, ' +
  'even where EC2 would not honour the ClientToken', {
  timeout: 120_000,
}, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  // moto behind this proxy launches again for a repeated token: only dlrun's own look-up by tag stops a second machine.
  const { home, submitted } = await submitThrough(
    t,
    server,
    { action: 'RunInstances', kind: 'drop-after-forwarding', times: 1 },
    false,
  );
  assert.equal(submitted.code, 0, submitted.stderr);
  const record = JSON.parse(submitted.stdout) as JobRecordJson;
  const machines = await instancesOfJob(ec2Client(t, server.endpoint), record.job_id);
  assert.equal(machines.length, 1, 'one machine, not two');
  assert.equal((await onlyJob(home, server)).external_id, machines[0]!.InstanceId);
});

test('RunInstances throttled beyond every retry: a clear refusal, no machine, and a ledger row that says so', {
  timeout: 120_000,
}, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  const { home, submitted } = await submitThrough(
    t,
    server,
    { action: 'RunInstances', kind: 'throttle', times: Infinity },
    true,
  );
  assertUserFailure(submitted, /RequestLimitExceeded/);
  const job = await onlyJob(home, server);
  const machines = await instancesOfJob(ec2Client(t, server.endpoint), job.job_id);
  assert.equal(machines.filter(isLive).length, 0, 'nothing left running');
  assert.equal(job.state, 'failed', 'EC2 refused every launch: the job ended');
  assert.equal(job.external_id, null);
});

test('RunInstances answers lost every time: the launch is found by its tag, ' +
  'so submit succeeds with one machine, named in the ledger', {
  timeout: 120_000,
}, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  // moto launches each time and the answer never arrives; the look-up by tag after the first loss finds the machine.
  const { home, submitted } = await submitThrough(
    t,
    server,
    { action: 'RunInstances', kind: 'drop-after-forwarding', times: Infinity },
    true,
  );
  assert.equal(submitted.code, 0, submitted.stderr);
  const job = await onlyJob(home, server);
  const machines = await instancesOfJob(ec2Client(t, server.endpoint), job.job_id);
  assert.equal(machines.length, 1, 'never two machines for one job');
  assert.ok(isLive(machines[0]!));
  assert.equal(job.external_id, machines[0]!.InstanceId);
  assert.equal((JSON.parse(submitted.stdout) as JobRecordJson).external_id, machines[0]!.InstanceId);
  assert.ok(['provisioning', 'running'].includes(job.state), job.state);
});

test('the workdir upload failing beyond every retry: a clear message, no machine, the job ended', {
  timeout: 120_000,
}, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  const { home, submitted } = await submitThrough(
    t,
    server,
    { ...WORKDIR_PUT, kind: 'internal-error', times: Infinity },
    true,
  );
  assertUserFailure(submitted, /uploading the workdir/);
  const job = await onlyJob(home, server);
  assert.equal((await instancesOfJob(ec2Client(t, server.endpoint), job.job_id)).length, 0, 'no machine');
  assert.ok(['failed', 'lost'].includes(job.state), `no machine was asked for: the job ended (${job.state})`);
});

test('the same job submitted again (a retry after a crash) finds its machine by tag: ' +
  'no second one, without ClientToken help', {
  timeout: 60_000,
}, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  // No ClientToken honouring: a second RunInstances would launch again, so only the look-up by tag can prevent it.
  const proxy = await startFaultProxy(server.endpoint);
  defer(t, () => proxy.close());
  const backend = createBackend();
  const context = {
    ledgerId: asLedgerId('repeat-ledger'),
    home: tempDir(t),
    env: { ...ec2Env(proxy.endpoint), PATH: process.env.PATH ?? '/usr/bin:/bin' },
  };
  const { job } = writeJob(tempDir(t), ec2JobYaml());
  const plan = await backend.plan(job, {
    ...context,
    jobId: newJobId(job.name),
    stopAfter: { seconds: 600, reason: 'max_runtime 10m' },
  });
  const first = await backend.submit(plan, { ...context, secrets: {} });
  const again = await backend.submit(plan, { ...context, secrets: {} });
  assert.equal(again.externalId, first.externalId);
  assert.equal((await instancesOfJob(ec2Client(t, server.endpoint), plan.jobId)).length, 1);
  assert.equal(proxy.requests('RunInstances'), 1, 'the repeat never asked for a machine');
});

test('a workdir going up in parts that fails beyond every retry: ' +
  'a clear message, the upload aborted, no machine, the job ended', {
  timeout: 120_000,
}, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  const proxy = await startFaultProxy(server.endpoint, { honourClientTokens: true });
  defer(t, () => proxy.close());
  proxy.inject({ ...WORKDIR_PUT, kind: 'internal-error', times: Infinity });
  const home = tempDir(t);
  // About 11 MiB that does not compress, in parts of S3's smallest size: 3 parts.
  const { jobPath } = writeJob(tempDir(t), ec2JobYaml());
  writeFileSync(path.join(path.dirname(jobPath), 'weights.bin'), randomBytes(11 * 1024 * 1024));
  const submitted = await runCli(['submit', '--backend', 'ec2', jobPath, '--json'], {
    cwd: home,
    home,
    env: ec2Env(proxy.endpoint, { DLRUN_EC2_UPLOAD_PART_BYTES: String(5 * 1024 * 1024) }),
    timeoutMs: 90_000,
  });
  assertUserFailure(submitted, /uploading part 1 of 3 of the workdir/);
  assert.ok(proxy.requests({ method: 'POST', path: WORKDIR_PUT.path }) >= 1, 'a multipart upload was started');
  const job = await onlyJob(home, server);
  assert.equal((await instancesOfJob(ec2Client(t, server.endpoint), job.job_id)).length, 0, 'no machine');
  assert.ok(['failed', 'lost'].includes(job.state), job.state);
  const s3 = s3Client(t, server.endpoint);
  const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets ?? [];
  for (const bucket of buckets) {
    assert.deepEqual(
      (await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket.Name! }))).Uploads ?? [],
      [],
      'the upload was aborted: S3 keeps no parts',
    );
  }
});

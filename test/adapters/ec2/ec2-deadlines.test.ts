// Every AWS request has a deadline: an endpoint that accepts connections and never answers, or drops them, ends a
// command with a clear error (submit) or a warning (status), never a hang. The tests use a short
// DLRUN_NETWORK_TIMEOUT_MS; they assert outcomes and messages, never durations.
import { asJobId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test, type TestContext } from 'vitest';
import { DEFAULT_NETWORK_TIMEOUT_MS, networkTimeoutMs } from '../../../src/backend/network-deadline.js';
import { DlrunError } from '../../../src/base/errors.js';
import type { Ledger } from '../../../src/ledger/ledger.js';
import { assertUserFailure, ec2Env, ec2Job, type JobRecordJson } from '../../support/ec2-cli.js';
import { ec2ProviderDetails } from '../../support/ec2-ledger-jobs.js';
import { writeJob } from '../../support/job-files.js';
import { localJobFolder } from '../../../adapters/local/local-job-folder.js';
import { runCli } from '../../support/run-cli.js';
import { seededHome } from '../../support/seeded-home.js';
import { stopWhenDone } from '../../support/local-jobs.js';
import { tempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';
import { startDeadEndpoint } from '../../standins/dead-endpoint.js';

/** Short, so that three attempts against a silent endpoint take about a second. */
const SHORT = { DLRUN_NETWORK_TIMEOUT_MS: '300' };
/** Kills a hung command, so that a missing deadline fails the test instead of hanging it. */
const HANG_GUARD_MS = 60_000;

const EC2_JOB = asJobId('deadline-ec2-20261126-0001-abcd');

/** A home whose ledger knows one running EC2 job (instance i-0123456789abcdef0). */
async function homeWithRunningEc2Job(t: TestContext): Promise<string> {
  return seededHome(t, async (ledger: Ledger) => {
    const at = new Date(Date.now() - 600_000).toISOString();
    await ledger.createJob({
      jobId: EC2_JOB,
      name: 'deadline-ec2',
      backend: 'ec2',
      jobFile: 'job.yaml',
      spec: {},
      submittedAt: at,
      providerDetails: ec2ProviderDetails(ledger.id),
    });
    await ledger.recordChange(EC2_JOB, {
      at,
      source: 'provider',
      state: 'running',
      providerState: 'running',
      externalId: 'i-0123456789abcdef0',
    });
  });
}

test('submit to an EC2 endpoint that never answers: exit 1 naming the endpoint and the request, ' +
  'with a hint; the job ends failed', {
  timeout: 120_000,
}, async (t) => {
  const silent = await startDeadEndpoint(t, 'silent');
  const home = tempDir(t);
  const env = ec2Env(silent.endpoint, SHORT);
  const submitted = await runCli(['submit', '--backend', 'ec2', ec2Job(t)], {
    cwd: home,
    home,
    env,
    timeoutMs: HANG_GUARD_MS,
  });
  assert.notEqual(submitted.signal, 'SIGKILL', 'submit hung');
  assertUserFailure(
    submitted,
    new RegExp(
      `no answer from EC2 at ${silent.endpoint.replace(/\./g, '\\.')} ` +
        'within 0\\.3 s \\(DescribeInstances, 3 attempts\\)',
    ),
  );
  assert.match(submitted.stderr, /listing the job's EC2 instances/, 'says what dlrun was doing');
  assert.match(submitted.stderr, /hint: .*DLRUN_NETWORK_TIMEOUT_MS/);
  assert.ok(silent.connections() >= 3, `every attempt reached the endpoint (${silent.connections()})`);

  const status = await runCli(['status', '--json'], { cwd: home, home, env, timeoutMs: HANG_GUARD_MS });
  assert.equal(status.code, 0, status.stderr);
  const [job] = (JSON.parse(status.stdout) as { jobs: JobRecordJson[] }).jobs;
  assert.equal(job?.state, 'failed', 'no machine was asked for: the job ended, it is not left submitting');
});

test('submit to an EC2 endpoint that drops every connection: exit 1 saying so', { timeout: 120_000 }, async (t) => {
  const dropping = await startDeadEndpoint(t, 'drop');
  const home = tempDir(t);
  const submitted = await runCli(['submit', '--backend', 'ec2', ec2Job(t)], {
    cwd: home,
    home,
    env: ec2Env(dropping.endpoint, SHORT),
    timeoutMs: HANG_GUARD_MS,
  });
  assert.notEqual(submitted.signal, 'SIGKILL', 'submit hung');
  assertUserFailure(
    submitted,
    new RegExp(
      `EC2 at ${dropping.endpoint.replace(/\./g, '\\.')} ` +
        'closed the connection without answering \\(DescribeInstances, 3 attempts',
    ),
  );
});

test('status with an EC2 endpoint that never answers: the EC2 job as the ledger knew it, a warning; ' +
  'the local job beside it refreshed', {
  timeout: 120_000,
}, async (t) => {
  const silent = await startDeadEndpoint(t, 'silent');
  const home = await homeWithRunningEc2Job(t);
  const env = ec2Env(silent.endpoint, SHORT);
  // A local job that ends at once; the ledger learns it at the next refresh.
  const { jobPath } = writeJob(tempDir(t), 'name: beside\nrun: echo done\n');
  const submitted = await runCli(['submit', jobPath], { cwd: home, home, env, timeoutMs: HANG_GUARD_MS });
  assert.equal(submitted.code, 0, submitted.stderr);
  const localJob = asJobId(submitted.stdout.trim());
  stopWhenDone(t, localJob, home);
  await waitFor(
    `${localJob} to finish`,
    () => (existsSync(localJobFolder(home, localJob).result) ? true : undefined),
    30_000,
  );

  const status = await runCli(['status', '--json'], { cwd: home, home, env, timeoutMs: HANG_GUARD_MS });
  assert.notEqual(status.signal, 'SIGKILL', 'status hung');
  assert.equal(status.code, 0, status.stderr);
  assert.match(
    status.stderr,
    new RegExp(`warning: could not refresh ec2 jobs: .*no answer from EC2 at ${silent.endpoint.replace(/\./g, '\\.')}`),
  );
  const jobs = new Map((JSON.parse(status.stdout) as { jobs: JobRecordJson[] }).jobs.map((job) => [job.job_id, job]));
  assert.equal(jobs.get(localJob)?.state, 'succeeded', 'the local job was refreshed');
  assert.equal(jobs.get(EC2_JOB)?.state, 'running', 'the EC2 job as the ledger knew it');
});

test('status of a local job never contacts a cloud, even with an EC2 job active', { timeout: 120_000 }, async (t) => {
  const silent = await startDeadEndpoint(t, 'silent');
  const home = await homeWithRunningEc2Job(t);
  const env = ec2Env(silent.endpoint, SHORT);
  const { jobPath } = writeJob(tempDir(t), 'name: alone\nrun: echo done\n');
  const submitted = await runCli(['submit', jobPath], { cwd: home, home, env, timeoutMs: HANG_GUARD_MS });
  assert.equal(submitted.code, 0, submitted.stderr);
  const localJob = asJobId(submitted.stdout.trim());
  stopWhenDone(t, localJob, home);
  await waitFor(
    `${localJob} to finish`,
    () => (existsSync(localJobFolder(home, localJob).result) ? true : undefined),
    30_000,
  );

  const status = await runCli(['status', localJob, '--json'], { cwd: home, home, env, timeoutMs: HANG_GUARD_MS });
  assert.equal(status.code, 0, status.stderr);
  assert.doesNotMatch(status.stderr, /warning/);
  assert.equal((JSON.parse(status.stdout) as JobRecordJson).state, 'succeeded');
  assert.equal(silent.connections(), 0, 'the EC2 endpoint was never asked');
});

test(
  'DLRUN_NETWORK_TIMEOUT_MS: unset is the default; a usable value is taken; ' + 'anything else is refused with the fix',
  () => {
    assert.equal(networkTimeoutMs({}), DEFAULT_NETWORK_TIMEOUT_MS);
    assert.equal(networkTimeoutMs({ DLRUN_NETWORK_TIMEOUT_MS: '' }), DEFAULT_NETWORK_TIMEOUT_MS);
    assert.equal(networkTimeoutMs({ DLRUN_NETWORK_TIMEOUT_MS: '2500' }), 2500);
    for (const bad of ['10s', '-1', '0', '99', '1.5', '600001', 'Infinity']) {
      assert.throws(
        () => networkTimeoutMs({ DLRUN_NETWORK_TIMEOUT_MS: bad }),
        (error) =>
          error instanceof DlrunError &&
          error.audience === 'user' &&
          /DLRUN_NETWORK_TIMEOUT_MS/.test(error.message) &&
          error.hint !== undefined,
        bad,
      );
    }
  },
);

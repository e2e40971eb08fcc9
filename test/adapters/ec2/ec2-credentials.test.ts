import assert from 'node:assert/strict';
import { test } from 'vitest';
import {
  assertUserFailure,
  ec2Env,
  ec2Job,
  instancesOfJob,
  statusJobs,
  type JobRecordJson,
} from '../../support/ec2-cli.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { allInstances, ec2Client } from '../../standins/test-clients.js';
import { motoForThisFile, skipOrFailWithoutMoto } from '../../standins/moto-server.js';

const moto = motoForThisFile();

test('credentials AWS rejects: submit says so and how to fix it, and starts no machine', {
  timeout: 60_000,
}, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  await server.failAuth();
  const home = tempDir(t);
  const env = ec2Env(server.endpoint);
  const submitted = await runCli(['submit', '--backend', 'ec2', ec2Job(t), '--json'], {
    cwd: home,
    home,
    env,
    timeoutMs: 60_000,
  });
  assertUserFailure(submitted, /credentials.*AuthFailure/);
  assert.match(submitted.stderr, /aws configure/);
  assert.match(submitted.stderr, /AWS_PROFILE/);
  await server.restoreAuth();
  assert.equal((await allInstances(ec2Client(t, server.endpoint))).length, 0, 'no machine');
  // Whatever row submit wrote says the job never ran, and stays so when status can ask EC2 again.
  for (const job of await statusJobs(home, env)) assert.equal(job.state, 'failed', JSON.stringify(job));
});

test('status of an EC2 job while AWS rejects the credentials: a clear warning, the job as last known, no crash', {
  timeout: 60_000,
}, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  const home = tempDir(t);
  const env = ec2Env(server.endpoint);
  const submitted = await runCli(['submit', '--backend', 'ec2', ec2Job(t), '--json'], {
    cwd: home,
    home,
    env,
    timeoutMs: 60_000,
  });
  assert.equal(submitted.code, 0, submitted.stderr);
  const launched = JSON.parse(submitted.stdout) as JobRecordJson;
  await server.failAuth();
  for (const args of [['status', '--json'], ['status', launched.job_id, '--json'], ['status']]) {
    const shown = await runCli(args, { cwd: home, home, env, timeoutMs: 60_000 });
    assert.equal(shown.code, 0, `${args.join(' ')}: ${shown.stderr}`);
    assert.match(
      shown.stderr,
      /warning: could not refresh ec2 jobs: .*AWS rejected the credentials \(AuthFailure/,
      args.join(' '),
    );
    assert.match(shown.stderr, /aws configure/, 'the warning says how to fix it');
    assert.doesNotMatch(shown.stderr, /\n\s+at |internal error/);
    assert.match(shown.stdout, new RegExp(launched.job_id));
  }
  const [job] = await statusJobs(home, env);
  assert.equal(job?.state, launched.state, 'the job as the ledger last knew it, not written off');
  assert.equal(job?.external_id, launched.external_id);
});

/** Keys exported from a session (aws sso, assume-role) that expire in 30 minutes. */
function sessionEnv(endpoint: string): Record<string, string> {
  return ec2Env(endpoint, {
    AWS_SESSION_TOKEN: 'session-token',
    AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 30 * 60_000).toISOString(),
  });
}

test('temporary credentials that expire before the job could end: ' +
  'submit refuses with the fix, launches nothing, writes no job', {
  timeout: 60_000,
}, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  const home = tempDir(t);
  const submitted = await runCli(['submit', '--backend', 'ec2', ec2Job(t, '4h'), '--json'], {
    cwd: home,
    home,
    env: sessionEnv(server.endpoint),
    timeoutMs: 60_000,
  });
  assertUserFailure(submitted, /credentials are temporary and expire/);
  assert.match(submitted.stderr, /hint: .*(long-lived credentials|longer session|max_runtime)/);
  assert.equal((await allInstances(ec2Client(t, server.endpoint))).length, 0, 'no machine');
  assert.deepEqual(await statusJobs(home, ec2Env(server.endpoint)), [], 'no ledger row for a job that never started');
});

test('temporary credentials that outlast a short job: submit goes ahead', { timeout: 60_000 }, async (t) => {
  if (!skipOrFailWithoutMoto(t)) return;
  const server = moto(t)!;
  const home = tempDir(t);
  const submitted = await runCli(['submit', '--backend', 'ec2', ec2Job(t, '10m'), '--json'], {
    cwd: home,
    home,
    env: sessionEnv(server.endpoint),
    timeoutMs: 60_000,
  });
  assert.equal(submitted.code, 0, submitted.stderr);
  const record = JSON.parse(submitted.stdout) as JobRecordJson;
  const machines = await instancesOfJob(ec2Client(t, server.endpoint), record.job_id);
  assert.equal(machines.length, 1);
  assert.equal(record.external_id, machines[0]!.InstanceId);
});

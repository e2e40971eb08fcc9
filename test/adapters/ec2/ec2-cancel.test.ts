// dlrun cancel on EC2: the recorded instances and the tagged ones are terminated, and a cancel that could not stop
// the job says so and exits 1 (never "cancelled" when nothing was stopped).
import { asJobId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import { RunInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { JOB_ID_TAG, LEDGER_TAG } from '../../../src/backend/tags.js';
import type { Ledger } from '../../../src/ledger/ledger.js';
import { defer } from '../../support/cleanup.js';
import { assertUserFailure, ec2Env, statusJobs } from '../../support/ec2-cli.js';
import { ec2ProviderDetails } from '../../support/ec2-ledger-jobs.js';
import { eventsOf } from '../../support/local-jobs.js';
import { runCli } from '../../support/run-cli.js';
import { seededHome } from '../../support/seeded-home.js';
import { startDeadEndpoint } from '../../standins/dead-endpoint.js';
import { startFaultProxy } from '../../standins/fault-proxy.js';
import { motoForThisFile } from '../../standins/moto-server.js';
import { allInstances, ec2Client, TEST_IMAGE } from '../../standins/test-clients.js';

const motoFor = motoForThisFile();
const JOB = asJobId('cancel-me-20261126-0001-abcd');
/** An id of the right form that EC2 does not know (an instance terminated long ago). */
const FORGOTTEN = 'i-0aaaaaaaaaaaaaaaa';

/** An instance of the job, with the job's tags, or with none at all (EC2 lists tags a moment after a launch). */
async function launch(ec2: EC2Client, ledgerId: string | undefined): Promise<string> {
  const tags = ledgerId
    ? [
        {
          ResourceType: 'instance' as const,
          Tags: [
            { Key: LEDGER_TAG, Value: ledgerId },
            { Key: JOB_ID_TAG, Value: JOB },
          ],
        },
      ]
    : undefined;
  const launched = await ec2.send(
    new RunInstancesCommand({
      ImageId: TEST_IMAGE,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      ...(tags ? { TagSpecifications: tags } : {}),
    }),
  );
  return launched.Instances![0]!.InstanceId!;
}

/** A home whose ledger knows the job as running on the instances `ids` return, submitted just now. */
async function homeWithJob(
  t: TestContext,
  ids: (ledgerId: string) => Promise<string[]>,
): Promise<{ home: string; instanceIds: string[] }> {
  let instanceIds: string[] = [];
  const home = await seededHome(t, async (ledger: Ledger) => {
    instanceIds = await ids(ledger.id);
    const at = new Date().toISOString();
    await ledger.createJob({
      jobId: JOB,
      name: 'cancel-me',
      backend: 'ec2',
      jobFile: 'job.yaml',
      spec: {},
      submittedAt: at,
      providerDetails: ec2ProviderDetails(ledger.id),
    });
    await ledger.recordChange(JOB, {
      at,
      source: 'provider',
      state: 'provisioning',
      providerState: 'launched',
      externalId: instanceIds.join(','),
      message: 'launched',
    });
  });
  return { home, instanceIds };
}

async function stateOf(ec2: EC2Client, id: string): Promise<string | undefined> {
  return (await allInstances(ec2)).find((instance: Instance) => instance.InstanceId === id)?.State?.Name;
}

const ENDED = ['shutting-down', 'terminated'];

test('a job whose instance carries no tags (yet) is stopped by its recorded id', { timeout: 120_000 }, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const ec2 = ec2Client(t, moto.endpoint);
  const { home, instanceIds } = await homeWithJob(t, async () => [await launch(ec2, undefined)]);
  const cancelled = await runCli(['cancel', JOB], { cwd: home, home, env: ec2Env(moto.endpoint) });
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.ok(ENDED.includes((await stateOf(ec2, instanceIds[0]!)) ?? ''), 'the untagged instance was terminated');
});

test('recorded ids EC2 no longer knows are left out; the others, tagged or not, are terminated', {
  timeout: 120_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const ec2 = ec2Client(t, moto.endpoint);
  let tagged = '';
  const { home, instanceIds } = await homeWithJob(t, async (ledgerId) => {
    tagged = await launch(ec2, ledgerId);
    return [FORGOTTEN, await launch(ec2, undefined)];
  });
  const cancelled = await runCli(['cancel', JOB], { cwd: home, home, env: ec2Env(moto.endpoint) });
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.ok(ENDED.includes((await stateOf(ec2, instanceIds[1]!)) ?? ''), 'the recorded instance was terminated');
  assert.ok(
    ENDED.includes((await stateOf(ec2, tagged)) ?? ''),
    'the tagged instance the ledger did not record was terminated',
  );
});

test('a refused terminate (UnauthorizedOperation): exit 1 saying so, ' +
  'the machine still running, the job not cancelled', {
  timeout: 120_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const proxy = await startFaultProxy(moto.endpoint);
  defer(t, () => proxy.close());
  const ec2 = ec2Client(t, moto.endpoint);
  const { home, instanceIds } = await homeWithJob(t, async (ledgerId) => [await launch(ec2, ledgerId)]);
  proxy.inject({ action: 'TerminateInstances', kind: 'unauthorized', times: Infinity });
  const env = ec2Env(proxy.endpoint);
  const cancelled = await runCli(['cancel', JOB], { cwd: home, home, env });
  assertUserFailure(
    cancelled,
    new RegExp(
      `could not cancel ${JOB}: terminating ${instanceIds[0]}: ` +
        'your AWS credentials may not do this \\(UnauthorizedOperation',
    ),
  );
  assert.doesNotMatch(cancelled.stderr, /cancelled/);
  assert.equal(await stateOf(ec2, instanceIds[0]!), 'running');
  proxy.clear();
  const [job] = await statusJobs(home, env);
  assert.ok(job && !['cancelled', 'failed'].includes(job.state), `the job still runs: ${job?.state}`);
  assert.ok(
    (await eventsOf(JOB, home)).some((event) => /could not stop the job/.test(event.message ?? '')),
    'the ledger says the cancel failed',
  );
});

test('an EC2 that cannot be asked: exit 1, never "cancelled"', { timeout: 120_000 }, async (t) => {
  const silent = await startDeadEndpoint(t, 'silent');
  const { home } = await homeWithJob(t, async () => ['i-0bbbbbbbbbbbbbbbb']);
  const cancelled = await runCli(['cancel', JOB], {
    cwd: home,
    home,
    env: ec2Env(silent.endpoint, { DLRUN_NETWORK_TIMEOUT_MS: '300' }),
    timeoutMs: 60_000,
  });
  assertUserFailure(cancelled, new RegExp(`could not cancel ${JOB}: .*no answer from EC2 at`));
});

test('the tag search failing: the recorded machine is still terminated, ' +
  'and cancel exits 1 saying what it could not look for', {
  timeout: 120_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const proxy = await startFaultProxy(moto.endpoint);
  defer(t, () => proxy.close());
  const ec2 = ec2Client(t, moto.endpoint);
  const { home, instanceIds } = await homeWithJob(t, async (ledgerId) => [await launch(ec2, ledgerId)]);
  proxy.inject({ action: 'DescribeInstances', kind: 'unauthorized', times: Infinity });
  const cancelled = await runCli(['cancel', JOB], { cwd: home, home, env: ec2Env(proxy.endpoint) });
  assertUserFailure(
    cancelled,
    new RegExp(
      `${instanceIds[0]} \\(the machines the ledger recorded\\) is shutting down, ` +
        `but other machines of job ${JOB} could not be looked for`,
    ),
  );
  assert.ok(ENDED.includes((await stateOf(ec2, instanceIds[0]!)) ?? ''), 'the recorded instance was terminated');
});

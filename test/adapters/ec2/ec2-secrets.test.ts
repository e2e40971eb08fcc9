import { DescribeInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../../../src/config.js';
import { openExistingLedger } from '../../../src/ledger/open-ledger.js';
import { defer } from '../../support/cleanup.js';
import { writeJob } from '../../support/job-files.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { startMachineSimulator } from '../../standins/ec2-machine-simulator.js';
import { motoForThisFile } from '../../standins/moto-server.js';
import { allInstances, ec2Client, s3Client } from '../../standins/test-clients.js';
import { mockPlacementGroups } from '../../standins/ec2-client-mocks.js';
import { startFaultProxy } from '../../standins/fault-proxy.js';
import { ec2Env, ec2JobYaml } from '../../support/ec2-cli.js';
import { BOOT_WINDOW_SECONDS } from '../../../adapters/ec2/ec2-requests.js';
import type { EC2Client } from '@aws-sdk/client-ec2';

const motoFor = motoForThisFile();
const SECRET = 'wandb-0123456789abcdef-do-not-leak';

test('a secret reaches the job, and nowhere else: not in user data, the ledger, the log, nor any object left in S3', {
  timeout: 120_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const simulator = await startMachineSimulator(moto.endpoint);
  defer(t, () => simulator.stop());
  const home = tempDir(t);
  const { jobPath } = writeJob(
    tempDir(t),
    ec2JobYaml('10m', [
      'name: secret-job',
      'secrets: [WANDB_API_KEY]',
      'run: |',
      '  echo "the key has ${#WANDB_API_KEY} characters"',
      // The job proves it has the value without the test writing the value into the job (its text is staged).
      '  printf %s "$WANDB_API_KEY" | sha256sum',
    ]),
  );
  const env = ec2Env(moto.endpoint, { WANDB_API_KEY: SECRET });
  const submitted = await runCli(['submit', '--backend', 'ec2', jobPath, '--wait', '--json'], { cwd: home, home, env });
  assert.equal(submitted.code, 0, submitted.stderr);
  assert.equal((JSON.parse(submitted.stdout) as { state: string }).state, 'succeeded');
  const jobId = (JSON.parse(submitted.stdout) as { job_id: string }).job_id;

  const logs = await runCli(['logs', jobId], { cwd: home, home, env });
  assert.match(
    logs.stdout,
    new RegExp(`the key has ${SECRET.length} characters\\n${createHash('sha256').update(SECRET).digest('hex')}`),
  );
  assert.ok(!logs.stdout.includes(SECRET));

  const [instance] = await allInstances(ec2Client(t, moto.endpoint));
  const attribute = await ec2Client(t, moto.endpoint).send(
    new DescribeInstanceAttributeCommand({ InstanceId: instance!.InstanceId!, Attribute: 'userData' }),
  );
  let userData = Buffer.from(attribute.UserData?.Value ?? '', 'base64');
  if (userData[0] === 0x1f && userData[1] === 0x8b) userData = gunzipSync(userData);
  assert.ok(userData.length > 0);
  assert.ok(!userData.toString('utf8').includes(SECRET), 'not in user data');
  assert.ok(
    !/AKIA|aws_secret_access_key|AWS_SECRET_ACCESS_KEY/.test(userData.toString('utf8')),
    'no AWS keys in user data',
  );

  const s3 = s3Client(t, moto.endpoint);
  const bucket = `dlrun-${await ledgerIdOf(home)}-us-east-1`;
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const keys = (listed.Contents ?? []).map((object) => object.Key!);
  assert.ok(
    keys.some((key) => key.endsWith('/output.log')),
    `the log was uploaded: ${keys.join(', ')}`,
  );
  assert.ok(!keys.some((key) => key.includes('secrets')), 'the machine deleted its secrets object after reading it');
  for (const key of keys) {
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
    const text = key.endsWith('.tar.gz') ? gunzipSync(body).toString('latin1') : Buffer.from(body).toString('utf8');
    assert.ok(!text.includes(SECRET), `${key} does not hold the secret`);
  }
  for (const file of readdirSync(home).filter((name) => name.startsWith('ledger.db'))) {
    assert.ok(!readFileSync(path.join(home, file)).toString('latin1').includes(SECRET), `not in ${file}`);
  }
});

/** The ledger's id names the bucket dlrun created. */
async function ledgerIdOf(home: string): Promise<string> {
  const ledger = await openExistingLedger(loadConfig({ DLRUN_HOME: home }, home));
  assert.ok(ledger);
  try {
    return ledger.id;
  } finally {
    await ledger.close();
  }
}

/** The user data of an instance, as anyone allowed DescribeInstanceAttribute (or a process on the machine) reads it. */
async function userDataOf(ec2: EC2Client, instanceId: string): Promise<string> {
  const attribute = await ec2.send(
    new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }),
  );
  let userData = Buffer.from(attribute.UserData?.Value ?? '', 'base64');
  if (userData[0] === 0x1f && userData[1] === 0x8b) userData = gunzipSync(userData);
  return userData.toString('utf8');
}

/** Every URL of a script's single-quoted assignment (`name='url'` or `name=('url' ...)`). */
function urlsIn(script: string, name: string): string[] {
  const line = script.split('\n').find((candidate) => candidate.startsWith(`${name}=`));
  assert.ok(line, `${name} is in the script`);
  return [...line.matchAll(/'(https?:[^']+)'/g)].map((match) => match[1]!);
}

/** How long a presigned URL lives after it was signed, and when it was signed (SigV4 query parameters). */
function lifetimeOf(url: string): { seconds: number; signedAt: number } {
  const query = new URL(url).searchParams;
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  assert.ok(date, `a signed date in ${url}`);
  return {
    seconds: Number(query.get('X-Amz-Expires')),
    signedAt: Date.UTC(
      Number(date[1]),
      Number(date[2]) - 1,
      Number(date[3]),
      Number(date[4]),
      Number(date[5]),
      Number(date[6]),
    ),
  };
}

const SECRET_JOB = ['name: window', 'secrets: [WANDB_API_KEY]', 'run: echo "the key has ${#WANDB_API_KEY} characters"'];

test('what the user data leads to lives only for the boot window: ' +
  'the bootstrap, its deletion, the secrets and the workdir', {
  timeout: 120_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  // No machine boots here: the test reads the user data and follows it, as someone allowed to read it could.
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), ec2JobYaml('2h', SECRET_JOB));
  const env = ec2Env(moto.endpoint, { WANDB_API_KEY: SECRET });
  const before = Date.now();
  const submitted = await runCli(['submit', '--backend', 'ec2', jobPath, '--json'], { cwd: home, home, env });
  assert.equal(submitted.code, 0, submitted.stderr);
  const [instance] = await allInstances(ec2Client(t, moto.endpoint));
  const stub = await userDataOf(ec2Client(t, moto.endpoint), instance!.InstanceId!);
  const [bootstrapGet] = urlsIn(stub, 'bootstrap_get_urls');
  const [bootstrapDelete] = urlsIn(stub, 'bootstrap_delete_urls');
  assert.ok(bootstrapGet && bootstrapDelete);
  assert.ok(bootstrapDelete.includes('x-id=DeleteObject'), 'a DELETE of the bootstrap');
  const fetched = await fetch(bootstrapGet);
  assert.equal(fetched.status, 200);
  const bootstrap = await fetched.text();
  const windowed = [
    bootstrapGet,
    bootstrapDelete,
    ...urlsIn(bootstrap, 'secrets_get_url'),
    ...urlsIn(bootstrap, 'secrets_delete_url'),
    ...urlsIn(bootstrap, 'workdir_url'),
  ];
  assert.equal(windowed.length, 5);
  for (const url of windowed) {
    const { seconds, signedAt } = lifetimeOf(url);
    assert.equal(seconds, BOOT_WINDOW_SECONDS, `${new URL(url).pathname} lives for the boot window`);
    assert.ok(BOOT_WINDOW_SECONDS <= 15 * 60, 'a few minutes');
    assert.ok(signedAt >= Math.floor(before / 1000) * 1000 && signedAt <= Date.now(), 'signed at this launch');
  }
  // What the machine needs all along leads to no secret: it writes the job's log, markers, result and outputs.
  for (const name of ['log_url', 'markers_url', 'result_url', 'outputs_url']) {
    const [url] = urlsIn(bootstrap, name);
    assert.ok(url!.includes('x-id=PutObject'), `${name} only writes`);
    assert.ok(lifetimeOf(url!).seconds > 2 * 3600, `${name} outlives the job's limit`);
  }
});

test('after the machine booted, the user data leads to nothing: its bootstrap and its secrets are gone', {
  timeout: 120_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const simulator = await startMachineSimulator(moto.endpoint);
  defer(t, () => simulator.stop());
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), ec2JobYaml('10m', SECRET_JOB));
  const env = ec2Env(moto.endpoint, { WANDB_API_KEY: SECRET });
  const submitted = await runCli(['submit', '--backend', 'ec2', jobPath, '--wait', '--json'], { cwd: home, home, env });
  assert.equal(submitted.code, 0, submitted.stderr);
  assert.equal((JSON.parse(submitted.stdout) as { state: string }).state, 'succeeded');

  const [instance] = await allInstances(ec2Client(t, moto.endpoint));
  const stub = await userDataOf(ec2Client(t, moto.endpoint), instance!.InstanceId!);
  const again = await fetch(urlsIn(stub, 'bootstrap_get_urls')[0]!);
  assert.equal(again.status, 404, 'the bootstrap was deleted by the machine that read it');
  assert.ok(!(await again.text()).includes('secrets_get_url'));
  const bucket = `dlrun-${await ledgerIdOf(home)}-us-east-1`;
  const keys = (
    (await s3Client(t, moto.endpoint).send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []
  ).map((object) => object.Key!);
  assert.deepEqual(
    keys.filter((key) => /bootstrap|secrets/.test(key)),
    [],
    'no bootstrap and no secrets object left',
  );
});

test('a 3-node job with a secret: node 0 and both workers (launched later, with URLs of their own) ' +
  'each read their own bootstrap and secrets once', {
  timeout: 180_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  // A client mock answers the placement-group calls moto lacks, here and in dlrun; the proxy honours ClientTokens as
  // EC2 does; the simulator boots what moto runs.
  const placementGroups = await mockPlacementGroups(t);
  const proxy = await startFaultProxy(moto.endpoint, { honourClientTokens: true });
  defer(t, () => proxy.close());
  const simulator = await startMachineSimulator(moto.endpoint);
  defer(t, () => simulator.stop());
  const home = tempDir(t);
  const placements = tempDir(t, 'dlrun-placements-');
  const { jobPath } = writeJob(
    tempDir(t),
    ec2JobYaml('10m', [
      'name: three-nodes',
      'secrets: [WANDB_API_KEY]',
      'run: |',
      `  printf %s "$WANDB_API_KEY" | sha256sum > "${placements}/$DLRUN_NODE_RANK"`,
      'resources:',
      '  nodes: 3',
    ]),
  );
  const env = ec2Env(proxy.endpoint, { WANDB_API_KEY: SECRET });
  const submitted = await runCli(['submit', jobPath, '--wait', '--json'], { cwd: home, home, env, placementGroups });
  assert.equal(submitted.code, 0, submitted.stderr);
  assert.equal((JSON.parse(submitted.stdout) as { state: string }).state, 'succeeded');
  const digest = createHash('sha256').update(SECRET).digest('hex');
  for (const rank of ['0', '1', '2'])
    assert.equal(
      readFileSync(path.join(placements, rank), 'utf8').split(' ')[0],
      digest,
      `node ${rank} had the secret`,
    );
  const ec2 = ec2Client(t, moto.endpoint);
  const instances = await allInstances(ec2);
  assert.equal(instances.length, 3);
  const workers = instances.filter((instance) =>
    instance.Tags?.some((tag) => tag.Key === 'dlrun-launch' && tag.Value === 'workers'),
  );
  assert.equal(workers.length, 2, 'the workers came in one launch');
  const workerStub = await userDataOf(ec2, workers[0]!.InstanceId!);
  assert.equal(
    urlsIn(workerStub, 'bootstrap_get_urls').length,
    2,
    'a bootstrap for each worker, picked by launch index',
  );
  const bucket = `dlrun-${await ledgerIdOf(home)}-us-east-1`;
  const keys = (
    (await s3Client(t, moto.endpoint).send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []
  ).map((object) => object.Key!);
  assert.deepEqual(
    keys.filter((key) => /bootstrap|secrets/.test(key)),
    [],
    'every node deleted its bootstrap and its secrets',
  );
});

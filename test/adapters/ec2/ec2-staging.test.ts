import { GetBucketTaggingCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import { list } from 'tar';
import { nodeKeys } from '../../../adapters/ec2/ec2-launch.js';
import { pullEc2Outputs } from '../../../adapters/ec2/ec2-outputs.js';
import { ec2Clients } from '../../../adapters/ec2/ec2-clients.js';
import { bucketName, ensureBucket, MAX_PRESIGNED_SECONDS, presign, stageWorkdir } from '../../../adapters/ec2/ec2-staging.js';
import { listWorkdir } from '../../../src/util/workdir-files.js';
import { tempDir } from '../../support/temp-dir.js';
import { awsEnvironment, motoForThisFile } from '../../standins/moto-server.js';
import { s3Client } from '../../standins/test-clients.js';

const motoFor = motoForThisFile();
const LEDGER = 'staging-ledger';

function clientsFor(endpoint: string) {
  return ec2Clients('us-east-1', { ledgerId: LEDGER, home: '/nonexistent', env: awsEnvironment(endpoint) });
}

test('the bucket dlrun creates is named from the ledger and region, and tagged with the ledger', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const { s3 } = clientsFor(moto.endpoint);
  const bucket = bucketName(undefined, LEDGER, 'us-east-1');
  assert.equal(bucket, 'dlrun-staging-ledger-us-east-1');
  assert.equal(bucketName('my-team-bucket', LEDGER, 'us-east-1'), 'my-team-bucket');
  await ensureBucket(s3, bucket, 'us-east-1', LEDGER);
  await ensureBucket(s3, bucket, 'us-east-1', LEDGER);
  const tagging = await s3Client(t, moto.endpoint).send(new GetBucketTaggingCommand({ Bucket: bucket }));
  assert.deepEqual(tagging.TagSet, [{ Key: 'dlrun-ledger', Value: LEDGER }]);
});

test('an unchanged workdir is not uploaded again; a changed file, or a changed mode, is a new archive', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const { s3 } = clientsFor(moto.endpoint);
  const bucket = bucketName(undefined, LEDGER, 'us-east-1');
  await ensureBucket(s3, bucket, 'us-east-1', LEDGER);
  const workdir = tempDir(t);
  writeFileSync(path.join(workdir, 'train.py'), 'print("epoch 1")\n');
  writeFileSync(path.join(workdir, 'requirements.txt'), 'numpy\n');

  const first = await stageWorkdir(s3, bucket, LEDGER, listWorkdir(workdir));
  assert.equal(first.uploaded, true);
  assert.ok(first.bytes > 0);
  assert.match(first.key, /^dlrun\/staging-ledger\/workdirs\/[0-9a-f]{64}\.tar\.gz$/);
  const again = await stageWorkdir(s3, bucket, LEDGER, listWorkdir(workdir));
  assert.deepEqual(again, { key: first.key, uploaded: false, bytes: 0 });

  writeFileSync(path.join(workdir, 'train.py'), 'print("epoch 2")\n');
  const changed = await stageWorkdir(s3, bucket, LEDGER, listWorkdir(workdir));
  assert.equal(changed.uploaded, true);
  assert.notEqual(changed.key, first.key);

  const s3Test = s3Client(t, moto.endpoint);
  const head = await s3Test.send(new HeadObjectCommand({ Bucket: bucket, Key: changed.key }));
  assert.equal(head.ContentLength, changed.bytes);
  const tags = await s3Test.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: changed.key }));
  assert.deepEqual(tags.TagSet, [{ Key: 'dlrun-ledger', Value: LEDGER }]);
});

test('presigned URLs work for GET and PUT, and never outlive the 7 days SigV4 allows', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const { s3 } = clientsFor(moto.endpoint);
  const bucket = bucketName(undefined, LEDGER, 'us-east-1');
  await ensureBucket(s3, bucket, 'us-east-1', LEDGER);
  const key = 'dlrun/staging-ledger/jobs/j/log';
  const put = await presign(s3, bucket, key, 'PUT', 3600);
  assert.equal(new URL(put).searchParams.get('X-Amz-Expires'), '3600');
  assert.equal((await fetch(put, { method: 'PUT', body: 'line 1\n' })).status, 200);
  const get = await presign(s3, bucket, key, 'GET', 30 * 24 * 3600);
  assert.equal(new URL(get).searchParams.get('X-Amz-Expires'), String(MAX_PRESIGNED_SECONDS));
  assert.equal(await (await fetch(get)).text(), 'line 1\n');
  assert.equal(new URL(get).searchParams.get('X-Amz-Credential')?.startsWith('testing/'), true, 'signed with the caller\'s key id, which is all a URL reveals');
});

/** The entries of a staged (or any) tar.gz, as tar lists them. */
async function entriesOf(t: TestContext, endpoint: string, bucket: string, key: string): Promise<string[]> {
  const object = await s3Client(t, endpoint).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const archive = path.join(tempDir(t), 'staged.tar.gz');
  writeFileSync(archive, await object.Body!.transformToByteArray());
  const entries: string[] = [];
  await list({ file: archive, onReadEntry: (entry) => entries.push(entry.path) });
  return entries.sort();
}

test('the staged archive holds no secrets and no FIFO, unless .dlrunignore re-includes a secret', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const { s3 } = clientsFor(moto.endpoint);
  const bucket = bucketName(undefined, LEDGER, 'us-east-1');
  await ensureBucket(s3, bucket, 'us-east-1', LEDGER);
  const workdir = tempDir(t);
  writeFileSync(path.join(workdir, 'train.py'), 'print(1)\n');
  writeFileSync(path.join(workdir, '.env'), 'TOKEN=1\n');
  mkdirSync(path.join(workdir, '.aws'));
  writeFileSync(path.join(workdir, '.aws', 'credentials'), '[default]\n');
  execFileSync('mkfifo', [path.join(workdir, 'pipe')]);
  const staged = await stageWorkdir(s3, bucket, LEDGER, listWorkdir(workdir));
  assert.deepEqual(await entriesOf(t, moto.endpoint, bucket, staged.key), ['train.py']);
  writeFileSync(path.join(workdir, '.dlrunignore'), '!.env\n');
  const chosen = await stageWorkdir(s3, bucket, LEDGER, listWorkdir(workdir));
  assert.deepEqual(await entriesOf(t, moto.endpoint, bucket, chosen.key), ['.dlrunignore', '.env', 'train.py']);
});

/** An outputs archive as a machine could upload it: `build` fills a folder, entries are added in that order. */
async function outputsArchive(t: TestContext, steps: readonly ((folder: string) => string[])[]): Promise<Buffer> {
  const folder = tempDir(t);
  const tarFile = path.join(tempDir(t), 'outputs.tar');
  steps.forEach((step, index) => execFileSync('tar', [index === 0 ? '-cf' : '-rf', tarFile, '-C', folder, ...step(folder)]));
  return gzipSync(readFileSync(tarFile));
}

test('pulled EC2 outputs never land outside DIR: an archive entry through a link is refused and named', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const { s3 } = clientsFor(moto.endpoint);
  const bucket = bucketName(undefined, LEDGER, 'us-east-1');
  await ensureBucket(s3, bucket, 'us-east-1', LEDGER);
  const victim = tempDir(t);
  const destination = path.join(tempDir(t), 'out');
  mkdirSync(destination);
  // First a link leading out of the folder, then a file "inside" that link, then an honest file.
  const archive = await outputsArchive(t, [
    (folder) => (symlinkSync(path.relative(destination, victim), path.join(folder, 'escape')), ['escape']),
    (folder) => (rmSync(path.join(folder, 'escape')), mkdirSync(path.join(folder, 'escape')), writeFileSync(path.join(folder, 'escape', 'planted'), 'x'), ['escape/planted']),
    (folder) => (writeFileSync(path.join(folder, 'model.txt'), 'weights\n'), ['model.txt']),
  ]);
  const jobId = 'outputs-job-20260101-0000-abcd';
  const context = { ledgerId: LEDGER, home: '/nonexistent', env: awsEnvironment(moto.endpoint) };
  await s3Client(t, moto.endpoint).send(new PutObjectCommand({ Bucket: bucket, Key: nodeKeys(LEDGER, jobId, 0).outputs, Body: archive }));
  const handle = { jobId, backend: 'ec2' as const, externalId: null, details: { region: 'us-east-1', bucket } };
  const pulled = await pullEc2Outputs(handle, destination, context);
  assert.deepEqual(readdirSync(victim), [], 'nothing planted outside');
  assert.equal(readFileSync(path.join(destination, 'model.txt'), 'utf8'), 'weights\n');
  assert.ok((pulled.skipped ?? []).some((note) => /^escape \(linkpath escapes extraction directory\)$/.test(note)), JSON.stringify(pulled.skipped));

  // A link already in DIR where the archive has a folder: refused before anything is written.
  const second = path.join(tempDir(t), 'out');
  mkdirSync(second);
  symlinkSync(victim, path.join(second, 'eval'));
  await s3Client(t, moto.endpoint).send(new PutObjectCommand({
    Bucket: bucket,
    Key: nodeKeys(LEDGER, jobId, 0).outputs,
    Body: await outputsArchive(t, [(folder) => (mkdirSync(path.join(folder, 'eval')), writeFileSync(path.join(folder, 'eval', 'metrics.json'), '{}'), ['eval'])]),
  }));
  await assert.rejects(pullEc2Outputs(handle, second, context), /out\/eval is a link .*dlrun does not write through links/);
  assert.deepEqual(readdirSync(victim), []);
});

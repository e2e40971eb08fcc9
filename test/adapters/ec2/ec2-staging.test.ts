import { GetBucketTaggingCommand, GetObjectTaggingCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
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

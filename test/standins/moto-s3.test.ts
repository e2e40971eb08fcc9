import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { motoForThisFile } from './moto-server.js';
import { s3Client } from './test-clients.js';

const motoFor = motoForThisFile();

test('S3 put and get through the SDK, path-style on the loopback endpoint', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const s3 = s3Client(t, moto.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: 'dlrun-staging' }));
  await s3.send(
    new PutObjectCommand({
      Bucket: 'dlrun-staging',
      Key: 'jobs/job-1/workdir.tar.gz',
      Body: 'archive bytes',
      Tagging: 'dlrun-job-id=job-1',
    }),
  );
  const fetched = await s3.send(new GetObjectCommand({ Bucket: 'dlrun-staging', Key: 'jobs/job-1/workdir.tar.gz' }));
  assert.equal(await fetched.Body?.transformToString(), 'archive bytes');
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'dlrun-staging', Prefix: 'jobs/job-1/' }));
  assert.deepEqual(
    listed.Contents?.map((object) => object.Key),
    ['jobs/job-1/workdir.tar.gz'],
  );
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'dlrun-staging', Key: 'missing' })), {
    name: 'NoSuchKey',
  });
});

test('presigned GET and PUT URLs work with plain fetch, as the bootstrap uses them with curl', async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const s3 = s3Client(t, moto.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: 'dlrun-staging' }));
  await s3.send(new PutObjectCommand({ Bucket: 'dlrun-staging', Key: 'in/workdir.tar.gz', Body: 'the workdir' }));

  const download = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'dlrun-staging', Key: 'in/workdir.tar.gz' }), {
    expiresIn: 3600,
  });
  assert.ok(download.startsWith(`${moto.endpoint}/dlrun-staging/in/workdir.tar.gz?`), download);
  assert.match(download, /X-Amz-Signature=/);
  const got = await fetch(download);
  assert.equal(got.status, 200);
  assert.equal(await got.text(), 'the workdir');

  const upload = await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'dlrun-staging', Key: 'out/log.txt' }), {
    expiresIn: 3600,
  });
  const put = await fetch(upload, { method: 'PUT', body: 'epoch 1 loss 0.5\n' });
  assert.equal(put.status, 200, await put.text());
  const stored = await s3.send(new GetObjectCommand({ Bucket: 'dlrun-staging', Key: 'out/log.txt' }));
  assert.equal(await stored.Body?.transformToString(), 'epoch 1 loss 0.5\n');
  assert.equal(
    (await s3.send(new HeadObjectCommand({ Bucket: 'dlrun-staging', Key: 'out/log.txt' }))).ContentLength,
    17,
  );
});

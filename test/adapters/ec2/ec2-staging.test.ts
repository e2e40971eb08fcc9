import {
  GetBucketTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'vitest';
import { gzipSync } from 'node:zlib';
import { extract, list } from 'tar';
import { createBackend } from '../../../adapters/ec2/ec2-backend.js';
import { pullEc2Outputs } from '../../../adapters/ec2/ec2-outputs.js';
import { ec2Clients } from '../../../adapters/ec2/ec2-clients.js';
import { bucketName, nodeKeys } from '../../../adapters/ec2/ec2-names.js';
import { ensureBucket, MAX_PRESIGNED_SECONDS, presign, stageWorkdir } from '../../../adapters/ec2/ec2-staging.js';
import {
  DEFAULT_PART_BYTES,
  MAX_OBJECT_BYTES,
  MAX_PART_BYTES,
  MIN_PART_BYTES,
  uploadPartBytes,
  uploadPlan,
} from '../../../adapters/ec2/ec2-upload.js';
import { DlrunError } from '../../../src/base/errors.js';
import { asJobId, asLedgerId, newJobId } from '../../../src/backend/job-id.js';
import { listWorkdir } from '../../../src/util/workdir-files.js';
import { ec2Env, ec2JobYaml } from '../../support/ec2-cli.js';
import { writeJob } from '../../support/job-files.js';
import { tempDir } from '../../support/temp-dir.js';
import { awsEnvironment, motoForThisFile } from '../../standins/moto-server.js';
import { s3Client } from '../../standins/test-clients.js';

const motoFor = motoForThisFile();
const LEDGER = asLedgerId('staging-ledger');

function clientsFor(endpoint: string) {
  return ec2Clients('us-east-1', { ledgerId: LEDGER, home: '/nonexistent', env: awsEnvironment(endpoint) });
}

/** moto, the adapter's S3 client and the ledger's bucket, created; undefined without moto (in CI: a failure). */
async function withBucket(t: TestContext) {
  const moto = motoFor(t);
  if (!moto) return undefined;
  const { s3 } = clientsFor(moto.endpoint);
  const bucket = bucketName(undefined, LEDGER, 'us-east-1');
  await ensureBucket(s3, bucket, 'us-east-1', LEDGER);
  return { moto, s3, bucket };
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
  const ready = await withBucket(t);
  if (!ready) return;
  const { moto, s3, bucket } = ready;
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
  const ready = await withBucket(t);
  if (!ready) return;
  const { s3, bucket } = ready;
  const key = 'dlrun/staging-ledger/jobs/j/log';
  const put = await presign(s3, bucket, key, 'PUT', 3600);
  assert.equal(new URL(put).searchParams.get('X-Amz-Expires'), '3600');
  assert.equal((await fetch(put, { method: 'PUT', body: 'line 1\n' })).status, 200);
  const get = await presign(s3, bucket, key, 'GET', 30 * 24 * 3600);
  assert.equal(new URL(get).searchParams.get('X-Amz-Expires'), String(MAX_PRESIGNED_SECONDS));
  assert.equal(await (await fetch(get)).text(), 'line 1\n');
  assert.equal(
    new URL(get).searchParams.get('X-Amz-Credential')?.startsWith('testing/'),
    true,
    "signed with the caller's key id, which is all a URL reveals",
  );
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
  const ready = await withBucket(t);
  if (!ready) return;
  const { moto, s3, bucket } = ready;
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
  for (const [index, step] of steps.entries()) {
    execFileSync('tar', [index === 0 ? '-cf' : '-rf', tarFile, '-C', folder, ...step(folder)]);
  }
  return gzipSync(readFileSync(tarFile));
}

test('pulled EC2 outputs never land outside DIR: an archive entry through a link is refused and named', async (t) => {
  const ready = await withBucket(t);
  if (!ready) return;
  const { moto, bucket } = ready;
  const victim = tempDir(t);
  const destination = path.join(tempDir(t), 'out');
  mkdirSync(destination);
  // First a link leading out of the folder, then a file "inside" that link, then an honest file.
  const archive = await outputsArchive(t, [
    (folder) => {
      symlinkSync(path.relative(destination, victim), path.join(folder, 'escape'));
      return ['escape'];
    },
    (folder) => {
      rmSync(path.join(folder, 'escape'));
      mkdirSync(path.join(folder, 'escape'));
      writeFileSync(path.join(folder, 'escape', 'planted'), 'x');
      return ['escape/planted'];
    },
    (folder) => {
      writeFileSync(path.join(folder, 'model.txt'), 'weights\n');
      return ['model.txt'];
    },
  ]);
  const jobId = asJobId('outputs-job-20260101-0000-abcd');
  const context = { ledgerId: LEDGER, home: '/nonexistent', env: awsEnvironment(moto.endpoint) };
  await s3Client(t, moto.endpoint).send(
    new PutObjectCommand({ Bucket: bucket, Key: nodeKeys(LEDGER, jobId, 0).outputs, Body: archive }),
  );
  const handle = { jobId, backend: 'ec2' as const, externalId: null, details: { region: 'us-east-1', bucket } };
  const pulled = await pullEc2Outputs(handle, destination, context);
  assert.deepEqual(readdirSync(victim), [], 'nothing planted outside');
  assert.equal(readFileSync(path.join(destination, 'model.txt'), 'utf8'), 'weights\n');
  assert.ok(
    (pulled.skipped ?? []).some((note) => /^escape \(linkpath escapes extraction directory\)$/.test(note)),
    JSON.stringify(pulled.skipped),
  );

  // A link already in DIR where the archive has a folder: refused before anything is written.
  const second = path.join(tempDir(t), 'out');
  mkdirSync(second);
  symlinkSync(victim, path.join(second, 'eval'));
  await s3Client(t, moto.endpoint).send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: nodeKeys(LEDGER, jobId, 0).outputs,
      Body: await outputsArchive(t, [
        (folder) => {
          mkdirSync(path.join(folder, 'eval'));
          writeFileSync(path.join(folder, 'eval', 'metrics.json'), '{}');
          return ['eval'];
        },
      ]),
    }),
  );
  await assert.rejects(
    pullEc2Outputs(handle, second, context),
    /out\/eval is a link .*dlrun does not write through links/,
  );
  assert.deepEqual(readdirSync(victim), []);
});

test(
  'a workdir archive larger than a part goes up in parts, ' + 'and arrives whole, tagged, with no upload left open',
  async (t) => {
    const ready = await withBucket(t);
    if (!ready) return;
    const { moto, s3, bucket } = ready;
    const workdir = tempDir(t);
    // Random bytes do not compress: about 11 MiB of archive, 3 parts of S3's smallest size.
    const data = randomBytes(11 * 1024 * 1024);
    writeFileSync(path.join(workdir, 'weights.bin'), data);
    const staged = await stageWorkdir(s3, bucket, LEDGER, listWorkdir(workdir), { partBytes: MIN_PART_BYTES });
    assert.equal(staged.uploaded, true);
    assert.equal(uploadPlan(staged.bytes, MIN_PART_BYTES, 'the workdir').kind, 'parts');

    const s3Test = s3Client(t, moto.endpoint);
    const body = await (
      await s3Test.send(new GetObjectCommand({ Bucket: bucket, Key: staged.key }))
    ).Body!.transformToByteArray();
    assert.equal(body.length, staged.bytes);
    const unpacked = tempDir(t);
    const archive = path.join(tempDir(t), 'workdir.tar.gz');
    writeFileSync(archive, body);
    extract({ file: archive, cwd: unpacked, sync: true });
    assert.ok(readFileSync(path.join(unpacked, 'weights.bin')).equals(data), 'the parts make the archive, in order');
    const tags = await s3Test.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: staged.key }));
    assert.deepEqual(tags.TagSet, [{ Key: 'dlrun-ledger', Value: LEDGER }]);
    assert.deepEqual((await s3Test.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [], []);
  },
);

test(
  'uploadPlan: one PUT up to the part size, parts past it (larger when 10,000 would not hold it), ' +
    'and nothing past 5 TiB',
  () => {
    const MIB = 1024 ** 2;
    assert.deepEqual(uploadPlan(100 * MIB, 100 * MIB, 'the workdir'), { kind: 'single' });
    assert.deepEqual(uploadPlan(250 * MIB, 100 * MIB, 'the workdir'), {
      kind: 'parts',
      partBytes: 100 * MIB,
      count: 3,
    });
    const big = uploadPlan(2 * 1024 ** 4, 100 * MIB, 'the workdir');
    assert.ok(
      big.kind === 'parts' &&
        big.count <= 10_000 &&
        big.partBytes * big.count >= 2 * 1024 ** 4 &&
        big.partBytes <= MAX_PART_BYTES,
      JSON.stringify(big),
    );
    assert.deepEqual(uploadPlan(MAX_OBJECT_BYTES, DEFAULT_PART_BYTES, 'x').kind, 'parts');
    assert.throws(
      () => uploadPlan(MAX_OBJECT_BYTES + 1, DEFAULT_PART_BYTES, 'the workdir'),
      (error) =>
        error instanceof DlrunError &&
        error.audience === 'user' &&
        /at most 5 TiB/.test(error.message) &&
        error.hint !== undefined,
    );
  },
);

test("DLRUN_EC2_UPLOAD_PART_BYTES: S3's part limits, or a clear refusal", () => {
  assert.equal(uploadPartBytes({}), DEFAULT_PART_BYTES);
  assert.equal(uploadPartBytes({ DLRUN_EC2_UPLOAD_PART_BYTES: String(MIN_PART_BYTES) }), MIN_PART_BYTES);
  for (const bad of ['1000', '5MiB', String(MAX_PART_BYTES + 1), '-5']) {
    assert.throws(
      () => uploadPartBytes({ DLRUN_EC2_UPLOAD_PART_BYTES: bad }),
      (error) => error instanceof DlrunError && /DLRUN_EC2_UPLOAD_PART_BYTES/.test(error.message),
      bad,
    );
  }
});

test(
  "the plan records the workdir archive's key, submit stages exactly it, " +
    'and a workdir changed in between is refused',
  async (t) => {
    const moto = motoFor(t);
    if (!moto) return;
    const backend = createBackend();
    const context = {
      ledgerId: LEDGER,
      home: tempDir(t),
      env: { ...ec2Env(moto.endpoint), PATH: process.env.PATH ?? '/usr/bin:/bin' },
    };
    const { job } = writeJob(tempDir(t), ec2JobYaml(), { 'train.py': 'print(1)\n' });
    const stopAfter = { seconds: 600, reason: 'max_runtime 10m' };
    const plan = await backend.plan(job, { ...context, jobId: newJobId(job.name), stopAfter });
    const key = plan.details?.workdirKey;
    assert.match(String(key), /^dlrun\/staging-ledger\/workdirs\/[0-9a-f]{64}\.tar\.gz$/);
    await backend.submit(plan, { ...context, secrets: {} });
    await s3Client(t, moto.endpoint).send(
      new HeadObjectCommand({ Bucket: bucketName(undefined, LEDGER, 'us-east-1'), Key: String(key) }),
    );

    const next = await backend.plan(job, { ...context, jobId: newJobId(job.name), stopAfter });
    writeFileSync(path.join(job.workdir, 'train.py'), 'print(2)\n');
    await assert.rejects(
      backend.submit(next, { ...context, secrets: {} }),
      (error) =>
        error instanceof DlrunError &&
        error.audience === 'user' &&
        /changed while the job was being submitted/.test(error.message),
    );
  },
);

import { asLedgerId, type JobId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { nodeKeys } from '../../../adapters/ec2/ec2-names.js';
import { ec2Logs } from '../../../adapters/ec2/ec2-logs.js';
import type { JobHandle, LogChunk } from '../../../src/backend/training-backend.js';
import { fleetJobIds, launchFleet } from '../../standins/ec2-fleet.js';
import { motoForThisFile } from '../../standins/moto-server.js';
import { ec2Client, s3Client } from '../../standins/test-clients.js';
import { proxiedStand, type ProxiedStand } from '../../support/ec2-proxied-stand.js';

const motoFor = motoForThisFile();
const LEDGER = asLedgerId('logs-ledger');
const BUCKET = `dlrun-${LEDGER}-us-east-1`;
const [JOB_ID] = fleetJobIds(1, 'logs') as [JobId];
const HANDLE: JobHandle = {
  jobId: JOB_ID,
  backend: 'ec2',
  externalId: null,
  details: { region: 'us-east-1', bucket: BUCKET, nodes: 1, stopAfterSeconds: 3600 },
};
const KEYS = nodeKeys(LEDGER, JOB_ID, 0);
const CONSOLE_HEADER = '[dlrun: the machine has not uploaded its log yet; its console output follows]';

/** The proxied stand, an S3 client straight to moto, and the job's bucket. */
async function stand(t: TestContext): Promise<(ProxiedStand & { s3: S3Client }) | undefined> {
  // A short follow interval keeps the test quick; nothing asserts on it.
  const proxied = await proxiedStand(t, motoFor, LEDGER, { DLRUN_WATCH_INTERVAL_MS: '50' });
  if (!proxied) return undefined;
  const s3 = s3Client(t, proxied.moto.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  return { ...proxied, s3 };
}

const put = (s3: S3Client, key: string, body: string) =>
  s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));

async function collect(chunks: AsyncIterable<LogChunk>): Promise<string[]> {
  const texts: string[] = [];
  for await (const chunk of chunks) texts.push(chunk.text);
  return texts;
}

test("the log node 0 uploaded to S3 is the job's output; the console is not asked for", {
  timeout: 60_000,
}, async (t) => {
  const setUp = await stand(t);
  if (!setUp) return;
  await put(setUp.s3, KEYS.log, 'epoch 1 loss 0.9\nepoch 2 loss 0.5\n');
  const texts = await collect(ec2Logs(HANDLE, { follow: false }, setUp.context));
  assert.deepEqual(texts, ['epoch 1 loss 0.9\nepoch 2 loss 0.5\n']);
  assert.equal(setUp.proxy.requests('GetConsoleOutput'), 0);
  assert.equal(setUp.proxy.requests('DescribeInstances'), 0);
});

test("before the first upload, the instance's console output is shown under a header that says so", {
  timeout: 60_000,
}, async (t) => {
  const setUp = await stand(t);
  if (!setUp) return;
  await launchFleet(ec2Client(t, setUp.moto.endpoint), { ledgerId: LEDGER, jobIds: [JOB_ID] });
  const texts = await collect(ec2Logs(HANDLE, { follow: false }, setUp.context));
  assert.equal(texts.length, 1);
  const [header, ...rest] = texts[0]!.split('\n');
  assert.equal(header, CONSOLE_HEADER);
  // moto's console output is canned text: its presence is what counts, not what it says.
  assert.ok(rest.join('\n').trim().length > 0, 'the console text follows the header');
  assert.equal(setUp.proxy.requests('GetConsoleOutput'), 1);
});

test('no log and no instance: nothing to show, and no console asked for', { timeout: 60_000 }, async (t) => {
  const setUp = await stand(t);
  if (!setUp) return;
  assert.deepEqual(await collect(ec2Logs(HANDLE, { follow: false }, setUp.context)), []);
  assert.equal(setUp.proxy.requests('GetConsoleOutput'), 0);
});

test('follow prints what is new in each upload and stops once the result object is there', {
  timeout: 60_000,
}, async (t) => {
  const setUp = await stand(t);
  if (!setUp) return;
  const { s3, context } = setUp;
  await put(s3, KEYS.log, 'step 1\n');
  const texts: string[] = [];
  for await (const chunk of ec2Logs(HANDLE, { follow: true }, context)) {
    texts.push(chunk.text);
    // The machine's last upload: the whole log again (uploads replace the object), then the result.
    if (texts.length === 1) {
      await put(s3, KEYS.log, 'step 1\nstep 2\ndone\n');
      await put(s3, KEYS.result, 'state=succeeded\nexit_code=0\n');
    }
  }
  assert.deepEqual(texts, ['step 1\n', 'step 2\ndone\n'], 'each line once, the last upload included');
});

test('follow stops at once for a job that had already ended', { timeout: 60_000 }, async (t) => {
  const setUp = await stand(t);
  if (!setUp) return;
  await put(setUp.s3, KEYS.log, 'all of it\n');
  await put(setUp.s3, KEYS.result, 'state=failed\nexit_code=3\n');
  assert.deepEqual(await collect(ec2Logs(HANDLE, { follow: true }, setUp.context)), ['all of it\n']);
  assert.equal(setUp.proxy.requests({ method: 'GET', path: `/${BUCKET}/${KEYS.log}` }), 1, 'read once, not polled');
});

test('follow ends when its signal is aborted, even with no result', { timeout: 60_000 }, async (t) => {
  const setUp = await stand(t);
  if (!setUp) return;
  await put(setUp.s3, KEYS.log, 'still going\n');
  const controller = new AbortController();
  const texts: string[] = [];
  for await (const chunk of ec2Logs(HANDLE, { follow: true, signal: controller.signal }, setUp.context)) {
    texts.push(chunk.text);
    controller.abort();
  }
  assert.deepEqual(texts, ['still going\n']);
});

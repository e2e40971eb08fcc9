// vertexLogs against the Cloud Storage and Vertex AI stand-ins: the log is an object the test writes as the
// bootstrap would (each upload the whole file so far), the job a real custom job of the stand-in whose state the test
// sets.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import { clientsOf, encodeVertexDetails, jobObjects } from '../../../adapters/vertex/vertex-details.js';
import { customJobBody } from '../../../adapters/vertex/vertex-custom-job.js';
import type { CustomJob } from '../../../adapters/vertex/vertex-list-jobs.js';
import { vertexLogs } from '../../../adapters/vertex/vertex-logs.js';
import { asJobId, asLedgerId } from '../../../src/backend/job-id.js';
import type { BackendContext, JobHandle, LogOptions } from '../../../src/backend/training-backend.js';
import { gcsServerFor } from '../../standins/gcs-server.js';
import { vertexServerFor } from '../../standins/vertex-server.js';
import { tempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';

const LEDGER = asLedgerId('vertex-logs-ledger');
const TOKEN = 'ya29.logs';
const BUCKET = 'staging';
const DETAILS = {
  region: 'us-central1',
  project: null,
  bucket: BUCKET,
  prefix: 'team',
  workdirObject: null,
  nodes: 1,
  stopAfter: { seconds: null, reason: null },
  secrets: false,
};

/** The stand-ins, a context for them, and a queued custom job of the stand-in for `jobId`. */
async function setUp(t: TestContext, jobId: string, options: { interval?: string; byName?: boolean } = {}) {
  const gcs = await gcsServerFor(t, { requireToken: TOKEN });
  gcs.createBucket(BUCKET);
  const vertex = await vertexServerFor(t, { requireToken: TOKEN, queuedMs: Number.POSITIVE_INFINITY });
  const context: BackendContext = {
    ledgerId: LEDGER,
    home: tempDir(t),
    env: {
      GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN,
      DLRUN_VERTEX_URL: vertex.url,
      DLRUN_GCS_URL: gcs.endpoint,
      GOOGLE_CLOUD_PROJECT: vertex.projectId,
      // The fastest pace allowed: these tests wait for what they see, never for a time.
      DLRUN_WATCH_INTERVAL_MS: options.interval ?? '10',
    },
  };
  const id = asJobId(jobId);
  const { data } = await clientsOf(DETAILS, context).aiplatform.projects.locations.customJobs.create({
    parent: `projects/${vertex.projectId}/locations/us-central1`,
    // The body's arrays are readonly, googleapis' type wants them mutable: the same JSON.
    requestBody: customJobBody({
      jobId: id,
      ledgerId: LEDGER,
      name: 'logs',
      machine: { machineType: 'n1-standard-4' },
      nodes: 1,
      imageUri: 'us-docker.pkg.dev/vertex-ai/training/pytorch-gpu.2-4.py310:latest',
      command: ['bash', '-c', 'true'],
      env: [],
      stopAfterSeconds: null,
      spot: false,
      baseOutputDirectory: jobObjects(DETAILS, LEDGER, id).baseOutputDirectory,
    }) as CustomJob,
  });
  const name = data.name ?? '';
  const handle: JobHandle = {
    jobId: id,
    backend: 'vertex',
    externalId: options.byName === false ? null : name,
    details: encodeVertexDetails(DETAILS),
    submittedAt: new Date(Date.now() - 3_600_000).toISOString(),
  };
  const log = jobObjects(DETAILS, LEDGER, id).log(0);
  return {
    gcs,
    vertex,
    handle,
    context,
    name,
    /** An upload of the log by the bootstrap: the whole file so far. */
    upload: (text: string | Buffer) => gcs.putObject(BUCKET, log, text),
    logReads: () => gcs.requests({ method: 'GET' }).filter((request) => request.query.alt === 'media'),
    read: (options: LogOptions) => vertexLogs(handle, options, context),
  };
}

async function all(chunks: AsyncIterable<{ text: string }>): Promise<string[]> {
  const texts: string[] = [];
  for await (const chunk of chunks) texts.push(chunk.text);
  return texts;
}

test('without follow: the log as it is, whatever the job state', async (t) => {
  const job = await setUp(t, 'logs-once-20261206-0001-abcd');
  job.upload('epoch 1\nepoch 2\n');
  assert.equal((await all(job.read({ follow: false }))).join(''), 'epoch 1\nepoch 2\n');
});

test('tailBytes: only the end of the log, by a ranged read, a character cut at its start left out', async (t) => {
  const job = await setUp(t, 'logs-tail-20261206-0002-abcd');
  const head = 'x'.repeat(100_000);
  job.upload(`${head}\nnäive\nTraceback: the end\n`);
  // 'ä' is 2 bytes: 24 bytes from the end begin inside it.
  const tail = (await all(job.read({ follow: false, tailBytes: 24 }))).join('');
  assert.equal(tail, 'ive\nTraceback: the end\n');
  const reads = job.logReads();
  assert.equal(reads.length, 1);
  assert.equal(reads[0]?.headers.range, 'bytes=-24');
  assert.equal(reads[0]?.status, 206);
});

test('without follow and no log: nothing while the job is queued, a note once it has ended', async (t) => {
  const job = await setUp(t, 'logs-none-20261206-0003-abcd', { byName: false });
  assert.deepEqual(await all(job.read({ follow: false })), []);
  job.vertex.setState(job.name, 'JOB_STATE_FAILED', { code: 3, message: 'the image could not be pulled' });
  assert.deepEqual(await all(job.read({ follow: false, tailBytes: 100 })), [
    '[dlrun: the job ended (failed, JOB_STATE_FAILED) without uploading a log]\n',
  ]);
});

test('follow: each upload adds only what is new, a character cut between uploads arrives whole', async (t) => {
  const job = await setUp(t, 'logs-follow-20261206-0004-abcd');
  const reader = job.read({ follow: true })[Symbol.asyncIterator]();
  const texts: string[] = [];
  // No log yet while the job is queued: no error, following goes on.
  const first = reader.next();
  await waitFor('a look at the queued job', () => (job.vertex.requests('get').length >= 2 ? true : undefined));
  job.upload('one\n');
  texts.push(((await first).value as { text: string }).text);
  assert.deepEqual(texts, ['one\n']);

  const accented = Buffer.from('two é', 'utf8');
  job.upload(Buffer.concat([Buffer.from('one\n'), accented.subarray(0, accented.length - 1)]));
  texts.push(((await reader.next()).value as { text: string }).text);
  assert.equal(texts.at(-1), 'two ', 'the half character is held back');

  const final = 'one\ntwo é\nthree\nfour\n';
  job.upload(final);
  job.vertex.setState(job.name, 'JOB_STATE_SUCCEEDED');
  for (let next = await reader.next(); !next.done; next = await reader.next()) texts.push(next.value.text);
  assert.equal(texts.join(''), final, 'every byte exactly once');
  // Every read after the first asked only for new bytes.
  const ranges = job.logReads().map((request) => request.headers.range);
  assert.deepEqual(ranges, ['bytes=0-3', 'bytes=4-8', 'bytes=9-21']);
});

test('follow: a log that got shorter was written anew, and is followed from its start after a note', async (t) => {
  const job = await setUp(t, 'logs-rewritten-20261206-0005-abcd');
  job.upload('first attempt, line 1\nfirst attempt, line 2\n');
  const reader = job.read({ follow: true })[Symbol.asyncIterator]();
  const texts = [((await reader.next()).value as { text: string }).text];
  job.upload('again\n');
  job.vertex.setState(job.name, 'JOB_STATE_FAILED', { code: 13, message: 'the replica failed' });
  for (let next = await reader.next(); !next.done; next = await reader.next()) texts.push(next.value.text);
  assert.equal(
    texts.join(''),
    'first attempt, line 1\nfirst attempt, line 2\n' +
      '[dlrun: the log was written anew; it follows from its start]\nagain\n',
  );
});

test('follow: an abort ends it at once, even while it waits between reads', async (t) => {
  // The pace of a real follow (5 s): the abort must end the wait, not outlast it.
  const job = await setUp(t, 'logs-abort-20261206-0006-abcd', { interval: '' });
  const controller = new AbortController();
  const reader = job.read({ follow: true, signal: controller.signal })[Symbol.asyncIterator]();
  const next = reader.next();
  await waitFor('a look at the queued job', () => (job.vertex.requests('get').length >= 1 ? true : undefined));
  await waitFor('a look for the log', () => (job.gcs.requests({ method: 'GET' }).length >= 1 ? true : undefined));
  controller.abort();
  assert.deepEqual(await next, { done: true, value: undefined });
});

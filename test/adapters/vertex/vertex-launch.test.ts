// Planning and launching Vertex AI jobs through the real googleapis and @google-cloud/storage clients, against the
// Vertex AI and Cloud Storage stand-ins: the exact body, idempotent creates, retries, staging and refusals.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'vitest';
import { CREATE_ATTEMPTS, launchVertexJob, preflightVertexJob } from '../../../adapters/vertex/vertex-launch.js';
import { planVertexJob } from '../../../adapters/vertex/vertex-plan.js';
import { newJobId } from '../../../src/backend/job-id.js';
import type { SubmitContext } from '../../../src/backend/training-backend.js';
import { DlrunError, ProviderError } from '../../../src/base/errors.js';
import { writeJob } from '../../support/job-files.js';
import { rejection } from '../../support/rejection.js';
import { tempDir } from '../../support/temp-dir.js';
import { STAND_BUCKET, type VertexStand, vertexStandFor } from '../../support/vertex-stand.js';

const LONG = { timeout: 60_000 };
// Held in QUEUED: these tests are about the launch, not about running the job.
const QUEUED = { vertex: { queuedMs: Number.POSITIVE_INFINITY } };

const JOB = `
name: launch-test
run: python train.py
resources: { cpus: 4 }
limits: { max_runtime: 2h }
`;

async function planned(t: TestContext, stand: VertexStand, yaml = JOB, files = { 'train.py': 'print(1)\n' }) {
  const dir = tempDir(t, 'dlrun-vertex-job-');
  const { job } = writeJob(dir, yaml, files);
  const jobId = newJobId(job.name);
  const plan = await planVertexJob(job, {
    ...stand.context,
    jobId,
    stopAfter: { seconds: job.limits.max_runtime, reason: 'max_runtime 2h' },
  });
  return { plan, dir };
}

function submitContext(stand: VertexStand, secrets: Record<string, string> = {}): SubmitContext {
  return { ...stand.context, secrets };
}

function creates(stand: VertexStand) {
  return stand.vertex.requests('create').filter((request) => request.fault === undefined);
}

describe('plan', () => {
  test('makes no request, and its create body is what submit sends', LONG, async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    const { plan } = await planned(t, stand);
    assert.equal(stand.vertex.requests().length, 0);
    assert.equal(stand.gcs.requests().length, 0);
    const create = plan.requests.find((request) => request.operation.endsWith('customJobs.create'));
    const shown = (create!.body as { requestBody: Record<string, unknown> }).requestBody;
    await launchVertexJob(plan, submitContext(stand));
    const sent = creates(stand)[0]!.body as Record<string, unknown>;
    // The dry run shows the startup script once, below the requests, instead of inside each worker pool.
    const withoutScript = (body: Record<string, unknown>) =>
      JSON.parse(JSON.stringify(body), (key, value) => (key === 'command' ? 'the script' : value));
    assert.deepEqual(withoutScript(sent), withoutScript(shown));
    const pool = (sent.jobSpec as { workerPoolSpecs: { containerSpec: { command: string[] } }[] }).workerPoolSpecs[0]!;
    assert.equal(pool.containerSpec.command[2], plan.startupScript);
    assert.deepEqual((sent.jobSpec as { scheduling: unknown }).scheduling, { timeout: '7200s' });
    assert.deepEqual(sent.labels, { 'dlrun-job-id': plan.jobId, 'dlrun-ledger': stand.ledgerId });
  });

  test('without a staging bucket, says how to name one', async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    delete stand.env.DLRUN_VERTEX_STAGING_BUCKET;
    const error = (await rejection(planned(t, stand))) as DlrunError;
    assert.ok(error instanceof DlrunError);
    assert.match(error.message, /needs a Cloud Storage staging bucket/);
    assert.match(error.hint ?? '', /backends\.vertex\.staging_bucket/);
  });

  test('secrets go to their own object, never into the CustomJob', LONG, async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    const { plan } = await planned(t, stand, `${JOB}secrets: [HF_TOKEN]\n`);
    await launchVertexJob(plan, submitContext(stand, { HF_TOKEN: 'hf_sEcReT"$(x)' }));
    assert.ok(!JSON.stringify(creates(stand)[0]!.body).includes('hf_sEcReT'));
    const staged = stand.gcs.objects(STAND_BUCKET).find((object) => object.name.endsWith('/secrets.json'));
    assert.deepEqual(JSON.parse(staged!.bytes.toString('utf8')), { HF_TOKEN: 'hf_sEcReT"$(x)' });
    const env = JSON.stringify(creates(stand)[0]!.body);
    assert.match(env, /DLRUN_BOOT_SECRETS_OBJECT/);
  });
});

describe('launch', () => {
  test('a second submit of the same job finds the first and creates nothing', LONG, async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    const { plan } = await planned(t, stand);
    const first = await launchVertexJob(plan, submitContext(stand));
    const second = await launchVertexJob(plan, submitContext(stand));
    assert.equal(second.externalId, first.externalId);
    assert.match(first.externalId ?? '', /^projects\/\d+\/locations\/us-central1\/customJobs\/\d+$/);
    assert.equal(creates(stand).length, 1);
    assert.equal(stand.vertex.jobs().length, 1);
  });

  test('two submits of the same job at once create one custom job', LONG, async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    const { plan } = await planned(t, stand);
    const [first, second] = await Promise.all([
      launchVertexJob(plan, submitContext(stand)),
      launchVertexJob(plan, submitContext(stand)),
    ]);
    assert.equal(first.externalId, second.externalId);
    assert.equal(stand.vertex.jobs().length, 1);
  });

  test('a create whose answer is lost is found by its label, not sent again', LONG, async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    stand.vertex.inject({ match: 'create', kind: 'drop-after' });
    const { plan } = await planned(t, stand);
    const handle = await launchVertexJob(plan, submitContext(stand));
    assert.equal(stand.vertex.jobs().length, 1);
    assert.equal(handle.externalId, stand.vertex.jobs()[0]!.name);
    assert.equal(stand.vertex.requests('create').length, 1);
  });

  test('503 and 429 answers to the create are retried, each after a look-up', LONG, async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    stand.vertex.inject({ match: 'create', kind: 503 });
    stand.vertex.inject({ match: 'create', kind: 429 });
    const { plan } = await planned(t, stand);
    await launchVertexJob(plan, submitContext(stand));
    assert.equal(stand.vertex.jobs().length, 1);
    assert.equal(stand.vertex.requests('create').length, 3);
    // One look-up before the first create, one before each retry.
    assert.equal(stand.vertex.requests('list').length, 3);
  });

  test(`a create failing ${CREATE_ATTEMPTS} times is an error that creates nothing`, LONG, async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    stand.vertex.inject({ match: 'create', kind: 500, times: Number.POSITIVE_INFINITY });
    const { plan } = await planned(t, stand);
    const error = (await rejection(launchVertexJob(plan, submitContext(stand)))) as ProviderError;
    assert.ok(error instanceof ProviderError);
    assert.match(error.message, /creating the Vertex AI custom job/);
    assert.equal(stand.vertex.requests('create').length, CREATE_ATTEMPTS);
    assert.equal(stand.vertex.jobs().length, 0);
  });

  test('an unchanged workdir is uploaded once for two jobs', LONG, async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    const first = await planned(t, stand);
    const second = await planned(t, stand);
    await launchVertexJob(first.plan, submitContext(stand));
    await launchVertexJob(second.plan, submitContext(stand));
    const archives = stand.gcs.objects(STAND_BUCKET).filter((object) => object.name.includes('/workdirs/'));
    assert.equal(archives.length, 1);
    const uploads = stand.gcs
      .requests()
      .filter((request) => request.method === 'POST' && request.path.includes('/upload/'));
    assert.equal(uploads.length, 1);
    assert.equal(stand.vertex.jobs().length, 2);
  });
});

describe('preflight', () => {
  test('a staging bucket that does not exist is refused before anything is created or uploaded', LONG, async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    stand.env.DLRUN_VERTEX_STAGING_BUCKET = 'gs://no-such-bucket-here/x';
    const { plan } = await planned(t, stand);
    const error = (await rejection(preflightVertexJob(plan, submitContext(stand)))) as DlrunError;
    assert.ok(error instanceof DlrunError);
    assert.match(error.message, /gs:\/\/no-such-bucket-here does not exist/);
    assert.equal(stand.vertex.requests('create').length, 0);
  });

  test('a bucket these credentials may not write is refused with the fix', LONG, async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    stand.gcs.setWritable(STAND_BUCKET, false);
    const { plan } = await planned(t, stand);
    const error = (await rejection(preflightVertexJob(plan, submitContext(stand)))) as ProviderError;
    assert.ok(error instanceof ProviderError);
    assert.match(error.message, /may not write to the staging bucket/);
    assert.match(error.hint ?? '', /Storage Object Admin/);
  });

  test('credentials Google rejects are refused once, not retried', LONG, async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    stand.env.GOOGLE_OAUTH_ACCESS_TOKEN = 'ya29.expired';
    const { plan } = await planned(t, stand);
    const error = (await rejection(preflightVertexJob(plan, submitContext(stand)))) as ProviderError;
    assert.ok(error instanceof ProviderError);
    assert.match(error.message, /rejected the credentials/);
    assert.equal(stand.vertex.requests('list').length, 1);
  });

  test('no project anywhere is a clear error', async (t) => {
    const stand = await vertexStandFor(t, QUEUED);
    delete stand.env.GOOGLE_CLOUD_PROJECT;
    const { plan } = await planned(t, stand);
    const error = (await rejection(preflightVertexJob(plan, submitContext(stand)))) as DlrunError;
    assert.ok(error instanceof DlrunError);
    assert.match(error.message, /no Google Cloud project/);
    assert.equal(stand.vertex.requests().length, 0);
  });
});

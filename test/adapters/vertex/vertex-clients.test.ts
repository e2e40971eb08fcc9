import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'vitest';
import { asLedgerId } from '../../../src/backend/job-id.js';
import { ProviderError } from '../../../src/base/errors.js';
import { vertexClients } from '../../../adapters/vertex/vertex-clients.js';
import { vertexEndpoints } from '../../../adapters/vertex/vertex-endpoints.js';
import { google } from '../../../adapters/vertex/vertex-errors.js';
import { startDeadEndpoint } from '../../standins/dead-endpoint.js';
import { gcsServerFor } from '../../standins/gcs-server.js';
import { vertexServerFor } from '../../standins/vertex-server.js';
import { writeServiceAccountKey } from '../../support/google-key-file.js';
import { tempDir } from '../../support/temp-dir.js';
import { rejection } from '../../support/rejection.js';

const LEDGER = asLedgerId('vertex-ledger');
const TOKEN = 'ya29.test-token';
const PARENT = 'projects/dlrun-test/locations/us-central1';

function context(env: Record<string, string | undefined>) {
  return { ledgerId: LEDGER, home: '/nonexistent', env: { GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN, ...env } };
}

const CUSTOM_JOB = {
  displayName: 'dlrun-test',
  jobSpec: {
    workerPoolSpecs: [
      { machineSpec: { machineType: 'n1-standard-4' }, replicaCount: '1', containerSpec: { imageUri: 'img' } },
    ],
  },
};

describe('vertexClients', () => {
  test('the Bearer token of GOOGLE_OAUTH_ACCESS_TOKEN reaches both custom endpoints', async (t) => {
    const vertex = await vertexServerFor(t, { requireToken: TOKEN });
    const gcs = await gcsServerFor(t, { requireToken: TOKEN });
    gcs.createBucket('staging');
    const clients = vertexClients(
      'us-central1',
      context({ DLRUN_VERTEX_URL: vertex.url, DLRUN_GCS_URL: gcs.endpoint }),
      {
        project: 'dlrun-test',
      },
    );
    assert.equal(clients.rootUrl, `${vertex.url}/`);
    const created = await clients.aiplatform.projects.locations.customJobs.create({
      parent: PARENT,
      requestBody: CUSTOM_JOB,
    });
    assert.match(created.data.name ?? '', /customJobs\/\d+$/);
    assert.equal(vertex.requests('create')[0]?.headers.authorization, `Bearer ${TOKEN}`);
    await clients.storage.bucket('staging').file('a/b.txt').save('hello', { resumable: false });
    const [exists] = await clients.storage.bucket('staging').file('a/b.txt').exists();
    assert.equal(exists, true);
    for (const request of gcs.requests()) assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    assert.ok(gcs.requests().length >= 2);
    assert.deepEqual(
      vertexEndpoints(context({ DLRUN_VERTEX_URL: vertex.url, DLRUN_GCS_URL: gcs.endpoint })).map((e) => e.setting),
      ['DLRUN_VERTEX_URL', 'DLRUN_GCS_URL'],
    );
  });

  test('without DLRUN_VERTEX_URL the root URL is the regional endpoint', () => {
    assert.equal(vertexClients('europe-west4', context({})).rootUrl, 'https://europe-west4-aiplatform.googleapis.com/');
    assert.equal(
      vertexClients(undefined, context({ CLOUDSDK_AI_REGION: 'asia-east1' })).rootUrl,
      'https://asia-east1-aiplatform.googleapis.com/',
    );
    assert.deepEqual(vertexEndpoints(context({})), []);
  });

  test('the project: the job file, then the environment, else a clear error', async () => {
    assert.equal(await vertexClients('us-central1', context({}), { project: 'p-one' }).project(), 'p-one');
    assert.equal(await vertexClients('us-central1', context({ GOOGLE_CLOUD_PROJECT: 'p-two' })).project(), 'p-two');
    const error = await rejection(vertexClients('us-central1', context({})).project());
    assert.match(error.message, /no Google Cloud project for this Vertex AI job/);
    assert.match((error as ProviderError).hint ?? '', /backends\.vertex\.project/);
  });

  test('ADC: the key file names the project; an unreadable key file is a clear error', async (t) => {
    const folder = tempDir(t);
    const keyFile = writeServiceAccountKey(folder, {
      project: 'from-key-file',
      email: 'dlrun@from-key-file.iam.gserviceaccount.com',
    });
    const adc = { ledgerId: LEDGER, home: '/nonexistent', env: { GOOGLE_APPLICATION_CREDENTIALS: keyFile } };
    assert.equal(await vertexClients('us-central1', adc).project(), 'from-key-file');

    const missing = path.join(folder, 'absent.json');
    const clients = vertexClients('us-central1', { ...adc, env: { GOOGLE_APPLICATION_CREDENTIALS: missing } });
    const error = await rejection(
      google('listing custom jobs', () => clients.aiplatform.projects.locations.customJobs.list({ parent: PARENT })),
    );
    assert.ok(error instanceof ProviderError);
    assert.equal(
      error.message,
      `listing custom jobs: the Google Cloud credentials file ${missing} cannot be read (ENOENT)`,
    );
  });

  test('401, 403, 404 and a google.rpc.Status 400 become user errors naming the call', async (t) => {
    const vertex = await vertexServerFor(t, { requireToken: TOKEN });
    const gcs = await gcsServerFor(t, { requireToken: TOKEN });
    gcs.createBucket('readonly', { writable: false });
    const env = { DLRUN_VERTEX_URL: vertex.url, DLRUN_GCS_URL: gcs.endpoint };
    const good = vertexClients('us-central1', context(env));
    const wrong = vertexClients('us-central1', context({ ...env, GOOGLE_OAUTH_ACCESS_TOKEN: 'stale' }));
    const jobs = (clients: typeof good) => clients.aiplatform.projects.locations.customJobs;

    const unauthenticated = await rejection(google('listing custom jobs', () => jobs(wrong).list({ parent: PARENT })));
    assert.ok(unauthenticated instanceof ProviderError);
    assert.match(unauthenticated.message, /^listing custom jobs: Google Cloud rejected the credentials \(401/);
    assert.match(unauthenticated.hint ?? '', /GOOGLE_OAUTH_ACCESS_TOKEN/);

    const denied = await rejection(
      google('listing custom jobs', () => jobs(good).list({ parent: 'projects/other/locations/us-central1' })),
    );
    assert.match(denied.message, /^listing custom jobs: your Google Cloud credentials may not do this \(403/);

    const missing = await rejection(
      google('reading the custom job', () => jobs(good).get({ name: `${PARENT}/customJobs/123` })),
    );
    assert.match(missing.message, /^reading the custom job: Google Cloud has no such resource \(404 NOT_FOUND/);

    const invalid = await rejection(
      google('creating the custom job', () =>
        jobs(good).create({ parent: PARENT, requestBody: { ...CUSTOM_JOB, displayName: '' } }),
      ),
    );
    assert.ok(invalid instanceof ProviderError);
    assert.equal(invalid.audience, 'user');
    assert.match(invalid.message, /^creating the custom job: Google Cloud refused the request \(400 INVALID_ARGUMENT/);
    assert.equal(invalid.providerCode, 'INVALID_ARGUMENT');

    const forbidden = await rejection(
      google('writing gs://readonly/x', () =>
        good.storage.bucket('readonly').file('x').save('x', { resumable: false }),
      ),
    );
    assert.match(forbidden.message, /^writing gs:\/\/readonly\/x: your Google Cloud credentials may not do this \(403/);
    const storageUnauthenticated = await rejection(
      google('reading gs://readonly/x', () => wrong.storage.bucket('readonly').file('x').download()),
    );
    assert.match(storageUnauthenticated.message, /^reading gs:\/\/readonly\/x: Google Cloud rejected the credentials/);
  });

  test('reads are retried on 503 and a dropped connection; a create never is', async (t) => {
    const vertex = await vertexServerFor(t, { requireToken: TOKEN });
    const clients = vertexClients('us-central1', context({ DLRUN_VERTEX_URL: vertex.url }));
    const jobs = clients.aiplatform.projects.locations.customJobs;
    vertex.inject({ match: 'list', kind: 503 });
    vertex.inject({ match: 'list', kind: 'drop-before' });
    await jobs.list({ parent: PARENT });
    assert.equal(vertex.requests('list').length, 3);
    vertex.inject({ match: 'create', kind: 503 });
    const error = await rejection(
      google('creating the custom job', () => jobs.create({ parent: PARENT, requestBody: CUSTOM_JOB })),
    );
    assert.match(error.message, /^creating the custom job: Google Cloud failed to answer \(503/);
    assert.equal((error as ProviderError).isRetryable, true);
    assert.equal(vertex.requests('create').length, 1);
    assert.equal(vertex.jobs().length, 0);
  });

  test('a Vertex AI endpoint that never answers fails within the deadline, with a clear message', async (t) => {
    const dead = await startDeadEndpoint(t, 'silent');
    const clients = vertexClients(
      'us-central1',
      context({ DLRUN_VERTEX_URL: dead.endpoint, DLRUN_GCS_URL: dead.endpoint, DLRUN_NETWORK_TIMEOUT_MS: '500' }),
    );
    const started = Date.now();
    const error = await rejection(
      google(
        'reading the custom job',
        () => clients.aiplatform.projects.locations.customJobs.get({ name: `${PARENT}/customJobs/1` }),
        clients.deadline,
      ),
    );
    assert.ok(Date.now() - started < 3_000, `took ${Date.now() - started} ms`);
    assert.match(error.message, /^reading the custom job: Google Cloud did not answer within 0\.5 s/);
    assert.match((error as ProviderError).hint ?? '', /DLRUN_VERTEX_URL.*DLRUN_NETWORK_TIMEOUT_MS \(now 500\)/);

    const storageStarted = Date.now();
    const storageError = await rejection(
      google('reading gs://b/x', () => clients.storage.bucket('b').file('x').exists(), clients.storageDeadline),
    );
    // The storage client retries a request that got no answer: 3 deadlines of 0.5 s and 2 pauses of at most 1 s.
    assert.ok(Date.now() - storageStarted < 5_500, `took ${Date.now() - storageStarted} ms`);
    assert.match(storageError.message, /^reading gs:\/\/b\/x: Google Cloud did not answer within 0\.5 s, 3 attempts/);
    assert.match((storageError as ProviderError).hint ?? '', /DLRUN_GCS_URL/);
  });
});

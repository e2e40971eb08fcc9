import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, test, type TestContext } from 'vitest';
import { checkVertex } from '../../../adapters/vertex/vertex-check.js';
import { stagingBucketSetting } from '../../../adapters/vertex/vertex-staging-setting.js';
import { asLedgerId } from '../../../src/backend/job-id.js';
import type { CheckItem } from '../../../src/backend/training-backend.js';
import type { JobSpec } from '../../../src/spec/job-spec.js';
import { type GcsServer, gcsServerFor } from '../../standins/gcs-server.js';
import { type VertexServer, vertexServerFor } from '../../standins/vertex-server.js';
import { defer } from '../../support/cleanup.js';
import { tempDir } from '../../support/temp-dir.js';

const LEDGER = asLedgerId('check-ledger');
const TOKEN = 'ya29.check-token';

interface Stand {
  readonly vertex: VertexServer;
  readonly gcs: GcsServer;
  readonly env: Record<string, string | undefined>;
}

/** Both stand-ins, asking for TOKEN, a writable bucket `staging`, and the environment of a user set up for them. */
async function standIns(t: TestContext): Promise<Stand> {
  const vertex = await vertexServerFor(t, { requireToken: TOKEN });
  const gcs = await gcsServerFor(t, { requireToken: TOKEN });
  gcs.createBucket('staging');
  const env = {
    GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN,
    DLRUN_VERTEX_URL: vertex.url,
    DLRUN_GCS_URL: gcs.endpoint,
    GOOGLE_CLOUD_PROJECT: vertex.projectId,
    DLRUN_VERTEX_STAGING_BUCKET: 'gs://staging/team',
  };
  return { vertex, gcs, env };
}

async function check(env: Record<string, string | undefined>, fromDotenv: string[] = []): Promise<CheckItem[]> {
  return checkVertex({ ledgerId: LEDGER, home: '/nonexistent', env, fromDotenv: new Set(fromDotenv) });
}

function item(items: readonly CheckItem[], name: string): CheckItem {
  const found = items.find((candidate) => candidate.check === name);
  assert.ok(found, `no "${name}" item in ${JSON.stringify(items)}`);
  return found;
}

/** The check is usable exactly when every required item is ok, as `dlrun check` decides. */
function usable(items: readonly CheckItem[]): boolean {
  return items.every((candidate) => candidate.ok || !candidate.required);
}

describe('checkVertex against the stand-ins', () => {
  test('everything set up: every item ok, the token never shown, the write check leaves nothing', async (t) => {
    const { vertex, gcs, env } = await standIns(t);
    const items = await check(env, ['DLRUN_VERTEX_STAGING_BUCKET']);
    assert.deepEqual(
      items.map(({ check, ok, required }) => [check, ok, required]),
      [
        ['credentials', true, true],
        ['project', true, true],
        ['region', true, true],
        ['prices', true, false],
        ['Vertex AI API', true, true],
        ['staging bucket', true, true],
      ],
    );
    assert.match(item(items, 'credentials').detail, /GOOGLE_OAUTH_ACCESS_TOKEN \(your shell\)/);
    assert.equal(item(items, 'project').detail, 'dlrun-test (GOOGLE_CLOUD_PROJECT, your shell)');
    assert.match(item(items, 'region').detail, /^us-central1 \(dlrun's default; .*us-docker\.pkg\.dev mirror$/);
    assert.match(item(items, 'Vertex AI API').detail, /projects\/dlrun-test\/locations\/us-central1/);
    assert.match(item(items, 'staging bucket').detail, /^gs:\/\/staging\/team \(DLRUN_VERTEX_STAGING_BUCKET, \.env\)/);
    for (const each of items) assert.ok(!each.detail.includes(TOKEN), `${each.check} shows the token`);
    // One list of one job, with the token.
    const lists = vertex.requests('list');
    assert.equal(lists.length, 1);
    assert.equal(lists[0]?.query.pageSize, '1');
    assert.equal(lists[0]?.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(gcs.objects('staging'), []);
    assert.ok(gcs.requests({ method: 'POST' }).length >= 1, 'the bucket was written to');
  });

  test('no project: a failed required item with the fix; the API is not asked, the bucket still checked', async (t) => {
    const { vertex, env } = await standIns(t);
    const items = await check({ ...env, GOOGLE_CLOUD_PROJECT: undefined });
    const project = item(items, 'project');
    assert.equal(project.ok, false);
    assert.equal(project.required, true);
    assert.match(project.detail, /^no Google Cloud project for this Vertex AI job; set backends\.vertex\.project/);
    assert.match(project.detail, /GOOGLE_CLOUD_PROJECT/);
    const api = item(items, 'Vertex AI API');
    assert.deepEqual([api.ok, api.required], [false, false]);
    assert.match(api.detail, /not asked: there is no project to ask in/);
    assert.equal(vertex.requests().length, 0);
    assert.equal(item(items, 'staging bucket').ok, true);
    assert.equal(usable(items), false);
  });

  test('credentials Vertex AI rejects (401) or that may not use the project (403): failed, with the fix', async (t) => {
    const { env } = await standIns(t);
    const stale = await check({ ...env, GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.stale' });
    const rejected = item(stale, 'Vertex AI API');
    assert.deepEqual([rejected.ok, rejected.required], [false, true]);
    assert.match(rejected.detail, /Google Cloud rejected the credentials \(401 UNAUTHENTICATED/);
    assert.match(rejected.detail, /GOOGLE_OAUTH_ACCESS_TOKEN to a fresh `gcloud auth print-access-token`/);
    // The bucket refuses the stale token too: its own failed item, not a stop.
    assert.equal(item(stale, 'staging bucket').ok, false);
    for (const each of stale) assert.ok(!each.detail.includes('ya29.stale'), `${each.check} shows the token`);

    const elsewhere = await check({ ...env, GOOGLE_CLOUD_PROJECT: 'someone-elses' });
    const denied = item(elsewhere, 'Vertex AI API');
    assert.deepEqual([denied.ok, denied.required], [false, true]);
    assert.match(denied.detail, /projects\/someone-elses\/locations\/us-central1: your Google Cloud credentials may/);
    assert.match(denied.detail, /\(403 PERMISSION_DENIED.*Vertex AI User role/);
    assert.equal(item(elsewhere, 'staging bucket').ok, true);
    assert.equal(usable(elsewhere), false);
  });

  test('a Vertex AI that fails to answer (503 on every attempt) fails only its own item', async (t) => {
    const { vertex, env } = await standIns(t);
    vertex.inject({ match: 'list', kind: 503, times: Infinity });
    const items = await check(env);
    const api = item(items, 'Vertex AI API');
    assert.deepEqual([api.ok, api.required], [false, true]);
    assert.match(api.detail, /Google Cloud failed to answer \(503 UNAVAILABLE.*; try again in a few minutes$/);
    assert.equal(item(items, 'staging bucket').ok, true);
    assert.equal(item(items, 'project').ok, true);
  });

  test('a staging bucket these credentials may not write: a failed required item naming the role', async (t) => {
    const { gcs, env } = await standIns(t);
    gcs.createBucket('readonly', { writable: false });
    const items = await check({ ...env, DLRUN_VERTEX_STAGING_BUCKET: 'gs://readonly' });
    const bucket = item(items, 'staging bucket');
    assert.deepEqual([bucket.ok, bucket.required], [false, true]);
    assert.match(bucket.detail, /may not write to the staging bucket gs:\/\/readonly \(403\); grant .*Storage Object/);
    assert.equal(item(items, 'Vertex AI API').ok, true);

    const absent = item(await check({ ...env, DLRUN_VERTEX_STAGING_BUCKET: 'gs://nowhere/x' }), 'staging bucket');
    assert.deepEqual([absent.ok, absent.required], [false, true]);
    assert.match(absent.detail, /the staging bucket gs:\/\/nowhere does not exist; create it/);

    const malformed = item(await check({ ...env, DLRUN_VERTEX_STAGING_BUCKET: 's3://x' }), 'staging bucket');
    assert.deepEqual([malformed.ok, malformed.required], [false, true]);
    assert.match(malformed.detail, /is not a gs:\/\/ URL/);
  });

  test('no DLRUN_VERTEX_STAGING_BUCKET: a note that jobs must name their bucket, nothing written', async (t) => {
    const { gcs, env } = await standIns(t);
    const items = await check({ ...env, DLRUN_VERTEX_STAGING_BUCKET: '' });
    const bucket = item(items, 'staging bucket');
    assert.deepEqual([bucket.ok, bucket.required], [false, false]);
    assert.match(bucket.detail, /every job must name its bucket in backends\.vertex\.staging_bucket/);
    assert.equal(gcs.requests().length, 0);
    assert.equal(usable(items), true);
  });

  test('a region without prices is advice; the region is the environment one', async (t) => {
    const { env } = await standIns(t);
    const items = await check({ ...env, CLOUDSDK_AI_REGION: 'europe-west4', DLRUN_VERTEX_STAGING_BUCKET: undefined });
    assert.match(item(items, 'region').detail, /^europe-west4 \(CLOUDSDK_AI_REGION, your shell;.*europe-docker/);
    const prices = item(items, 'prices');
    assert.deepEqual([prices.ok, prices.required], [false, false]);
    assert.match(prices.detail, /no Vertex AI prices in europe-west4.*us-central1/);
  });

  test('a key file: which account, never its key; an unreadable one is a failed item', async (t) => {
    const { vertex } = await standIns(t);
    const folder = tempDir(t);
    const keyFile = path.join(folder, 'key.json');
    writeFileSync(
      keyFile,
      JSON.stringify({
        type: 'service_account',
        project_id: 'from-key-file',
        client_email: 'trainer@from-key-file.iam.gserviceaccount.com',
        private_key: 'PRIVATE-KEY-TEXT',
      }),
    );
    const env = { DLRUN_VERTEX_URL: vertex.url, GOOGLE_APPLICATION_CREDENTIALS: keyFile, HOME: folder };
    const items = await check(env);
    const credentials = item(items, 'credentials');
    assert.equal(credentials.ok, true);
    assert.equal(
      credentials.detail,
      `the service account trainer@from-key-file.iam.gserviceaccount.com, from ${keyFile} ` +
        '(GOOGLE_APPLICATION_CREDENTIALS (your shell))',
    );
    assert.match(item(items, 'project').detail, /^from-key-file \(the Application Default Credentials' project/);
    for (const each of items) assert.ok(!each.detail.includes('PRIVATE-KEY-TEXT'), `${each.check} shows the key`);
    // The key is no key: google-auth-library cannot sign with it, and the item says what dlrun was doing.
    const api = item(items, 'Vertex AI API');
    assert.deepEqual([api.ok, api.required], [false, true]);
    assert.match(api.detail, /^listing the Vertex AI custom jobs of projects\/from-key-file\/locations\/us-central1: /);
    assert.equal(vertex.requests().length, 0);

    const missing = path.join(folder, 'absent.json');
    const gone = await check({ ...env, GOOGLE_APPLICATION_CREDENTIALS: missing, GOOGLE_CLOUD_PROJECT: 'p' });
    const failed = item(gone, 'credentials');
    assert.deepEqual([failed.ok, failed.required], [false, true]);
    assert.match(failed.detail, /absent\.json \(GOOGLE_APPLICATION_CREDENTIALS \(your shell\)\) cannot be read \(/);
    assert.match(item(gone, 'Vertex AI API').detail, /not asked: there are no credentials to ask with/);

    // No key file named: gcloud's file in HOME is next (a broken one here, so that nothing asks Google).
    const gcloud = path.join(folder, '.config', 'gcloud');
    mkdirSync(gcloud, { recursive: true });
    writeFileSync(path.join(gcloud, 'application_default_credentials.json'), '{"type": "authorized_user", ');
    const broken = item(
      await check({ HOME: folder, GOOGLE_CLOUD_PROJECT: 'p', DLRUN_VERTEX_URL: vertex.url }),
      'credentials',
    );
    assert.deepEqual([broken.ok, broken.required], [false, true]);
    assert.match(
      broken.detail,
      /application_default_credentials\.json \(gcloud's application default credentials\) is/,
    );
    assert.match(broken.detail, /not JSON: run `gcloud auth application-default login` again$/);
  });
});

/**
 * google-auth-library reads its own settings from this process's environment (HOME for gcloud's file, and the
 * metadata server's address and detection mode), not from the context: set for one test, then restored.
 */
function processEnvironment(t: TestContext, values: Record<string, string>): void {
  const before = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  defer(t, () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

/** A metadata server on 127.0.0.1 that hands out one access token, as a Google Cloud machine's does. */
async function metadataServer(t: TestContext): Promise<{ host: string; paths: string[] }> {
  const paths: string[] = [];
  const server = http.createServer((request, response) => {
    paths.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'application/json', 'metadata-flavor': 'Google' });
    response.end(JSON.stringify({ access_token: 'ya29.from-metadata', expires_in: 3599, token_type: 'Bearer' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  defer(t, () => new Promise<void>((resolve) => server.close(() => resolve())));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

describe('checkVertex with neither token nor file: the metadata server', () => {
  test('one that gives a token: ok, named, the token not shown', async (t) => {
    const metadata = await metadataServer(t);
    const home = tempDir(t);
    processEnvironment(t, {
      HOME: home,
      GCE_METADATA_HOST: metadata.host,
      METADATA_SERVER_DETECTION: 'assume-present',
      // Else google-auth-library asks gcloud for its project (a second and a half) before it asks for a token.
      GOOGLE_CLOUD_PROJECT: 'dlrun-test',
    });
    const vertex = await vertexServerFor(t, { requireToken: 'ya29.from-metadata' });
    const items = await check({ HOME: home, GOOGLE_CLOUD_PROJECT: vertex.projectId, DLRUN_VERTEX_URL: vertex.url });
    const credentials = item(items, 'credentials');
    assert.deepEqual([credentials.ok, credentials.required], [true, true]);
    // Vertex AI got the metadata server's token.
    assert.equal(item(items, 'Vertex AI API').ok, true);
    assert.equal(credentials.detail, 'the metadata server of this Google Cloud machine (its service account)');
    assert.ok(
      metadata.paths.some((asked) => asked.includes('/service-accounts/default/token')),
      metadata.paths.join(),
    );
    for (const each of items) assert.ok(!each.detail.includes('ya29.from-metadata'), `${each.check} shows the token`);
  });

  test('none: no credentials, with the three ways to get some', async (t) => {
    const home = tempDir(t);
    processEnvironment(t, { HOME: home, METADATA_SERVER_DETECTION: 'none' });
    const vertex = await vertexServerFor(t);
    const items = await check({ HOME: home, GOOGLE_CLOUD_PROJECT: 'p', DLRUN_VERTEX_URL: vertex.url });
    const credentials = item(items, 'credentials');
    assert.deepEqual([credentials.ok, credentials.required], [false, true]);
    assert.equal(vertex.requests().length, 0);
    assert.match(
      credentials.detail,
      /^looking for Google Cloud credentials: no Google Cloud credentials were found; run/,
    );
    assert.match(credentials.detail, /GOOGLE_APPLICATION_CREDENTIALS.*GOOGLE_OAUTH_ACCESS_TOKEN/);
    assert.equal(usable(items), false);
  });
});

describe('stagingBucketSetting', () => {
  test('the job file, else DLRUN_VERTEX_STAGING_BUCKET, else none', () => {
    const job = { backends: { vertex: { staging_bucket: 'gs://from-job/x' } } } as unknown as JobSpec;
    const env = { DLRUN_VERTEX_STAGING_BUCKET: ' gs://from-env ' };
    assert.deepEqual(stagingBucketSetting(job, env), {
      url: 'gs://from-job/x',
      source: 'backends.vertex.staging_bucket',
    });
    assert.deepEqual(stagingBucketSetting(undefined, env), {
      url: 'gs://from-env',
      source: 'DLRUN_VERTEX_STAGING_BUCKET',
    });
    assert.equal(stagingBucketSetting({ backends: {} } as unknown as JobSpec, {}), undefined);
    assert.equal(stagingBucketSetting(undefined, { DLRUN_VERTEX_STAGING_BUCKET: '  ' }), undefined);
  });
});

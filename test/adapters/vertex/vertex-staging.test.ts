import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, test } from 'vitest';
import { vertexClients } from '../../../adapters/vertex/vertex-clients.js';
import {
  checkStagingBucket,
  getText,
  parseStagingBucket,
  putText,
  stageWorkdir,
  workdirArchiveName,
} from '../../../adapters/vertex/vertex-staging.js';
import { asLedgerId } from '../../../src/backend/job-id.js';
import { DlrunError, ProviderError } from '../../../src/base/errors.js';
import { listWorkdir } from '../../../src/util/workdir-files.js';
import { gcsServerFor } from '../../standins/gcs-server.js';
import { tempDir } from '../../support/temp-dir.js';
import { rejection } from '../../support/rejection.js';

const LEDGER = asLedgerId('vertex-ledger');
const TOKEN = 'ya29.staging';
const LABELS = { jobId: 'job-1', ledgerId: LEDGER };

function storageFor(endpoint: string) {
  const env = { GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN, DLRUN_GCS_URL: endpoint };
  return vertexClients('us-central1', { ledgerId: LEDGER, home: '/nonexistent', env }, { project: 'p' });
}

describe('parseStagingBucket', () => {
  test('gs://bucket/prefix, with or without a prefix or a trailing slash', () => {
    assert.deepEqual(parseStagingBucket('gs://my-bucket/runs/dlrun/'), { bucket: 'my-bucket', prefix: 'runs/dlrun' });
    assert.deepEqual(parseStagingBucket('gs://my-bucket'), { bucket: 'my-bucket', prefix: '' });
    assert.deepEqual(parseStagingBucket('gs://my-bucket/'), { bucket: 'my-bucket', prefix: '' });
  });

  test('anything else is a clear error', () => {
    for (const url of ['s3://bucket', 'my-bucket', 'gs://', 'gs://UPPER', 'gs://a/b//c', 'gs://bucket/../x']) {
      assert.throws(() => parseStagingBucket(url), DlrunError, url);
    }
  });
});

describe('staging against the Cloud Storage stand-in', () => {
  test('the workdir archive is uploaded once, labelled, under <prefix>/dlrun/<ledger>/workdirs/', async (t) => {
    const gcs = await gcsServerFor(t, { requireToken: TOKEN });
    gcs.createBucket('staging');
    const root = tempDir(t);
    writeFileSync(path.join(root, 'train.py'), 'print("hi")\n');
    mkdirSync(path.join(root, 'data'));
    writeFileSync(path.join(root, 'data', 'x.txt'), 'x'.repeat(300_000));
    const location = parseStagingBucket('gs://staging/team');
    const { storage, storageDeadline } = storageFor(gcs.endpoint);
    const manifest = listWorkdir(root);
    const planned = workdirArchiveName(location, LEDGER, manifest);
    assert.match(planned, /^team\/dlrun\/vertex-ledger\/workdirs\/[0-9a-f]{64}\.tar\.gz$/);

    await checkStagingBucket(storage, location, LABELS, storageDeadline);
    const first = await stageWorkdir(storage, location, LABELS, manifest, { plannedName: planned });
    assert.equal(first.name, planned);
    assert.equal(first.uploaded, true);
    const stored = gcs.object('staging', planned);
    assert.ok(stored);
    assert.deepEqual(stored.metadata, { 'dlrun-job-id': 'job-1', 'dlrun-ledger': 'vertex-ledger' });
    assert.equal(stored.bytes.length, first.bytes);
    assert.match(gunzipSync(stored.bytes).toString('latin1'), /train\.py/);
    const session = gcs.requests({ method: 'POST' }).find((r) => r.query.uploadType === 'resumable');
    assert.equal(session?.headers.authorization, `Bearer ${TOKEN}`, 'the resumable session was opened with the token');
    // Every request that is not a resumable session's own chunk carried the token.
    for (const request of gcs.requests().filter((r) => r.query.upload_id === undefined))
      assert.equal(request.headers.authorization, `Bearer ${TOKEN}`, `${request.method} ${request.path}`);
    // The write check left nothing behind.
    assert.deepEqual(
      gcs.objects('staging').map((object) => object.name),
      [planned],
    );

    const uploads = gcs.requests({ method: 'POST' }).length;
    const again = await stageWorkdir(storage, location, { ...LABELS, jobId: 'job-2' }, listWorkdir(root));
    assert.deepEqual(again, { name: planned, uploaded: false, bytes: 0 });
    assert.equal(gcs.requests({ method: 'POST' }).length, uploads, 'an unchanged workdir is not uploaded again');

    writeFileSync(path.join(root, 'train.py'), 'print("changed")\n');
    const changed = await rejection(
      stageWorkdir(storage, location, LABELS, listWorkdir(root), { plannedName: planned }),
    );
    assert.match(changed.message, /changed while the job was being submitted/);
  });

  test('putText and getText: labelled text objects, undefined when absent', async (t) => {
    const gcs = await gcsServerFor(t, { requireToken: TOKEN });
    gcs.createBucket('staging');
    const location = parseStagingBucket('gs://staging');
    const { storage } = storageFor(gcs.endpoint);
    assert.equal(await getText(storage, location, 'dlrun/vertex-ledger/jobs/job-1/result.json'), undefined);
    await putText(storage, location, 'dlrun/vertex-ledger/jobs/job-1/result.json', '{"exit":0}\n', LABELS);
    assert.equal(await getText(storage, location, 'dlrun/vertex-ledger/jobs/job-1/result.json'), '{"exit":0}\n');
    const stored = gcs.object('staging', 'dlrun/vertex-ledger/jobs/job-1/result.json');
    assert.deepEqual(stored?.metadata, { 'dlrun-job-id': 'job-1', 'dlrun-ledger': 'vertex-ledger' });
  });

  test('a missing or read-only bucket is a clear error before anything is staged', async (t) => {
    const gcs = await gcsServerFor(t, { requireToken: TOKEN });
    gcs.createBucket('readonly', { writable: false });
    const { storage } = storageFor(gcs.endpoint);
    const missing = await rejection(checkStagingBucket(storage, parseStagingBucket('gs://absent/x'), LABELS));
    assert.ok(missing instanceof DlrunError);
    assert.match(missing.message, /^the staging bucket gs:\/\/absent does not exist$/);
    assert.match(missing.hint ?? '', /backends\.vertex\.staging_bucket/);

    const readonly = await rejection(checkStagingBucket(storage, parseStagingBucket('gs://readonly/x'), LABELS));
    assert.ok(readonly instanceof ProviderError);
    assert.match(readonly.message, /^these credentials may not write to the staging bucket gs:\/\/readonly/);
    assert.match(readonly.hint ?? '', /Storage Object Admin/);
    assert.deepEqual(gcs.objects('readonly'), []);
  });
});

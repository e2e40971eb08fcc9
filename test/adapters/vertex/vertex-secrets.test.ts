import assert from 'node:assert/strict';
import { type TestContext, test } from 'vitest';
import { vertexClients } from '../../../adapters/vertex/vertex-clients.js';
import { jobObjects } from '../../../adapters/vertex/vertex-details.js';
import { deleteSecrets, stageSecrets } from '../../../adapters/vertex/vertex-secrets.js';
import { DlrunError, ProviderError } from '../../../src/base/errors.js';
import { asJobId, asLedgerId } from '../../../src/backend/job-id.js';
import { gcsServerFor } from '../../standins/gcs-server.js';
import { rejection } from '../../support/rejection.js';
import { tempDir } from '../../support/temp-dir.js';

const LEDGER = asLedgerId('vertex-secrets-ledger');
const JOB = asJobId('train-20261206-0001-abcd');
const TOKEN = 'ya29.secrets';
const PLACE = { bucket: 'staging', prefix: 'team' };
const VALUE = 'hunter2-"quoted"-$(id)-\nsecond line';

async function setUp(t: TestContext) {
  const gcs = await gcsServerFor(t, { requireToken: TOKEN });
  gcs.createBucket('staging');
  const env = { GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN, DLRUN_GCS_URL: gcs.endpoint };
  const clients = vertexClients('us-central1', { ledgerId: LEDGER, home: tempDir(t), env }, { project: 'p' });
  return { gcs, clients, name: jobObjects(PLACE, LEDGER, JOB).secrets };
}

test('the secrets object: one request, JSON of names and values, labelled as the job', async (t) => {
  const { gcs, clients, name } = await setUp(t);
  const staged = await stageSecrets(clients, PLACE, LEDGER, JOB, { API_KEY: VALUE, OTHER: '' });
  assert.equal(staged, name);
  assert.equal(name, 'team/dlrun/vertex-secrets-ledger/jobs/train-20261206-0001-abcd/secrets.json');
  const stored = gcs.object('staging', name);
  assert.ok(stored);
  assert.deepEqual(JSON.parse(stored.bytes.toString('utf8')), { API_KEY: VALUE, OTHER: '' });
  assert.deepEqual(stored.metadata, { 'dlrun-job-id': JOB, 'dlrun-ledger': LEDGER });
  const writes = gcs.requests({ method: 'POST' });
  assert.equal(writes.length, 1, 'one request');
  assert.notEqual(writes[0]?.query.uploadType, 'resumable', 'no resumable session, whose URL could finish the write');
});

test('deleteSecrets removes it, and is no error when it is gone already', async (t) => {
  const { gcs, clients, name } = await setUp(t);
  await stageSecrets(clients, PLACE, LEDGER, JOB, { API_KEY: VALUE });
  await deleteSecrets(clients, PLACE, LEDGER, JOB);
  assert.equal(gcs.object('staging', name), undefined);
  await deleteSecrets(clients, PLACE, LEDGER, JOB);
});

test('a name that is not a variable name is refused before anything is written', async (t) => {
  const { gcs, clients } = await setUp(t);
  for (const bad of ['1ABC', 'A-B', 'A=B', '', 'A B', 'X\nY']) {
    const error = await rejection(stageSecrets(clients, PLACE, LEDGER, JOB, { [bad]: VALUE }));
    assert.ok(error instanceof DlrunError, bad);
    assert.match(error.message, /is not a variable name/);
  }
  assert.deepEqual(gcs.requests(), []);
});

test('a write refused: a ProviderError that names the object, with no value and no request in it', async (t) => {
  const { gcs, clients } = await setUp(t);
  gcs.setWritable('staging', false);
  const error = await rejection(stageSecrets(clients, PLACE, LEDGER, JOB, { API_KEY: VALUE }));
  assert.ok(error instanceof ProviderError);
  assert.match(error.message, /writing the job's secrets to gs:\/\/staging\/team\/.*secrets\.json: .*403/);
  assert.equal(error.cause, undefined, 'the client error, which holds the request body, is not kept');
  assert.ok(!JSON.stringify({ ...error, message: error.message, hint: error.hint }).includes('hunter2'));
});

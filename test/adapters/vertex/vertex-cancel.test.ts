import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { cancelVertexJob } from '../../../adapters/vertex/vertex-cancel.js';
import { jobObjects } from '../../../adapters/vertex/vertex-details.js';
import { asJobId } from '../../../src/backend/job-id.js';
import { ProviderError } from '../../../src/base/errors.js';
import { rejection } from '../../support/rejection.js';
import { BUCKET, LEDGER, PREFIX, vertexStand } from '../../support/vertex-jobs-stand.js';

const objects = (jobId: string) => jobObjects({ bucket: BUCKET, prefix: PREFIX }, LEDGER, asJobId(jobId));
const HOLD = { cancellingMs: Number.POSITIVE_INFINITY };

describe('cancelVertexJob', () => {
  test('writes the labelled cancel-requested object, then cancels once: the job is CANCELLING', async (t) => {
    const stand = await vertexStand(t, HOLD);
    const name = await stand.create('train');
    stand.vertex.setState(name, 'JOB_STATE_RUNNING');
    await cancelVertexJob(stand.handle('train', name), stand.context);
    const marker = stand.gcs.object(BUCKET, objects('train').cancelRequested);
    assert.ok(marker, 'the cancel-requested object');
    assert.deepEqual(marker.metadata, { 'dlrun-job-id': 'train', 'dlrun-ledger': LEDGER });
    assert.equal(stand.vertex.requests('cancel').length, 1);
    assert.equal(stand.vertex.job(name)?.state, 'JOB_STATE_CANCELLING');
  });

  test('a job whose submit recorded no name is found by its label and cancelled', async (t) => {
    const stand = await vertexStand(t, HOLD);
    const name = await stand.create('orphan');
    await cancelVertexJob(stand.handle('orphan', null), stand.context);
    assert.equal(stand.vertex.requests('cancel')[0]?.path, `/v1/${name}:cancel`);
    assert.equal(stand.vertex.job(name)?.state, 'JOB_STATE_CANCELLING');
  });

  test('a no-op on a job that ended, one already cancelling, and one Vertex has no trace of', async (t) => {
    const stand = await vertexStand(t, HOLD);
    const ended = await stand.create('ended');
    stand.vertex.setState(ended, 'JOB_STATE_RUNNING');
    stand.vertex.setState(ended, 'JOB_STATE_SUCCEEDED');
    await cancelVertexJob(stand.handle('ended', ended), stand.context);
    const cancelling = await stand.create('cancelling');
    stand.vertex.setState(cancelling, 'JOB_STATE_CANCELLING');
    await cancelVertexJob(stand.handle('cancelling', cancelling), stand.context);
    await cancelVertexJob(stand.handle('nothing', null), stand.context);
    const gone = `projects/${stand.vertex.projectNumber}/locations/us-central1/customJobs/42`;
    await cancelVertexJob(stand.handle('gone', gone), stand.context);
    assert.equal(stand.vertex.requests('cancel').length, 0);
    assert.equal(stand.vertex.job(ended)?.state, 'JOB_STATE_SUCCEEDED');
  });

  test('an answer lost after the cancel arrived: the job is read again, and the cancel not sent twice', async (t) => {
    const stand = await vertexStand(t, HOLD);
    const name = await stand.create('dropped');
    stand.vertex.inject({ match: 'cancel', kind: 'drop-after' });
    await cancelVertexJob(stand.handle('dropped', name), stand.context);
    assert.equal(stand.vertex.requests('cancel').length, 1);
    assert.equal(stand.vertex.job(name)?.state, 'JOB_STATE_CANCELLING');
  });

  test('a cancel that never arrived is sent again once the job is seen still running', async (t) => {
    const stand = await vertexStand(t, HOLD);
    const name = await stand.create('lost-cancel');
    stand.vertex.inject({ match: 'cancel', kind: 'drop-before' });
    await cancelVertexJob(stand.handle('lost-cancel', name), stand.context);
    assert.equal(stand.vertex.requests('cancel').length, 2);
    assert.equal(stand.vertex.job(name)?.state, 'JOB_STATE_CANCELLING');
  });

  test('a cancel Vertex keeps refusing rejects, saying the job may still run; the marker is written', async (t) => {
    const stand = await vertexStand(t, HOLD);
    const name = await stand.create('stubborn');
    stand.vertex.inject({ match: 'cancel', kind: 503, times: Number.POSITIVE_INFINITY });
    const error = await rejection(cancelVertexJob(stand.handle('stubborn', name), stand.context));
    assert.ok(error instanceof ProviderError);
    assert.match(error.message, /may still be running/);
    assert.match(error.hint ?? '', /dlrun cancel stubborn/);
    assert.equal(stand.vertex.requests('cancel').length, 2, 'sent twice at most, the job read in between');
    assert.ok(stand.gcs.object(BUCKET, objects('stubborn').cancelRequested));
  });

  test('a job with secrets has its secrets object removed once cancelled', async (t) => {
    const stand = await vertexStand(t, HOLD);
    const name = await stand.create('secretive');
    stand.gcs.putObject(BUCKET, objects('secretive').secrets, '{"TOKEN":"x"}');
    await cancelVertexJob(stand.handle('secretive', name, { details: { secrets: true } }), stand.context);
    assert.equal(stand.gcs.object(BUCKET, objects('secretive').secrets), undefined);
  });
});

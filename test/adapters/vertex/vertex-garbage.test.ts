import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'vitest';
import { vertexClients } from '../../../adapters/vertex/vertex-clients.js';
import { customJobBody } from '../../../adapters/vertex/vertex-custom-job.js';
import { encodeVertexDetails, jobObjects, type VertexJobDetails } from '../../../adapters/vertex/vertex-details.js';
import { findVertexGarbage, removeVertexGarbage } from '../../../adapters/vertex/vertex-garbage.js';
import { type JobId, type LedgerId, asJobId, asLedgerId } from '../../../src/backend/job-id.js';
import type { BackendContext, GarbageItem, JobHandle } from '../../../src/backend/training-backend.js';
import { type GcsServer, gcsServerFor } from '../../standins/gcs-server.js';
import { type VertexServer, vertexServerFor } from '../../standins/vertex-server.js';
import type { JobState } from '../../standins/vertex-validation.js';

const LEDGER = asLedgerId('gc-ledger');
const OTHER_LEDGER = asLedgerId('a-colleagues-ledger');
const TOKEN = 'ya29.gc-token';
const PARENT = 'projects/dlrun-test/locations/us-central1';

const ENDED = asJobId('ended-0001');
const ACTIVE = asJobId('active-0002');
/** A job with this ledger's labels that the ledger never recorded (a crash before the row, a lost ledger). */
const UNRECORDED = asJobId('unrecorded-0003');
const STOPPING = asJobId('stopping-0004');
const FINISHED = asJobId('finished-0005');
const THEIRS = asJobId('theirs-0006');
/** A job of this ledger in a region the stand-in does not serve: its custom jobs cannot be listed. */
const ELSEWHERE = asJobId('elsewhere-0007');

const STAGING = { bucket: 'staging', prefix: 'team' };
const ARCHIVE_IN_USE = 'team/dlrun/gc-ledger/workdirs/1111.tar.gz';
const ARCHIVE_UNUSED = 'team/dlrun/gc-ledger/workdirs/2222.tar.gz';

interface Stand {
  readonly vertex: VertexServer;
  readonly gcs: GcsServer;
  readonly context: BackendContext;
}

async function standIns(t: TestContext): Promise<Stand> {
  // Jobs stay where the test puts them: QUEUED until setState, CANCELLING once cancelled.
  const vertex = await vertexServerFor(t, { requireToken: TOKEN, queuedMs: Infinity, cancellingMs: Infinity });
  const gcs = await gcsServerFor(t, { requireToken: TOKEN });
  gcs.createBucket('staging');
  const context = {
    ledgerId: LEDGER,
    home: '/nonexistent',
    env: {
      GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN,
      DLRUN_VERTEX_URL: vertex.url,
      DLRUN_GCS_URL: gcs.endpoint,
      GOOGLE_CLOUD_PROJECT: vertex.projectId,
    },
  };
  return { vertex, gcs, context };
}

function details(extra: Partial<VertexJobDetails> = {}): VertexJobDetails {
  return {
    region: 'us-central1',
    project: null,
    ...STAGING,
    workdirObject: ARCHIVE_UNUSED,
    nodes: 1,
    stopAfter: { seconds: 600, reason: 'max_runtime 10m' },
    secrets: true,
    ...extra,
  };
}

function handle(jobId: JobId, extra: Partial<VertexJobDetails> = {}): JobHandle {
  return { jobId, backend: 'vertex', externalId: null, details: encodeVertexDetails(details(extra)) };
}

/** A custom job created through the real client, labelled as dlrun labels them, in `state`. */
async function customJob(stand: Stand, ledgerId: LedgerId, jobId: JobId, state: JobState): Promise<string> {
  const clients = vertexClients('us-central1', { ...stand.context, ledgerId });
  const body = customJobBody({
    jobId,
    ledgerId,
    name: jobId,
    machine: { machineType: 'n1-standard-4' },
    nodes: 1,
    imageUri: 'us-docker.pkg.dev/vertex-ai/training/pytorch-xla.2-4.py310:latest',
    command: ['bash', '-c', 'sleep 60'],
    env: [],
    stopAfterSeconds: 600,
    spot: false,
    baseOutputDirectory: jobObjects(STAGING, ledgerId, jobId).baseOutputDirectory,
  });
  const { data } = await clients.aiplatform.projects.locations.customJobs.create({
    parent: PARENT,
    requestBody: body as never,
  });
  const name = data.name!;
  if (state !== 'JOB_STATE_QUEUED') stand.vertex.setState(name, state);
  return name;
}

/** Every object a job leaves in the bucket: what it needed to start, and what it produced. */
function stageJob(gcs: GcsServer, ledgerId: LedgerId, jobId: JobId): ReturnType<typeof jobObjects> {
  const objects = jobObjects(STAGING, ledgerId, jobId);
  const metadata = { 'dlrun-job-id': jobId, 'dlrun-ledger': ledgerId };
  for (const name of [objects.secrets, objects.log(0), objects.markers(0), objects.result, objects.outputs]) {
    gcs.putObject('staging', name, `${name}\n`, { metadata });
  }
  gcs.putObject('staging', objects.cancelRequested, '', { metadata });
  return objects;
}

function summary(items: readonly GarbageItem[]): string[] {
  return items.map((item) => `${item.kind} ${item.jobId ?? '-'} ${item.kind === 'object' ? item.id : ''}`).sort();
}

describe('Vertex AI garbage', () => {
  test('running jobs of ended dlrun jobs are cancelled, ended jobs’ secrets and unused archives deleted', async (t) => {
    const stand = await standIns(t);
    const { vertex, gcs, context } = stand;
    const ended = await customJob(stand, LEDGER, ENDED, 'JOB_STATE_RUNNING');
    const active = await customJob(stand, LEDGER, ACTIVE, 'JOB_STATE_RUNNING');
    const unrecorded = await customJob(stand, LEDGER, UNRECORDED, 'JOB_STATE_QUEUED');
    const stopping = await customJob(stand, LEDGER, STOPPING, 'JOB_STATE_CANCELLING');
    await customJob(stand, LEDGER, FINISHED, 'JOB_STATE_SUCCEEDED');
    const theirs = await customJob(stand, OTHER_LEDGER, THEIRS, 'JOB_STATE_RUNNING');
    const endedObjects = stageJob(gcs, LEDGER, ENDED);
    const activeObjects = stageJob(gcs, LEDGER, ACTIVE);
    const theirObjects = stageJob(gcs, OTHER_LEDGER, THEIRS);
    const ours = { 'dlrun-job-id': ACTIVE, 'dlrun-ledger': LEDGER };
    gcs.putObject('staging', ARCHIVE_IN_USE, 'tar', { metadata: ours });
    gcs.putObject('staging', ARCHIVE_UNUSED, 'tar', { metadata: { ...ours, 'dlrun-job-id': ENDED } });
    // Under this ledger's prefix but not labelled with it: someone else's, never collected.
    const unlabelled = 'team/dlrun/gc-ledger/workdirs/3333.tar.gz';
    gcs.putObject('staging', unlabelled, 'tar', { metadata: { 'dlrun-ledger': OTHER_LEDGER } });
    const known = [
      handle(ENDED),
      handle(ACTIVE, { workdirObject: ARCHIVE_IN_USE }),
      handle(STOPPING),
      // The project the credentials name, named: the same place, searched once.
      handle(FINISHED, { project: 'dlrun-test' }),
      handle(ELSEWHERE, { region: 'europe-west4' }),
    ];

    const found = await findVertexGarbage(new Set([ACTIVE]), known, context);
    assert.deepEqual(summary(found.items), [
      'custom-job ended-0001 ',
      'custom-job stopping-0004 ',
      'custom-job unrecorded-0003 ',
      `object - ${ARCHIVE_UNUSED}`,
      `object ended-0001 ${endedObjects.secrets}`,
    ]);
    const job = found.items.find((item) => item.jobId === ENDED && item.kind === 'custom-job')!;
    assert.equal(job.id, ended);
    assert.equal(job.location, 'dlrun-test/us-central1');
    assert.match(job.description, /^Vertex AI custom job "ended-0001", RUNNING since /);
    const secrets = found.items.find((item) => item.kind === 'object' && item.jobId === ENDED)!;
    assert.equal(secrets.location, 'staging');
    assert.match(secrets.description, /^gs:\/\/staging\/team\/dlrun\/gc-ledger\/jobs\/ended-0001\/secrets\.json \(/);
    assert.equal(found.unsearched.length, 1);
    assert.equal(found.unsearched[0]?.kind, 'custom-job');
    assert.equal(found.unsearched[0]?.location, 'dlrun-test/europe-west4');
    assert.match(found.unsearched[0]?.error ?? '', /europe-west4.*400 INVALID_ARGUMENT/);
    // One list per project and region, for this ledger's jobs that have not ended; one of the bucket's prefix.
    const lists = vertex.requests('list');
    assert.equal(lists.length, 2);
    assert.match(lists[0]?.query.filter ?? '', /^labels\.dlrun-ledger="gc-ledger" AND state!="JOB_STATE_SUCCEEDED"/);
    assert.deepEqual(
      gcs.requests({ method: 'GET' }).map((request) => request.query.prefix),
      ['team/dlrun/gc-ledger/'],
    );

    const left = await removeVertexGarbage(found.items, context);
    assert.deepEqual(
      left.map(({ item, reason }) => [item.jobId, reason]),
      [[STOPPING, 'still cancelling']],
    );
    assert.equal(vertex.job(ended)?.state, 'JOB_STATE_CANCELLING');
    assert.equal(vertex.job(unrecorded)?.state, 'JOB_STATE_CANCELLING');
    assert.equal(vertex.job(active)?.state, 'JOB_STATE_RUNNING');
    assert.equal(vertex.job(theirs)?.state, 'JOB_STATE_RUNNING');
    assert.equal(vertex.job(stopping)?.state, 'JOB_STATE_CANCELLING');
    // No second cancel of the job already cancelling.
    assert.equal(vertex.requests({ action: 'cancel', path: `/v1/${stopping}:cancel` }).length, 0);
    const remaining = new Set(gcs.objects('staging').map((object) => object.name));
    for (const gone of [endedObjects.secrets, ARCHIVE_UNUSED]) assert.ok(!remaining.has(gone), gone);
    // What the user paid for stays, and so does everything of active jobs and of other ledgers.
    for (const kept of [
      endedObjects.log(0),
      endedObjects.markers(0),
      endedObjects.result,
      endedObjects.outputs,
      endedObjects.cancelRequested,
      activeObjects.secrets,
      activeObjects.log(0),
      theirObjects.secrets,
      ARCHIVE_IN_USE,
      unlabelled,
    ])
      assert.ok(remaining.has(kept), kept);

    // Again: objects already gone count as removed; jobs still cancelling are said to be.
    const again = await removeVertexGarbage(found.items, context);
    assert.deepEqual(again.map(({ item, reason }) => `${item.jobId} ${reason}`).sort(), [
      'ended-0001 still cancelling',
      'stopping-0004 still cancelling',
      'unrecorded-0003 still cancelling',
    ]);
  });

  test('an active job that records no archive keeps every archive of its bucket', async (t) => {
    const { gcs, context } = await standIns(t);
    const labels = { 'dlrun-job-id': ENDED, 'dlrun-ledger': LEDGER };
    gcs.putObject('staging', ARCHIVE_UNUSED, 'tar', { metadata: labels });
    const found = await findVertexGarbage(
      new Set([ACTIVE]),
      [handle(ENDED), handle(ACTIVE, { workdirObject: null })],
      context,
    );
    assert.deepEqual(found, { items: [], unsearched: [] });
  });

  test('a bucket that cannot be listed is reported unsearched; the jobs are searched all the same', async (t) => {
    const stand = await standIns(t);
    const { gcs, context } = stand;
    await customJob(stand, LEDGER, ENDED, 'JOB_STATE_RUNNING');
    gcs.inject({ method: 'GET', path: /\/b\/staging\/o$/, kind: 500, times: Infinity });
    const found = await findVertexGarbage(new Set(), [handle(ENDED)], context);
    assert.deepEqual(summary(found.items), ['custom-job ended-0001 ']);
    assert.deepEqual(
      found.unsearched.map(({ kind, location }) => [kind, location]),
      [['object', 'gs://staging/team/dlrun/gc-ledger/']],
    );
    assert.match(found.unsearched[0]?.error ?? '', /^listing gs:\/\/staging\/team\/dlrun\/gc-ledger\/: .*\(500/);
  });

  test('a job whose project cannot be worked out: its region is not searched, a named project still is', async (t) => {
    const stand = await standIns(t);
    await customJob(stand, LEDGER, ENDED, 'JOB_STATE_RUNNING');
    const context = { ...stand.context, env: { ...stand.context.env, GOOGLE_CLOUD_PROJECT: undefined } };
    const found = await findVertexGarbage(
      new Set(),
      [handle(ENDED, { project: 'dlrun-test' }), handle(FINISHED, { region: 'europe-west4', bucket: '' })],
      context,
    );
    assert.deepEqual(summary(found.items), ['custom-job ended-0001 ']);
    assert.equal(found.unsearched.length, 1);
    assert.equal(found.unsearched[0]?.location, 'europe-west4');
    assert.match(found.unsearched[0]?.error ?? '', /^no Google Cloud project for this Vertex AI job; set/);
  });

  test('no Vertex AI job in the ledger: nothing found, and not one request', async (t) => {
    const { vertex, gcs, context } = await standIns(t);
    assert.deepEqual(await findVertexGarbage(new Set([ACTIVE]), [], context), { items: [], unsearched: [] });
    assert.equal(vertex.requests().length, 0);
    assert.equal(gcs.requests().length, 0);
  });
});

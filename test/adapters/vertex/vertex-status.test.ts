import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { jobObjects } from '../../../adapters/vertex/vertex-details.js';
import { vertexStatus } from '../../../adapters/vertex/vertex-status.js';
import { asJobId } from '../../../src/backend/job-id.js';
import type { JobStatus } from '../../../src/backend/training-backend.js';
import { BUCKET, LEDGER, PREFIX, REGION, vertexStand } from '../../support/vertex-jobs-stand.js';

const objects = (jobId: string) => jobObjects({ bucket: BUCKET, prefix: PREFIX }, LEDGER, asJobId(jobId));
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const byJob = (statuses: readonly JobStatus[]) => new Map(statuses.map((status) => [status.jobId as string, status]));

describe('vertexStatus', () => {
  test('many jobs: one list per region, its pages followed, never a get; submit times narrow the list', async (t) => {
    const stand = await vertexStand(t, { regions: [REGION, 'europe-west4'] });
    const handles = [];
    for (let index = 0; index < 120; index++) {
      const jobId = `job-${index}`;
      handles.push(stand.handle(jobId, await stand.create(jobId), { submittedAt: minutesAgo(1) }));
    }
    const name = await stand.create('far-away', { region: 'europe-west4' });
    handles.push(stand.handle('far-away', name, { submittedAt: minutesAgo(1), details: { region: 'europe-west4' } }));
    const statuses = await vertexStatus(handles, stand.context);

    assert.equal(statuses.length, 121);
    assert.deepEqual(
      statuses.map((status) => status.jobId),
      handles.map((handle) => handle.jobId),
      'in the order asked',
    );
    for (const status of statuses) assert.equal(status.state, 'pending', status.jobId);
    const lists = stand.vertex.requests('list');
    // 120 jobs in us-central1 at 100 a page, then europe-west4's one.
    assert.equal(lists.filter((request) => request.path.includes(`/locations/${REGION}/`)).length, 2);
    assert.equal(lists.filter((request) => request.path.includes('/locations/europe-west4/')).length, 1);
    assert.equal(stand.vertex.requests('get').length, 0);
    for (const request of lists) {
      assert.match(request.query.filter ?? '', /labels\.dlrun-ledger="vertex-ledger-1"/);
      assert.match(request.query.filter ?? '', /create_time>="\d{4}-\d{2}-\d{2}T[\d:.]+Z"/);
    }
    // Nothing but the list: no object read for jobs that have not started.
    assert.equal(stand.gcs.requests().length, 0);
  });

  test('without a submit time for every job the list is not narrowed by creation time', async (t) => {
    const stand = await vertexStand(t);
    const handles = [stand.handle('a', await stand.create('a')), stand.handle('b', await stand.create('b'))];
    await vertexStatus(handles, stand.context);
    const [list] = stand.vertex.requests('list');
    assert.doesNotMatch(list?.query.filter ?? '', /create_time/);
  });

  test("every Vertex state is mapped, CANCELLING still active; an ended job's bill facts come with it", async (t) => {
    const stand = await vertexStand(t, { cancellingMs: Number.POSITIVE_INFINITY });
    const cases: [string, Parameters<typeof stand.vertex.setState>[1], string][] = [
      ['queued', 'JOB_STATE_QUEUED', 'pending'],
      ['pending', 'JOB_STATE_PENDING', 'provisioning'],
      ['running', 'JOB_STATE_RUNNING', 'running'],
      ['cancelling', 'JOB_STATE_CANCELLING', 'running'],
      ['succeeded', 'JOB_STATE_SUCCEEDED', 'succeeded'],
      ['failed', 'JOB_STATE_FAILED', 'failed'],
      ['cancelled', 'JOB_STATE_CANCELLED', 'cancelled'],
      ['expired', 'JOB_STATE_EXPIRED', 'failed'],
    ];
    const handles = [];
    for (const [jobId, state] of cases) {
      const name = await stand.create(jobId);
      // A job that ended ran first (startTime), as on Vertex; CANCELLING too.
      if (state !== 'JOB_STATE_QUEUED' && state !== 'JOB_STATE_PENDING' && state !== 'JOB_STATE_EXPIRED')
        stand.vertex.setState(name, 'JOB_STATE_RUNNING');
      stand.vertex.setState(name, state);
      handles.push(stand.handle(jobId, name));
    }
    const statuses = byJob(await vertexStatus(handles, stand.context));
    for (const [jobId, state, expected] of cases) {
      const status = statuses.get(jobId)!;
      assert.equal(status.state, expected, jobId);
      assert.equal(status.providerState, state);
    }
    assert.match(statuses.get('cancelling')!.message ?? '', /Vertex is cancelling the job/);
    const succeeded = statuses.get('succeeded')!;
    const facts = (succeeded.billing as { facts: { startTime: string; endTime: string; replicas: number } }).facts;
    assert.equal(facts.replicas, 1);
    assert.ok(facts.startTime <= facts.endTime);
    assert.equal(statuses.get('running')!.billing, undefined, 'a running job has no bill yet');
    assert.equal(stand.vertex.requests('get').length, 0);
  });

  test('a job whose submit recorded no name is found by its label, the oldest of two', async (t) => {
    const stand = await vertexStand(t);
    const first = await stand.create('orphan');
    await stand.create('orphan');
    const [status] = await vertexStatus([stand.handle('orphan', null)], stand.context);
    assert.equal(status?.externalId, first);
    assert.equal(status?.state, 'pending');
    const [known] = await vertexStatus([stand.handle('orphan', first)], stand.context);
    assert.equal(known?.externalId, undefined, 'a name the ledger has is not reported again');
  });

  test('a job Vertex does not list: pending just after its create, lost after that or without a name', async (t) => {
    const stand = await vertexStand(t);
    const name = `projects/${stand.vertex.projectNumber}/locations/${REGION}/customJobs/1234`;
    const statuses = byJob(
      await vertexStatus(
        [
          stand.handle('just-made', name, { submittedAt: minutesAgo(0.5) }),
          stand.handle('long-gone', name, { submittedAt: minutesAgo(30) }),
          stand.handle('never-named', null, { submittedAt: minutesAgo(0.5) }),
        ],
        stand.context,
      ),
    );
    assert.equal(statuses.get('just-made')!.state, 'pending');
    assert.match(statuses.get('just-made')!.message ?? '', /not visible at Vertex AI yet/);
    // A named job is looked for in the project its name gives (the number Vertex answers with); one never named, in
    // the credentials' project.
    for (const [jobId, project] of [
      ['long-gone', stand.vertex.projectNumber],
      ['never-named', 'dlrun-test'],
    ]) {
      const status = statuses.get(jobId!)!;
      assert.equal(status.state, 'lost', jobId);
      assert.equal(
        status.message,
        `Vertex AI has no custom job labelled with the job id ${jobId} in project ${project}, region ${REGION}`,
      );
      assert.deepEqual(status.billing, { facts: undefined });
    }
  });

  test("node 0's markers give a running job its phases; an ended job's result its exit code and reason", async (t) => {
    const stand = await vertexStand(t);
    const running = await stand.create('training');
    stand.vertex.setState(running, 'JOB_STATE_RUNNING');
    const startedMs = Date.parse(stand.vertex.job(running)!.startTime as string);
    // Marker times are the machine's (seconds): a moment after Vertex's startTime, before the status is asked.
    const setupAt = ((startedMs + 1) / 1000).toFixed(3);
    const runAt = ((startedMs + 2) / 1000).toFixed(3);
    stand.gcs.putObject(BUCKET, objects('training').markers(0), `${setupAt} phase setup\n${runAt} phase run\n`);
    const failed = await stand.create('broken');
    stand.vertex.setState(failed, 'JOB_STATE_RUNNING');
    stand.vertex.setState(failed, 'JOB_STATE_FAILED', {
      code: 3,
      message: 'The replica workerpool0-0 exited with a non-zero status of 3.',
    });
    stand.gcs.putObject(
      BUCKET,
      objects('broken').result,
      'state=failed\nexit_code=3\nreason=setup exited with status 3\x1b[31m\nended_at=2026-12-06T10:00:00Z\n',
    );
    const slow = await stand.create('slow');
    stand.vertex.setState(slow, 'JOB_STATE_RUNNING');
    stand.vertex.setState(slow, 'JOB_STATE_CANCELLED');
    stand.gcs.putObject(BUCKET, objects('slow').result, 'state=timed_out\nexit_code=143\nreason=limit\n');

    const statuses = byJob(
      await vertexStatus(
        [
          stand.handle('training', running),
          stand.handle('broken', failed),
          stand.handle('slow', slow, { details: { stopAfter: { seconds: 3600, reason: 'max_runtime 1h' } } }),
        ],
        stand.context,
      ),
    );
    const training = statuses.get('training')!;
    assert.equal(training.state, 'running');
    assert.equal(training.phase, 'run');
    assert.equal(training.phaseStartedAt?.run, new Date(Number(runAt) * 1000).toISOString());
    assert.equal(training.phaseStartedAt?.setup, new Date(startedMs).toISOString(), "setup from Vertex's startTime");

    const broken = statuses.get('broken')!;
    assert.equal(broken.state, 'failed');
    assert.equal(broken.exitCode, 3);
    assert.equal(broken.message, 'setup exited with status 3 [31m', 'one line, no escape character');

    const timedOut = statuses.get('slow')!;
    assert.equal(timedOut.state, 'timed_out');
    assert.equal(timedOut.exitCode, 143);
    assert.match(timedOut.message ?? '', /max_runtime 1h/);
  });

  test('a failed job whose result does not name its exit code gets a message that does', async (t) => {
    const stand = await vertexStand(t);
    const name = await stand.create('crashed');
    stand.vertex.setState(name, 'JOB_STATE_RUNNING');
    stand.vertex.setState(name, 'JOB_STATE_FAILED');
    stand.gcs.putObject(BUCKET, objects('crashed').result, 'state=failed\nexit_code=2\nreason=out of memory\n');
    const [status] = await vertexStatus([stand.handle('crashed', name)], stand.context);
    assert.equal(status?.exitCode, 2);
    assert.equal(status?.message, 'the job exited with status 2 (out of memory)');
  });

  test("a CANCELLED job past its limit: the user's cancel with a cancel-requested object", async (t) => {
    const stand = await vertexStand(t);
    const handles = [];
    for (const jobId of ['asked', 'not-asked']) {
      const name = await stand.create(jobId);
      stand.vertex.setState(name, 'JOB_STATE_RUNNING');
      stand.vertex.setState(name, 'JOB_STATE_CANCELLED');
      // A limit of 0 s: any CANCELLED job is at or past it.
      handles.push(stand.handle(jobId, name, { details: { stopAfter: { seconds: 0, reason: 'max_runtime 0s' } } }));
    }
    stand.gcs.putObject(BUCKET, objects('asked').cancelRequested, 'asked\n');
    const statuses = byJob(await vertexStatus(handles, stand.context));
    assert.equal(statuses.get('asked')!.state, 'cancelled');
    assert.equal(statuses.get('not-asked')!.state, 'timed_out');
    assert.match(statuses.get('not-asked')!.message ?? '', /^max_runtime 0s reached: /);
  });

  test('at most 25 marker reads per status, however many jobs run', async (t) => {
    const stand = await vertexStand(t);
    const handles = [];
    for (let index = 0; index < 30; index++) {
      const jobId = `run-${index}`;
      const name = await stand.create(jobId);
      stand.vertex.setState(name, 'JOB_STATE_RUNNING');
      handles.push(stand.handle(jobId, name));
    }
    const statuses = await vertexStatus(handles, stand.context);
    assert.ok(statuses.every((status) => status.state === 'running'));
    const markerReads = stand.gcs.requests({ method: 'GET', path: /markers/ });
    assert.equal(markerReads.length, 25);
    // The first 25 asked have their phase; the others say none rather than a guess the ledger would keep.
    assert.equal(statuses[0]?.phase, 'run');
    assert.equal(statuses[29]?.phase, undefined);
    assert.equal(statuses[29]?.phaseStartedAt?.run, undefined);
    assert.equal(stand.vertex.requests('list').length, 1);
  });

  test('an object read that fails costs that job its details, not the status', async (t) => {
    const stand = await vertexStand(t);
    const name = await stand.create('unlucky');
    stand.vertex.setState(name, 'JOB_STATE_RUNNING');
    stand.vertex.setState(name, 'JOB_STATE_FAILED');
    stand.gcs.inject({ kind: 500, times: Number.POSITIVE_INFINITY });
    const [status] = await vertexStatus([stand.handle('unlucky', name)], stand.context);
    assert.equal(status?.state, 'failed');
    assert.equal(status?.exitCode, undefined);
  }, 30_000);

  test("a job file without a project: the jobs' names give it, the credentials are not asked for one", async (t) => {
    const stand = await vertexStand(t);
    const name = await stand.create('named');
    // No GOOGLE_CLOUD_PROJECT: working the project out from the credentials would fail (or, where gcloud is
    // installed, run it); the recorded name is enough.
    const { GOOGLE_CLOUD_PROJECT: _project, ...env } = stand.context.env;
    const [status] = await vertexStatus([stand.handle('named', name)], { ...stand.context, env });
    assert.equal(status?.state, 'pending');
    const [list] = stand.vertex.requests('list');
    assert.match(
      list?.path ?? '',
      new RegExp(`/projects/${stand.vertex.projectNumber}/locations/${REGION}/customJobs`),
    );
  });

  test('a 503 on the list is retried by the client; a list that keeps failing is an error', async (t) => {
    const stand = await vertexStand(t);
    const name = await stand.create('retried');
    stand.vertex.inject({ match: 'list', kind: 503 });
    const [status] = await vertexStatus([stand.handle('retried', name)], stand.context);
    assert.equal(status?.state, 'pending');
    assert.equal(stand.vertex.requests('list').length, 2);

    stand.vertex.inject({ match: 'list', kind: 503, times: Number.POSITIVE_INFINITY });
    await assert.rejects(vertexStatus([stand.handle('retried', name)], stand.context), (error: Error) => {
      assert.match(error.message, /^listing the Vertex AI custom jobs of projects\/\d+\/locations\/us-central1/);
      return true;
    });
  }, 30_000);

  test("an ended job's secrets object is deleted; one that runs keeps it", async (t) => {
    const stand = await vertexStand(t);
    const done = await stand.create('done');
    stand.vertex.setState(done, 'JOB_STATE_RUNNING');
    stand.vertex.setState(done, 'JOB_STATE_SUCCEEDED');
    const going = await stand.create('going');
    stand.vertex.setState(going, 'JOB_STATE_RUNNING');
    for (const jobId of ['done', 'going']) stand.gcs.putObject(BUCKET, objects(jobId).secrets, '{"TOKEN":"x"}');
    const secrets = { details: { secrets: true } };
    await vertexStatus([stand.handle('done', done, secrets), stand.handle('going', going, secrets)], stand.context);
    assert.equal(stand.gcs.object(BUCKET, objects('done').secrets), undefined);
    assert.ok(stand.gcs.object(BUCKET, objects('going').secrets));
  });
});

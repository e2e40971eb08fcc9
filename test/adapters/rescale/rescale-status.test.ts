// The status of Rescale jobs through axios over HTTP against the Rescale stand-in: one paged list for many jobs,
// every Rescale status mapped with its word kept, unsubmitted jobs settled, lost jobs, billing facts.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { UNSUBMITTED_GRACE_MS } from '../../../adapters/rescale/rescale-list-jobs.js';
import { rescaleStatus } from '../../../adapters/rescale/rescale-status.js';
import type { JobStatus } from '../../../src/backend/training-backend.js';
import type { RescaleStatus } from '../../standins/rescale-server.js';
import { createApiJob } from '../../support/rescale-api-jobs.js';
import { standHandle } from '../../support/rescale-planned.js';
import { rescaleStandFor } from '../../support/rescale-stand.js';
import { waitFor } from '../../support/wait-for.js';

const LONG = { timeout: 60_000 };
const HOLD = { queuedMs: Number.POSITIVE_INFINITY };
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const byJob = (statuses: readonly JobStatus[]) => new Map(statuses.map((status) => [status.jobId as string, status]));
/** What the bootstrap leaves in dlrun/result when the run exits with `code`. */
const exiting = (code: number) =>
  `mkdir -p dlrun && printf 'exit_code=${code}\\nstate=${code === 0 ? 'succeeded' : 'failed'}\\n' > dlrun/result; ` +
  `exit ${code}`;

describe('rescaleStatus', () => {
  test('many jobs: one paged jobs list, its pages followed, statuses read for at most 25', LONG, async (t) => {
    const stand = await rescaleStandFor(t, { ...HOLD, maxPageSize: 10 });
    const handles = [];
    for (let index = 0; index < 30; index++) {
      const jobId = `job-${index}`;
      handles.push(standHandle(stand, jobId, await createApiJob(stand.rescale, jobId, stand.ledgerId)));
    }
    await waitFor('every job Queued', () =>
      stand.rescale.jobs().every((job) => job.status === 'Queued') ? true : undefined,
    );
    const before = stand.rescale.requests().length;
    const statuses = await rescaleStatus(handles, stand.context);
    const made = stand.rescale.requests().slice(before);

    assert.deepEqual(
      statuses.map((status) => status.jobId),
      handles.map((handle) => handle.jobId),
    );
    for (const status of statuses) assert.equal(status.state, 'pending', status.jobId);
    // 30 jobs at 10 a page (the platform cuts page_size): three list requests, each after the one before.
    const lists = made.filter((request) => request.action === 'listJobs');
    assert.equal(lists.length, 3);
    assert.deepEqual(
      lists.map((request) => request.query.page ?? '1'),
      ['1', '2', '3'],
    );
    assert.equal(made.filter((request) => request.action === 'jobStatuses').length, 25);
    assert.equal(made.filter((request) => request.action === 'getJob').length, 0);
    assert.equal(made.length, 3 + 25);
  });

  test(
    'ended jobs are always read, past the cap on active ones: a failed run is never read as succeeded',
    LONG,
    async (t) => {
      // The active jobs sleep while Executing; the last one exits 3.
      const stand = await rescaleStandFor(t);
      const handles = [];
      for (let index = 0; index < 26; index++) {
        const jobId = `active-${index}`;
        handles.push(standHandle(stand, jobId, await createApiJob(stand.rescale, jobId, stand.ledgerId)));
      }
      const bad = await createApiJob(stand.rescale, 'bad', stand.ledgerId, { command: exiting(3) });
      handles.push(standHandle(stand, 'bad', bad));
      await waitFor('the last job Completed', () =>
        stand.rescale.job(bad)?.status === 'Completed' ? true : undefined,
      );
      const before = stand.rescale.requests().length;
      const statuses = byJob(await rescaleStatus(handles, stand.context));
      assert.equal(statuses.get('bad')!.state, 'failed');
      assert.equal(statuses.get('bad')!.exitCode, 3);
      const made = stand.rescale.requests().slice(before);
      // 25 active jobs' histories and the ended one's.
      assert.equal(made.filter((request) => request.action === 'jobStatuses').length, 26);
    },
  );

  test('an ended job whose files cannot be read is not recorded as ended until they are', LONG, async (t) => {
    const stand = await rescaleStandFor(t);
    const bad = await createApiJob(stand.rescale, 'bad', stand.ledgerId, { command: exiting(3) });
    await waitFor('the job Completed', () => (stand.rescale.job(bad)?.status === 'Completed' ? true : undefined));
    // Every attempt of the client at listing the job's files fails.
    stand.rescale.inject({ match: 'jobFiles', kind: 503, times: 3 });
    const [first] = await rescaleStatus([standHandle(stand, 'bad', bad)], stand.context);
    assert.equal(first!.state, 'running');
    assert.equal(first!.providerState, 'Completed');
    assert.equal(first!.endedAt, undefined);
    const [second] = await rescaleStatus([standHandle(stand, 'bad', bad)], stand.context);
    assert.equal(second!.state, 'failed');
    assert.equal(second!.exitCode, 3);
  });

  test('every Rescale status is mapped, its word kept', LONG, async (t) => {
    // Each status held where the test puts it.
    const stand = await rescaleStandFor(t, {
      ...HOLD,
      startedMs: Number.POSITIVE_INFINITY,
      validatedMs: Number.POSITIVE_INFINITY,
      stoppingMs: Number.POSITIVE_INFINITY,
    });
    const cases: [string, RescaleStatus, string, string?][] = [
      ['queued', 'Queued', 'pending', 'queued'],
      ['started', 'Started', 'provisioning', 'provisioning'],
      ['validated', 'Validated', 'provisioning', 'provisioning'],
      ['executing', 'Executing', 'running'],
      ['stopping', 'Stopping', 'running'],
      ['stopped', 'Stopped', 'cancelled'],
      ['failed', 'Failed', 'failed'],
      ['terminated', 'Terminated', 'failed'],
    ];
    const handles = [];
    for (const [jobId, status] of cases) {
      const id = await createApiJob(stand.rescale, jobId, stand.ledgerId);
      if (status !== 'Queued') stand.rescale.setStatus(id, status);
      handles.push(standHandle(stand, jobId, id));
    }
    await waitFor('the first job Queued', () => (stand.rescale.jobs()[0]?.status === 'Queued' ? true : undefined));
    const statuses = byJob(await rescaleStatus(handles, stand.context));
    for (const [jobId, providerState, state, phase] of cases) {
      const status = statuses.get(jobId)!;
      assert.equal(status.state, state, jobId);
      assert.equal(status.providerState, providerState, jobId);
      if (phase) assert.equal(status.phase, phase, jobId);
    }
  });

  test(
    'Completed is succeeded for exit 0 and failed with the exit code otherwise; ended jobs carry billing facts',
    LONG,
    async (t) => {
      const stand = await rescaleStandFor(t);
      const ok = await createApiJob(stand.rescale, 'ok', stand.ledgerId, { command: exiting(0) });
      const bad = await createApiJob(stand.rescale, 'bad', stand.ledgerId, { command: exiting(3) });
      await waitFor('both jobs Completed', () =>
        [ok, bad].every((id) => stand.rescale.job(id)?.status === 'Completed') ? true : undefined,
      );
      const statuses = byJob(
        await rescaleStatus([standHandle(stand, 'ok', ok), standHandle(stand, 'bad', bad)], stand.context),
      );
      const good = statuses.get('ok')!;
      assert.equal(good.state, 'succeeded');
      assert.equal(good.providerState, 'Completed');
      assert.equal(good.exitCode, 0);
      const failed = statuses.get('bad')!;
      assert.equal(failed.state, 'failed');
      assert.equal(failed.providerState, 'Completed');
      assert.equal(failed.exitCode, 3);
      for (const [jobId, id] of [
        ['ok', ok],
        ['bad', bad],
      ] as const) {
        const history = stand.rescale.job(id)!.statuses;
        const started = history.find((entry) => entry.status === 'Started')!.statusDate;
        const ended = history.find((entry) => entry.status === 'Completed')!.statusDate;
        assert.deepEqual(statuses.get(jobId)!.billing, {
          facts: { startedAt: new Date(started).toISOString(), endedAt: new Date(ended).toISOString() },
        });
      }
    },
  );

  for (const endsAs of ['Stopped', 'Terminated'] as const) {
    test(`a job stopped at its walltime (ending ${endsAs}) is timed_out`, LONG, async (t) => {
      const stand = await rescaleStandFor(t, { walltimeHourMs: 300, walltimeEndsAs: endsAs });
      const id = await createApiJob(stand.rescale, 'slow', stand.ledgerId, { walltime: 1 });
      await waitFor(`the job ${endsAs}`, () => (stand.rescale.job(id)?.status === endsAs ? true : undefined));
      const handle = standHandle(stand, 'slow', id, {
        details: { stopAfterSeconds: 3600, stopReason: 'max_runtime 1h', walltimeHours: 1 },
      });
      const [status] = await rescaleStatus([handle], stand.context);
      assert.equal(status!.state, 'timed_out');
      assert.equal(status!.providerState, endsAs);
      assert.match(status!.message ?? '', /max_runtime 1h/);
    });
  }

  test(
    'an unsubmitted job within the grace stays submitting; past it, it is deleted and the status says so',
    LONG,
    async (t) => {
      const stand = await rescaleStandFor(t, HOLD);
      const fresh = await createApiJob(stand.rescale, 'fresh', stand.ledgerId, { submit: false });
      const stale = await createApiJob(stand.rescale, 'stale', stand.ledgerId, { submit: false });
      const statuses = byJob(
        await rescaleStatus(
          [
            standHandle(stand, 'fresh', fresh, { submittedAt: ago(1000) }),
            standHandle(stand, 'stale', stale, { submittedAt: ago(UNSUBMITTED_GRACE_MS + 60_000) }),
          ],
          stand.context,
        ),
      );
      assert.equal(statuses.get('fresh')!.state, 'submitting');
      assert.equal(statuses.get('fresh')!.providerState, 'Pending');
      assert.ok(stand.rescale.job(fresh), 'the job within the grace is kept');
      const settled = statuses.get('stale')!;
      assert.equal(settled.state, 'cancelled');
      assert.match(settled.message ?? '', /deleted/);
      assert.equal(stand.rescale.job(stale), undefined);
      assert.equal(stand.rescale.requests('deleteJob').length, 1);
      assert.equal(stand.rescale.requests('submitJob').length, 0);
    },
  );

  test('a submitted job still Pending past the grace is left alone and reported waiting', LONG, async (t) => {
    const stand = await rescaleStandFor(t, { pendingMs: Number.POSITIVE_INFINITY });
    const id = await createApiJob(stand.rescale, 'waiting', stand.ledgerId);
    const [status] = await rescaleStatus(
      [standHandle(stand, 'waiting', id, { submittedAt: ago(UNSUBMITTED_GRACE_MS + 60_000) })],
      stand.context,
    );
    assert.equal(status!.state, 'pending');
    assert.equal(status!.providerState, 'Pending');
    assert.equal(stand.rescale.job(id)?.submitted, true);
  });

  test('a job Rescale has no trace of is lost; one found by name without an id gets its id', LONG, async (t) => {
    const stand = await rescaleStandFor(t, HOLD);
    const id = await createApiJob(stand.rescale, 'nameless', stand.ledgerId);
    const statuses = byJob(
      await rescaleStatus([standHandle(stand, 'nameless', null), standHandle(stand, 'ghost', 'ZZZZZ')], stand.context),
    );
    assert.equal(statuses.get('nameless')!.externalId, id);
    assert.notEqual(statuses.get('nameless')!.state, 'lost');
    assert.equal(statuses.get('ghost')!.state, 'lost');
    assert.match(statuses.get('ghost')!.message ?? '', /dlrun ghost/);
  });
});

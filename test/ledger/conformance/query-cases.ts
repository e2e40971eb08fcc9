import { asJobId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { NewRefusedSubmit } from '../../../src/ledger/ledger.js';
import { newJob, PRICE, sampleBill } from '../support/ledger-fixtures.js';
import type { OpenLedger } from './ledger-conformance.js';

// The Ledger contract for many jobs: listings, their filters and order, and what `report` and `status` read.
export function queryCases(open: OpenLedger): void {
  test(
    'listJobs picks active, ended or all jobs, newest first, and honours limit; ' + 'countJobs counts them all',
    async (t) => {
      const ledger = await open(t);
      if (!ledger) return;
      const states = ['running', 'succeeded', 'pending', 'failed', 'lost', 'provisioning'] as const;
      for (const [index, state] of states.entries()) {
        const jobId = asJobId(`job-${index}`);
        await ledger.createJob(newJob(jobId, `2026-01-0${index + 1}T00:00:00.000Z`));
        await ledger.recordChange(jobId, { at: `2026-01-0${index + 1}T00:01:00.000Z`, source: 'provider', state });
      }
      await ledger.createJob(newJob(asJobId('job-6'), '2026-01-07T00:00:00.000Z'));
      const ids = async (query?: Parameters<typeof ledger.listJobs>[0]): Promise<string[]> =>
        (await ledger.listJobs(query)).map((job) => job.jobId);
      assert.deepEqual(await ids(), ['job-6', 'job-5', 'job-4', 'job-3', 'job-2', 'job-1', 'job-0']);
      assert.deepEqual(await ids({ which: 'all' }), await ids());
      assert.deepEqual(await ids({ which: 'active' }), ['job-6', 'job-5', 'job-2', 'job-0']);
      assert.deepEqual(await ids({ which: 'ended' }), ['job-4', 'job-3', 'job-1']);
      assert.deepEqual(await ids({ which: 'ended', limit: 2 }), ['job-4', 'job-3']);
      assert.deepEqual(await ids({ limit: 3 }), ['job-6', 'job-5', 'job-4']);
      assert.deepEqual(await ids({ limit: 0 }), []);
      assert.equal(await ledger.countJobs(), 7);
    },
  );

  test('jobIdsLike matches the start of ids, with _ and % and \\ taken literally', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    for (const jobId of ['mnist-a', 'mnist-b', 'mnistx', 'a_b', 'axb', 'a%c', 'abc', 'a\\d', 'a\\\\d'])
      await ledger.createJob(newJob(asJobId(jobId)));
    assert.deepEqual((await ledger.jobIdsLike('mnist-', 10)).sort(), ['mnist-a', 'mnist-b']);
    assert.deepEqual(await ledger.jobIdsLike('a_', 10), ['a_b']);
    assert.deepEqual(await ledger.jobIdsLike('a%', 10), ['a%c']);
    assert.deepEqual(await ledger.jobIdsLike('a\\d', 10), ['a\\d']);
    assert.deepEqual(await ledger.jobIdsLike('zzz', 10), []);
    assert.equal((await ledger.jobIdsLike('mnist', 2)).length, 2, 'at most limit');
    assert.deepEqual(await ledger.jobIdsLike('', 10), [], 'an empty prefix matches nothing, never every job');
  });

  test('eventsOf returns the events of many jobs at once, beyond one query chunk', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    const jobIds = Array.from({ length: 1_203 }, (_, index) => asJobId(`many-${String(index).padStart(4, '0')}`));
    for (const jobId of jobIds) await ledger.createJob(newJob(jobId));
    // Every third job gets a second event, so a chunk boundary mixing up jobs would show.
    for (const jobId of jobIds.filter((_, index) => index % 3 === 0)) {
      await ledger.recordChange(jobId, {
        at: '2026-01-01T11:00:00.000Z',
        source: 'provider',
        state: 'running',
        providerState: jobId,
      });
    }
    const events = await ledger.eventsOf([...jobIds, 'not-a-job']);
    assert.equal(events.size, jobIds.length + 1);
    assert.deepEqual(events.get('not-a-job'), []);
    for (const [index, jobId] of jobIds.entries()) {
      const own = events.get(jobId)!;
      assert.equal(own.length, index % 3 === 0 ? 2 : 1, jobId);
      assert.ok(own.every((event) => event.jobId === jobId));
      if (index % 3 === 0) assert.equal(own[1]!.providerState, jobId);
    }
    assert.equal((await ledger.eventsOf([])).size, 0);
  });

  const refused = (at: string, estimatedFailedStartUsd: number | null): NewRefusedSubmit => ({
    at,
    jobName: 'typo',
    backend: 'ec2',
    jobFile: 'job.yaml',
    reason: 'job.yaml:1:7: not a valid name',
    estimatedFailedStartUsd,
  });

  test('refused submits are kept apart from jobs, listed oldest first, within a range', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.recordRefusedSubmit(refused('2026-12-02T00:00:00.000Z', null));
    await ledger.recordRefusedSubmit(refused('2026-12-01T00:00:00.000Z', 0.06));
    assert.equal(await ledger.countJobs(), 0, 'a refused submit is no job');
    assert.deepEqual(await ledger.listJobs(), []);
    const all = await ledger.listRefusedSubmits();
    assert.deepEqual(
      all.map((row) => [row.at, row.estimatedFailedStartUsd]),
      [
        ['2026-12-01T00:00:00.000Z', 0.06],
        ['2026-12-02T00:00:00.000Z', null],
      ],
    );
    assert.deepEqual(all[0], { id: 2, ...refused('2026-12-01T00:00:00.000Z', 0.06) });
    assert.equal((await ledger.listRefusedSubmits({ since: '2026-12-02T00:00:00.000Z' })).length, 1);
    assert.equal((await ledger.listRefusedSubmits({ until: '2026-12-02T00:00:00.000Z' })).length, 1, 'until excludes');
    assert.equal(
      (await ledger.listRefusedSubmits({ since: '2026-12-01T00:00:01.000Z', until: '2026-12-02T00:00:00.000Z' }))
        .length,
      0,
    );
  });

  const BILLED = asJobId('billed-1');
  const RUNNING = asJobId('running-1');
  const UNPRICED = asJobId('unpriced-1');

  test("listSpendRows: listJobs's jobs in its order, a bill's billed time, a price only where needed", async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(newJob(BILLED, '2026-01-01T10:00:00.000Z', { price: PRICE, quotedUsd: 0.7 }));
    await ledger.createJob(newJob(RUNNING, '2026-01-02T10:00:00.000Z', { price: PRICE }));
    await ledger.createJob(newJob(UNPRICED, '2026-01-02T10:00:00.000Z'));
    await ledger.recordChange(RUNNING, { at: '2026-01-02T10:01:00.000Z', source: 'provider', state: 'running' });
    await ledger.recordBill(BILLED, sampleBill(BILLED, 0.66));
    const rows = await ledger.listSpendRows();
    assert.deepEqual(
      rows.map((row) => row.submittedAt),
      (await ledger.listJobs()).map((job) => job.submittedAt),
    );
    const [unpriced, running, billed] = rows;
    assert.deepEqual(billed, {
      name: 'billed',
      backend: 'ec2',
      state: 'submitting',
      quotedUsd: 0.7,
      billedUsd: 0.66,
      billedS: 665,
      submittedAt: '2026-01-01T10:00:00.000Z',
      startedAt: null,
      endedAt: null,
      price: null,
      owner: null,
    });
    assert.deepEqual([running?.state, running?.billedS, running?.price], ['running', null, PRICE]);
    assert.deepEqual([unpriced?.billedS, unpriced?.price], [null, null]);
    assert.deepEqual(
      (await ledger.listSpendRows({ submittedSince: '2026-01-02T00:00:00.000Z' })).map((row) => row.name),
      ['unpriced', 'running'],
    );
  });

  test('listJobs: submittedSince, and ties in time ordered by id byte by byte, as SQLite orders them', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    const at = '2026-02-01T00:00:00.000Z';
    // Byte order: '-' (0x2d) < 'A' < '_' (0x5f) < 'a'; a locale's collation would put these otherwise.
    for (const jobId of ['a_1', 'a-1', 'A-1', 'a1', 'b-1']) await ledger.createJob(newJob(asJobId(jobId), at));
    await ledger.createJob(newJob(asJobId('old-1'), '2026-01-01T00:00:00.000Z'));
    const ids = async (query?: Parameters<typeof ledger.listJobs>[0]) =>
      (await ledger.listJobs(query)).map((job) => job.jobId);
    assert.deepEqual(await ids(), ['b-1', 'a_1', 'a1', 'a-1', 'A-1', 'old-1']);
    assert.deepEqual(await ids({ submittedSince: at }), ['b-1', 'a_1', 'a1', 'a-1', 'A-1']);
    assert.deepEqual(await ids({ submittedSince: '2026-03-01T00:00:00.000Z' }), []);
    assert.deepEqual(await ids({ which: 'active', submittedSince: at, limit: 2 }), ['b-1', 'a_1']);
    // Ignoring case, as SQLite's LIKE does; ties in time come in no particular order.
    assert.deepEqual((await ledger.jobIdsLike('a', 10)).sort(), ['A-1', 'a-1', 'a1', 'a_1']);
    assert.deepEqual((await ledger.jobIdsLike('A_', 10)).sort(), ['a_1']);
    assert.deepEqual(
      (await ledger.listSpendRows({ submittedSince: at })).map((row) => row.name),
      (await ledger.listJobs({ submittedSince: at })).map((job) => job.name),
    );
  });
}

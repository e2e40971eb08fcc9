import assert from 'node:assert/strict';
import { test } from 'vitest';
import { asJobId } from '../../../src/backend/job-id.js';
import { newJob } from '../support/ledger-fixtures.js';
import type { OpenLedger } from './ledger-conformance.js';

const ALICE_OLD = asJobId('a-20260101-1000-0001');
const BOB = asJobId('b-20260102-1000-0002');
const ALICE_NEW = asJobId('a-20260103-1000-0003');
const NOBODY = asJobId('n-20260104-1000-0004');

// The Ledger contract for owners: who launched each job and from which host, and the owner filter.
export function ownerCases(open: OpenLedger): void {
  test('a job keeps who launched it and from which host; one recorded without them has neither', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    const created = await ledger.createJob(newJob(ALICE_OLD, undefined, { owner: 'alice', host: 'gpu-box' }));
    assert.deepEqual([created.owner, created.host], ['alice', 'gpu-box']);
    await ledger.createJob(newJob(NOBODY, '2026-01-04T10:00:00.000Z'));
    assert.deepEqual(
      (await ledger.listJobs()).map((job) => [job.jobId, job.owner, job.host]),
      [
        [NOBODY, null, null],
        [ALICE_OLD, 'alice', 'gpu-box'],
      ],
    );
    // A change never touches them.
    const changed = await ledger.recordChange(ALICE_OLD, {
      at: '2026-01-01T10:01:00.000Z',
      source: 'provider',
      state: 'running',
    });
    assert.deepEqual([changed.owner, changed.host], ['alice', 'gpu-box']);
    assert.deepEqual([(await ledger.getJob(ALICE_OLD))?.owner, (await ledger.getJob(NOBODY))?.owner], ['alice', null]);
  });

  test('listJobs and countJobs filter by owner, exactly, with every other condition', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(newJob(ALICE_OLD, '2026-01-01T10:00:00.000Z', { owner: 'alice', host: 'h1' }));
    await ledger.createJob(newJob(BOB, '2026-01-02T10:00:00.000Z', { owner: 'bob', host: 'h1' }));
    await ledger.createJob(newJob(ALICE_NEW, '2026-01-03T10:00:00.000Z', { owner: 'alice', host: 'h2' }));
    await ledger.createJob(newJob(NOBODY, '2026-01-04T10:00:00.000Z'));
    await ledger.recordChange(ALICE_OLD, { at: '2026-01-01T11:00:00.000Z', source: 'provider', state: 'succeeded' });
    const ids = async (query: Parameters<typeof ledger.listJobs>[0]) =>
      (await ledger.listJobs(query)).map((job) => job.jobId);
    assert.deepEqual(await ids({ owner: 'alice' }), [ALICE_NEW, ALICE_OLD]);
    assert.deepEqual(await ids({ owner: 'bob' }), [BOB]);
    assert.deepEqual(await ids({ owner: 'Alice' }), [], 'names are matched exactly');
    assert.deepEqual(await ids({ owner: 'al%' }), [], 'a name is no pattern');
    assert.deepEqual(await ids({ owner: 'alice', which: 'active' }), [ALICE_NEW]);
    assert.deepEqual(await ids({ owner: 'alice', which: 'ended' }), [ALICE_OLD]);
    assert.deepEqual(await ids({ owner: 'alice', limit: 1 }), [ALICE_NEW]);
    assert.deepEqual(await ids({ owner: 'alice', submittedSince: '2026-01-02T00:00:00.000Z' }), [ALICE_NEW]);
    assert.deepEqual(await ids({}), [NOBODY, ALICE_NEW, BOB, ALICE_OLD]);
    assert.deepEqual(
      [
        await ledger.countJobs(),
        await ledger.countJobs({ owner: 'alice' }),
        await ledger.countJobs({ owner: 'carol' }),
      ],
      [4, 2, 0],
    );
  });

  test('listSpendRows carries each job its owner, null when unknown', async (t) => {
    const ledger = await open(t);
    if (!ledger) return;
    await ledger.createJob(newJob(ALICE_OLD, '2026-01-01T10:00:00.000Z', { owner: 'alice', host: 'h1' }));
    await ledger.createJob(newJob(NOBODY, '2026-01-04T10:00:00.000Z'));
    assert.deepEqual(
      (await ledger.listSpendRows()).map((row) => [row.name, row.owner]),
      [
        ['n', null],
        ['a', 'alice'],
      ],
    );
  });
}

// dlrun gc on Rescale through axios over HTTP against the Rescale stand-in: running jobs of ended dlrun jobs are
// stopped, active jobs and other ledgers' jobs untouched; workdir files of ended jobs deleted, those in use kept.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { createBackend } from '../../../adapters/rescale/rescale-backend.js';
import { findRescaleGarbage, removeRescaleGarbage } from '../../../adapters/rescale/rescale-garbage.js';
import { asJobId, asLedgerId, type JobId } from '../../../src/backend/job-id.js';
import { createApiJob, uploadApiFile } from '../../support/rescale-api-jobs.js';
import { standHandle } from '../../support/rescale-planned.js';
import { rescaleStandFor } from '../../support/rescale-stand.js';
import { waitFor } from '../../support/wait-for.js';

const LONG = { timeout: 60_000 };
const HOLD = { stoppingMs: Number.POSITIVE_INFINITY };
const OLD_FILE = 'dlrun-workdir-1111.tar.gz';
const USED_FILE = 'dlrun-workdir-2222.tar.gz';
const SHARED_FILE = 'dlrun-workdir-3333.tar.gz';

describe('Rescale gc', () => {
  test('stops what ended jobs left running and deletes their workdir files; nothing else', LONG, async (t) => {
    const stand = await rescaleStandFor(t, HOLD);
    const { rescale, ledgerId } = stand;
    const ended = await createApiJob(rescale, 'ended-0001', ledgerId);
    const active = await createApiJob(rescale, 'active-0002', ledgerId);
    const finished = await createApiJob(rescale, 'finished-0003', ledgerId, { command: 'exit 0' });
    const theirs = await createApiJob(rescale, 'theirs-0004', asLedgerId('a-colleagues-ledger'));
    const unsubmitted = await createApiJob(rescale, 'unsubmitted-0005', ledgerId, { submit: false });
    await waitFor('the jobs Executing or ended', () =>
      rescale.job(ended)?.status === 'Executing' &&
      rescale.job(active)?.status === 'Executing' &&
      rescale.job(theirs)?.status === 'Executing' &&
      rescale.job(finished)?.status === 'Completed'
        ? true
        : undefined,
    );
    const oldFile = await uploadApiFile(rescale, OLD_FILE);
    const usedFile = await uploadApiFile(rescale, USED_FILE);
    const sharedFile = await uploadApiFile(rescale, SHARED_FILE);
    const someoneElses = await uploadApiFile(rescale, 'dlrun-workdir-9999.tar.gz');

    const file = (name: string) => ({ details: { workdirFileName: name } });
    const known = [
      standHandle(stand, 'ended-0001', ended, file(OLD_FILE)),
      standHandle(stand, 'active-0002', active, file(USED_FILE)),
      standHandle(stand, 'finished-0003', finished, file(SHARED_FILE)),
      standHandle(stand, 'unsubmitted-0005', unsubmitted, file(SHARED_FILE)),
      // An active job of an unchanged workdir: the ended jobs' file is its file too.
      standHandle(stand, 'active-0006', null, file(SHARED_FILE)),
    ];
    const activeIds = new Set([asJobId('active-0002'), asJobId('active-0006')]) as ReadonlySet<JobId>;
    const found = await findRescaleGarbage(activeIds, known, stand.context);

    assert.deepEqual(found.unsearched, []);
    assert.deepEqual(
      found.items.map((item) => [item.kind, item.id, item.jobId]).sort(),
      [
        ['file', oldFile, null],
        ['job', ended, 'ended-0001'],
        ['job', unsubmitted, 'unsubmitted-0005'],
      ].sort(),
    );
    for (const item of found.items) assert.equal(item.location, rescale.url);

    const left = await removeRescaleGarbage(found.items, stand.context);
    assert.ok(
      left.every((entry) => entry.item.kind === 'job'),
      JSON.stringify(left),
    );
    assert.equal(rescale.job(ended)?.status, 'Stopping');
    assert.equal(rescale.job(unsubmitted), undefined, 'an unsubmitted job is deleted');
    assert.equal(rescale.job(active)?.status, 'Executing');
    assert.equal(rescale.job(theirs)?.status, 'Executing');
    assert.equal(rescale.job(finished)?.status, 'Completed');
    assert.deepEqual(
      rescale.requests('stopJob').map((request) => request.path),
      [`/api/v2/jobs/${ended}/stop/`],
    );
    const files = new Set(rescale.files().map((each) => each.id));
    assert.ok(!files.has(oldFile));
    for (const kept of [usedFile, sharedFile, someoneElses]) assert.ok(files.has(kept), String(kept));
  });

  test("the backend's list names this ledger's jobs only, by the ledger in each job's description", LONG, async (t) => {
    const stand = await rescaleStandFor(t, HOLD);
    const mine = await createApiJob(stand.rescale, 'mine-0001', stand.ledgerId, { submit: false });
    await createApiJob(stand.rescale, 'theirs-0002', asLedgerId('a-colleagues-ledger'), { submit: false });
    await createApiJob(stand.rescale, 'not-dlrun', stand.ledgerId, { submit: false, name: 'my own job' });
    const listed = await createBackend().list!(stand.context);
    assert.deepEqual(listed, [{ jobId: 'mine-0001', backend: 'rescale', externalId: mine }]);
  });

  test('no Rescale job in the ledger: nothing found, and not one request', LONG, async (t) => {
    const stand = await rescaleStandFor(t);
    const found = await findRescaleGarbage(new Set(), [], stand.context);
    assert.deepEqual(found, { items: [], unsearched: [] });
    assert.equal(stand.rescale.requests().length, 0);
  });

  test('a platform that cannot be listed is reported unsearched', LONG, async (t) => {
    const stand = await rescaleStandFor(t);
    stand.rescale.inject({ match: 'listJobs', kind: 500, times: Number.POSITIVE_INFINITY });
    const known = [standHandle(stand, 'ended-0001', 'AAAAA', { details: { workdirFileName: OLD_FILE } })];
    const found = await findRescaleGarbage(new Set(), known, stand.context);
    assert.deepEqual(
      found.unsearched.map((entry) => [entry.kind, entry.location]),
      [['job', stand.rescale.url]],
    );
    assert.match(found.unsearched[0]!.error, /500/);
  });
});

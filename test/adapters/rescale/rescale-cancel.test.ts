// Cancelling Rescale jobs through axios over HTTP against the Rescale stand-in: a stop sent once, an unsubmitted
// job deleted, ended jobs untouched, a lost answer read back rather than the stop sent again.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { cancelRescaleJob } from '../../../adapters/rescale/rescale-cancel.js';
import { createApiJob } from '../../support/rescale-api-jobs.js';
import { standHandle } from '../../support/rescale-planned.js';
import { rescaleStandFor } from '../../support/rescale-stand.js';
import { waitFor } from '../../support/wait-for.js';

const LONG = { timeout: 60_000 };
// Executing until stopped, and Stopping until the test looks.
const HOLD = { stoppingMs: Number.POSITIVE_INFINITY };

describe('cancelRescaleJob', () => {
  test('a running job is stopped with one stop request', LONG, async (t) => {
    const stand = await rescaleStandFor(t, HOLD);
    const id = await createApiJob(stand.rescale, 'running', stand.ledgerId);
    await waitFor('the job Executing', () => (stand.rescale.job(id)?.status === 'Executing' ? true : undefined));
    await cancelRescaleJob(standHandle(stand, 'running', id), stand.context);
    assert.equal(stand.rescale.requests('stopJob').length, 1);
    assert.equal(stand.rescale.job(id)?.status, 'Stopping');
    // Cancelling again while it stops sends nothing more.
    await cancelRescaleJob(standHandle(stand, 'running', id), stand.context);
    assert.equal(stand.rescale.requests('stopJob').length, 1);
  });

  test('a job created but never submitted is deleted, not stopped', LONG, async (t) => {
    const stand = await rescaleStandFor(t, HOLD);
    const id = await createApiJob(stand.rescale, 'unsubmitted', stand.ledgerId, { submit: false });
    await cancelRescaleJob(standHandle(stand, 'unsubmitted', id), stand.context);
    assert.equal(stand.rescale.job(id), undefined);
    assert.equal(stand.rescale.requests('deleteJob').length, 1);
    assert.equal(stand.rescale.requests('stopJob').length, 0);
  });

  test('a submitted job still Pending, which Rescale will not delete, is stopped', LONG, async (t) => {
    const stand = await rescaleStandFor(t, { ...HOLD, pendingMs: Number.POSITIVE_INFINITY });
    const id = await createApiJob(stand.rescale, 'waiting', stand.ledgerId);
    await cancelRescaleJob(standHandle(stand, 'waiting', id), stand.context);
    assert.equal(stand.rescale.requests('stopJob').length, 1);
    assert.equal(stand.rescale.job(id)?.status, 'Stopping');
  });

  test('an ended job, and one Rescale has no trace of, are left alone', LONG, async (t) => {
    const stand = await rescaleStandFor(t, HOLD);
    const id = await createApiJob(stand.rescale, 'ended', stand.ledgerId, { command: 'exit 0' });
    await waitFor('the job Completed', () => (stand.rescale.job(id)?.status === 'Completed' ? true : undefined));
    await cancelRescaleJob(standHandle(stand, 'ended', id), stand.context);
    await cancelRescaleJob(standHandle(stand, 'ghost', 'ZZZZZ'), stand.context);
    await cancelRescaleJob(standHandle(stand, 'never-launched', null), stand.context);
    assert.equal(stand.rescale.requests('stopJob').length, 0);
    assert.equal(stand.rescale.requests('deleteJob').length, 0);
    assert.equal(stand.rescale.job(id)?.status, 'Completed');
  });

  test('a stop whose answer is lost is read back, not sent twice', LONG, async (t) => {
    const stand = await rescaleStandFor(t, HOLD);
    const id = await createApiJob(stand.rescale, 'dropped', stand.ledgerId);
    await waitFor('the job Executing', () => (stand.rescale.job(id)?.status === 'Executing' ? true : undefined));
    stand.rescale.inject({ match: 'stopJob', kind: 'drop-after' });
    await cancelRescaleJob(standHandle(stand, 'dropped', id), stand.context);
    assert.equal(stand.rescale.requests('stopJob').length, 1);
    assert.equal(stand.rescale.job(id)?.status, 'Stopping');
  });

  test('a stop that never arrived is sent again once the job is seen still running', LONG, async (t) => {
    const stand = await rescaleStandFor(t, HOLD);
    const id = await createApiJob(stand.rescale, 'lost', stand.ledgerId);
    await waitFor('the job Executing', () => (stand.rescale.job(id)?.status === 'Executing' ? true : undefined));
    stand.rescale.inject({ match: 'stopJob', kind: 'drop-before' });
    await cancelRescaleJob(standHandle(stand, 'lost', id), stand.context);
    assert.equal(stand.rescale.requests('stopJob').length, 2);
    assert.equal(stand.rescale.job(id)?.status, 'Stopping');
  });
});

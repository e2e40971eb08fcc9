import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBackend } from '../../adapters/local/local-backend.js';
import type { TrainingBackend } from '../../src/backend/training-backend.js';
import { loadConfig } from '../../src/config.js';
import { settleBill } from '../../src/core/settle-bill.js';
import { newJob, openTempLedger, PRICE } from '../ledger/support/ledger-fixtures.js';
import { tempDir } from '../support/temp-dir.js';

/** A real backend whose provider cannot be reached for the bill's facts, or answers with none. */
function withFacts(billingFacts: TrainingBackend['billingFacts']): TrainingBackend {
  return { ...createBackend(), billingFacts };
}

async function endedJob(t: Parameters<typeof openTempLedger>[0]) {
  const { ledger } = await openTempLedger(t);
  await ledger.createJob(newJob('ended-20260101-1000-aaaa', '2026-01-01T10:00:00.000Z', { price: PRICE }));
  await ledger.recordChange('ended-20260101-1000-aaaa', {
    at: '2026-01-01T10:01:00.000Z',
    source: 'provider',
    state: 'running',
  });
  const job = await ledger.recordChange('ended-20260101-1000-aaaa', {
    at: '2026-01-01T10:31:00.000Z',
    source: 'provider',
    state: 'succeeded',
    exitCode: 0,
  });
  return { ledger, job, config: loadConfig({ DLRUN_HOME: tempDir(t) }) };
}

test('an ended job whose provider cannot be asked gets a bill, but it is not recorded: a later call settles it', async (t) => {
  const { ledger, job, config } = await endedJob(t);
  const unreachable = withFacts(() => Promise.reject(new Error('connect ECONNREFUSED')));
  const first = await settleBill(ledger, job, unreachable, config);
  assert.ok(first && first.total_usd > 0);
  assert.equal(await ledger.getBill(job.jobId), undefined, 'not recorded while the provider could not be asked');

  const answered = await settleBill(
    ledger,
    job,
    withFacts(() => Promise.resolve(undefined)),
    config,
  );
  assert.deepEqual(
    await ledger.getBill(job.jobId),
    answered,
    'recorded once the provider answered (here: nothing more to add)',
  );
});

test('a backend without billing facts, or none at all, settles from the ledger alone', async (t) => {
  const { ledger, job, config } = await endedJob(t);
  const bill = await settleBill(ledger, job, undefined, config);
  assert.deepEqual(await ledger.getBill(job.jobId), bill);
  assert.equal(bill?.billed_s, 1800);
});

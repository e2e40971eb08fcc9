import { asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { emptyPhases } from '../../src/ledger/phases.js';
import { jobRecord } from '../../src/core/job-record.js';
import type { JobEvent, StoredJob } from '../../src/ledger/ledger.js';
import { PRICE, sampleBill } from '../ledger/support/ledger-fixtures.js';

const SUBMITTED = '2026-01-01T10:00:00.000Z';

function storedJob(overrides: Partial<StoredJob> = {}): StoredJob {
  return {
    jobId: asJobId('mnist-cnn-20260101-1000-a7f3'),
    name: 'mnist-cnn',
    backend: 'ec2',
    state: 'running',
    phase: 'run',
    providerState: 'running',
    externalId: 'i-0abc',
    exitCode: null,
    jobFile: 'job.yaml',
    finalPhases: null,
    endReason: null,
    providerDetails: null,
    owner: null,
    host: null,
    ledgerId: null,
    price: PRICE,
    quotedUsd: 0.5,
    billedUsd: null,
    submittedAt: SUBMITTED,
    startedAt: '2026-01-01T10:01:00.000Z',
    endedAt: null,
    ...overrides,
  };
}

function event(id: number, at: string, fields: Partial<JobEvent>): JobEvent {
  return {
    id,
    jobId: asJobId('mnist-cnn-20260101-1000-a7f3'),
    at,
    recordedAt: at,
    source: 'provider',
    state: null,
    phase: null,
    providerState: null,
    message: null,
    ...fields,
  };
}

const EVENTS = [
  event(1, SUBMITTED, { state: 'submitting', phase: 'queued', source: 'dlrun' }),
  event(2, '2026-01-01T10:01:00.000Z', { state: 'running', phase: 'run' }),
];

test('a record carries every field of JOB-SPEC.md section 3', () => {
  const record = jobRecord(storedJob(), EVENTS, new Date('2026-01-01T10:11:00.000Z'));
  for (const field of [
    'job_id',
    'name',
    'backend',
    'state',
    'provider_state',
    'external_id',
    'submitted_at',
    'started_at',
    'ended_at',
    'elapsed_s',
    'phases',
    'cost_so_far_usd',
  ]) {
    assert.ok(field in record, field);
  }
  assert.deepEqual(record, {
    job_id: 'mnist-cnn-20260101-1000-a7f3',
    name: 'mnist-cnn',
    backend: 'ec2',
    state: 'running',
    phase: 'run',
    provider_state: 'running',
    external_id: 'i-0abc',
    submitted_at: SUBMITTED,
    started_at: '2026-01-01T10:01:00.000Z',
    ended_at: null,
    elapsed_s: 660,
    phases: { ...emptyPhases(), queued: 60, run: 600 },
    // 600 s at $3.60 an hour.
    cost_so_far_usd: 0.6,
    exit_code: null,
    end_reason: null,
    failed_phase: null,
    job_file: 'job.yaml',
    owner: null,
    host: null,
  });
});

test('an ended job counts to its end, whatever now is, and has no current phase', () => {
  const ended = storedJob({ state: 'succeeded', endedAt: '2026-01-01T10:31:00.000Z', exitCode: 0 });
  const events = [...EVENTS, event(3, '2026-01-01T10:31:00.000Z', { state: 'succeeded' })];
  for (const now of ['2026-01-01T10:31:00.000Z', '2027-01-01T00:00:00.000Z']) {
    const record = jobRecord(ended, events, new Date(now));
    assert.equal(record.elapsed_s, 1860);
    assert.equal(record.phase, null);
    assert.equal(record.ended_at, '2026-01-01T10:31:00.000Z');
    assert.deepEqual(record.phases, { ...emptyPhases(), queued: 60, run: 1800 });
    assert.equal(record.cost_so_far_usd, 1.8);
    assert.equal(record.exit_code, 0);
  }
});

test('the stored bill, once there is one, is the cost', () => {
  const billed = storedJob({
    state: 'succeeded',
    endedAt: '2026-01-01T10:31:00.000Z',
    billedUsd: sampleBill(asJobId('mnist-cnn-20260101-1000-a7f3'), 1.2345).total_usd,
  });
  assert.equal(jobRecord(billed, EVENTS, new Date('2026-01-02T00:00:00.000Z')).cost_so_far_usd, 1.2345);
});

test(
  'cost so far follows the price snapshot: its minimum, its increment, ' +
    'nothing before the start, null with no price',
  () => {
    const now = new Date('2026-01-01T10:01:10.000Z');
    // Ten seconds of run time bill the 60 s minimum: $3.60 an hour -> $0.06.
    assert.equal(jobRecord(storedJob(), EVENTS, now).cost_so_far_usd, 0.06);
    // Hourly increments: ten seconds bill a whole hour.
    const hourly = { ...PRICE, billing_increment_s: 3600, minimum_billed_s: 0 };
    assert.equal(jobRecord(storedJob({ price: hourly }), EVENTS, now).cost_so_far_usd, 3.6);
    // Per second, no minimum: 70 s of run time at $3.60 an hour.
    const perSecond = { ...PRICE, billing_increment_s: 1, minimum_billed_s: 0 };
    assert.equal(
      jobRecord(storedJob({ price: perSecond }), EVENTS, new Date('2026-01-01T10:02:10.000Z')).cost_so_far_usd,
      0.07,
    );
    assert.equal(
      jobRecord(storedJob({ state: 'pending', startedAt: null }), EVENTS.slice(0, 1), now).cost_so_far_usd,
      0,
      'queued time is free',
    );
    assert.equal(jobRecord(storedJob({ price: null }), EVENTS, now).cost_so_far_usd, null);
  },
);

test('elapsed time is never negative, even with a submit time ahead of now', () => {
  const record = jobRecord(storedJob({ startedAt: null }), EVENTS.slice(0, 1), new Date('2026-01-01T09:59:00.000Z'));
  assert.equal(record.elapsed_s, 0);
  assert.ok(Object.values(record.phases).every((seconds) => seconds >= 0));
});

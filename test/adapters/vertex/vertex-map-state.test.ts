import assert from 'node:assert/strict';
import { test } from 'vitest';
import { asJobId } from '../../../src/backend/job-id.js';
import { isTerminal } from '../../../src/backend/job-state.js';
import {
  mapVertexJob,
  parseRfc3339,
  VERTEX_JOB_STATES,
  type VertexJobReport,
  type VertexJobView,
} from '../../../adapters/vertex/vertex-map-state.js';

// CustomJobs as customJobs.get returns them, built by hand: the mapping is pure, so no stand-in is needed.
const CREATED = '2026-11-26T04:00:00.123456789Z';
const STARTED = '2026-11-26T04:05:00.5Z';
const ENDED = '2026-11-26T05:05:00.999999999Z';
const OBSERVED = '2026-11-26T06:00:00.000Z';

function view(job: VertexJobReport, extra: Partial<VertexJobView> = {}): VertexJobView {
  return { jobId: asJobId('job-1'), job, stopAfterSeconds: 7200, observedAt: OBSERVED, ...extra };
}

const QUEUED_PHASES = { queued: '2026-11-26T04:00:00.123Z' };
const RAN_PHASES = { queued: '2026-11-26T04:00:00.123Z', run: '2026-11-26T04:05:00.500Z' };

test('RFC 3339 times: nanoseconds cut to milliseconds, offsets honoured, anything else refused', () => {
  assert.equal(parseRfc3339('2024-01-01T00:00:00.123456789Z'), '2024-01-01T00:00:00.123Z');
  assert.equal(parseRfc3339('2024-01-01T00:00:00.999999999Z'), '2024-01-01T00:00:00.999Z');
  assert.equal(parseRfc3339('2024-01-01T00:00:00Z'), '2024-01-01T00:00:00.000Z');
  assert.equal(parseRfc3339('2024-01-01T02:00:00.5+02:00'), '2024-01-01T00:00:00.500Z');
  for (const bad of [undefined, null, '', 'yesterday', '2024-01-01', '2024-13-01T00:00:00Z'])
    assert.equal(parseRfc3339(bad), undefined);
});

test('QUEUED: pending, queued since createTime', () => {
  assert.deepEqual(mapVertexJob(view({ state: 'JOB_STATE_QUEUED', createTime: CREATED })), {
    jobId: 'job-1',
    providerState: 'JOB_STATE_QUEUED',
    observedAt: OBSERVED,
    state: 'pending',
    phase: 'queued',
    phaseStartedAt: QUEUED_PHASES,
  });
});

test('PENDING: provisioning (Vertex is getting the machines), still counted from createTime', () => {
  const status = mapVertexJob(view({ state: 'JOB_STATE_PENDING', createTime: CREATED }));
  assert.equal(status.state, 'provisioning');
  assert.equal(status.phase, 'provisioning');
  assert.deepEqual(status.phaseStartedAt, QUEUED_PHASES);
});

test('RUNNING without markers: running, all run from startTime', () => {
  const status = mapVertexJob(view({ state: 'JOB_STATE_RUNNING', createTime: CREATED, startTime: STARTED }));
  assert.equal(status.state, 'running');
  assert.equal(status.phase, 'run');
  assert.deepEqual(status.phaseStartedAt, RAN_PHASES);
});

test('RUNNING with markers: setup from startTime, run from its marker, markers kept inside the window', () => {
  const markers = {
    phaseStartedAt: {
      setup: '2026-11-26T04:06:00.000Z',
      run: '2026-11-26T04:07:00.000Z',
      teardown: '2099-01-01T00:00:00.000Z',
      queued: '2000-01-01T00:00:00.000Z',
    },
    current: 'run' as const,
  };
  const status = mapVertexJob(
    view({ state: 'JOB_STATE_RUNNING', createTime: CREATED, startTime: STARTED }, { markers }),
  );
  assert.equal(status.state, 'running');
  assert.equal(status.phase, 'run');
  assert.deepEqual(status.phaseStartedAt, {
    queued: '2026-11-26T04:00:00.123Z',
    setup: '2026-11-26T04:05:00.500Z',
    run: '2026-11-26T04:07:00.000Z',
    // A marker in the future is held at now.
    teardown: OBSERVED,
  });
});

test('SUCCEEDED: succeeded, ended at endTime', () => {
  assert.deepEqual(
    mapVertexJob(view({ state: 'JOB_STATE_SUCCEEDED', createTime: CREATED, startTime: STARTED, endTime: ENDED })),
    {
      jobId: 'job-1',
      providerState: 'JOB_STATE_SUCCEEDED',
      observedAt: OBSERVED,
      state: 'succeeded',
      phaseStartedAt: RAN_PHASES,
      endedAt: '2026-11-26T05:05:00.999Z',
      message: 'the job finished',
    },
  );
});

test("FAILED: failed with Vertex's message; without one, a message that says so", () => {
  const job = { state: 'JOB_STATE_FAILED', createTime: CREATED, startTime: STARTED, endTime: ENDED };
  const failed = mapVertexJob(view({ ...job, error: { code: 3, message: 'The replica workerpool0-0 exited 1.' } }));
  assert.equal(failed.state, 'failed');
  assert.equal(failed.message, 'The replica workerpool0-0 exited 1.');
  assert.equal(failed.endedAt, '2026-11-26T05:05:00.999Z');
  assert.equal(mapVertexJob(view(job)).message, 'Vertex reports the job failed and gives no reason');
  const preempted = mapVertexJob(view({ ...job, error: { code: 14, message: 'The VM was preempted.' } }));
  assert.equal(preempted.state, 'preempted');
});

test('a stop at scheduling.timeout: timed_out by its words, its code, or a cancel dlrun never asked for', () => {
  const job = { createTime: CREATED, startTime: STARTED, endTime: ENDED };
  const byWords = mapVertexJob(view({ ...job, state: 'JOB_STATE_FAILED', error: { message: 'Job timed out.' } }));
  assert.equal(byWords.state, 'timed_out');
  assert.equal(byWords.message, 'Vertex stopped the job at its limit (Job timed out.)');
  assert.equal(mapVertexJob(view({ ...job, state: 'JOB_STATE_CANCELLED', error: { code: 4 } })).state, 'timed_out');
  // Ran for an hour, and the limit was an hour: Vertex's own stop.
  const atLimit = { ...job, state: 'JOB_STATE_CANCELLED', error: { code: 1, message: 'CANCELED' } };
  assert.equal(mapVertexJob(view(atLimit, { stopAfterSeconds: 3600 })).state, 'timed_out');
  assert.equal(mapVertexJob(view(atLimit, { stopAfterSeconds: 3600, cancelRequested: true })).state, 'cancelled');
  assert.equal(mapVertexJob(view(atLimit, { stopAfterSeconds: null })).state, 'cancelled');
});

test('CANCELLING: still active, with a message; CANCELLED: cancelled', () => {
  const cancelling = mapVertexJob(view({ state: 'JOB_STATE_CANCELLING', createTime: CREATED, startTime: STARTED }));
  assert.equal(cancelling.state, 'running');
  assert.equal(cancelling.message, 'Vertex is cancelling the job');
  const early = mapVertexJob(view({ state: 'JOB_STATE_CANCELLING', createTime: CREATED }));
  assert.equal(early.state, 'pending');
  const cancelled = mapVertexJob(
    view({ state: 'JOB_STATE_CANCELLED', createTime: CREATED, endTime: ENDED, error: { code: 1, message: 'x' } }),
  );
  assert.equal(cancelled.state, 'cancelled');
  assert.equal(cancelled.message, 'the job was cancelled (x)');
  assert.deepEqual(cancelled.phaseStartedAt, QUEUED_PHASES);
});

test('EXPIRED and PARTIALLY_SUCCEEDED: failed, saying why; PAUSED and UPDATING: active', () => {
  const expired = mapVertexJob(view({ state: 'JOB_STATE_EXPIRED', createTime: CREATED }));
  assert.equal(expired.state, 'failed');
  assert.equal(expired.endedAt, OBSERVED);
  assert.match(expired.message!, /expire/);
  const partial = mapVertexJob(view({ state: 'JOB_STATE_PARTIALLY_SUCCEEDED', endTime: ENDED }));
  assert.equal(partial.state, 'failed');
  assert.match(partial.message!, /only part/);
  assert.equal(mapVertexJob(view({ state: 'JOB_STATE_PAUSED', createTime: CREATED })).state, 'pending');
  const updating = mapVertexJob(view({ state: 'JOB_STATE_UPDATING', startTime: STARTED }));
  assert.equal(updating.state, 'running');
  assert.equal(updating.message, 'Vertex is updating the job');
});

test('UNSPECIFIED, missing and unknown states: active unless an end time says otherwise', () => {
  const unspecified = mapVertexJob(view({ state: 'JOB_STATE_UNSPECIFIED', createTime: CREATED }));
  assert.equal(unspecified.state, 'pending');
  assert.match(unspecified.message!, /JOB_STATE_UNSPECIFIED/);
  const missing = mapVertexJob(view({}));
  assert.equal(missing.providerState, 'JOB_STATE_UNSPECIFIED');
  assert.equal(missing.state, 'pending');
  const unknown = mapVertexJob(view({ state: 'JOB_STATE_NEW_THING', startTime: STARTED, endTime: ENDED }));
  assert.equal(unknown.state, 'failed');
  assert.equal(unknown.providerState, 'JOB_STATE_NEW_THING');
  assert.match(unknown.message!, /JOB_STATE_NEW_THING, which dlrun does not know; the job has ended/);
});

test('every documented state maps, and the terminal ones are exactly those Vertex ends with', () => {
  const ending = new Set([
    'JOB_STATE_SUCCEEDED',
    'JOB_STATE_FAILED',
    'JOB_STATE_CANCELLED',
    'JOB_STATE_EXPIRED',
    'JOB_STATE_PARTIALLY_SUCCEEDED',
  ]);
  for (const state of VERTEX_JOB_STATES) {
    const status = mapVertexJob(view({ state, createTime: CREATED }));
    assert.equal(status.providerState, state);
    assert.equal(isTerminal(status.state), ending.has(state), state);
  }
});

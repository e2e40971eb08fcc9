import { asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { JobState, Phase } from '../../src/backend/job-state.js';
import { emptyPhases, phaseSeconds } from '../../src/ledger/phases.js';
import type { EventSource, JobEvent } from '../../src/ledger/ledger.js';

let nextId = 1;

function event(at: string, change: { state?: JobState; phase?: Phase; source?: EventSource }): JobEvent {
  return {
    id: nextId++,
    jobId: asJobId('job-1'),
    at,
    recordedAt: at,
    source: change.source ?? 'provider',
    state: change.state ?? null,
    phase: change.phase ?? null,
    providerState: null,
    message: null,
  };
}

const T = (clock: string): string => `2026-01-01T${clock}.000Z`;

test('each phase lasts from the event that began it to the next; the end state closes the last', () => {
  const events = [
    event(T('10:00:00'), { state: 'submitting', phase: 'queued', source: 'dlrun' }),
    event(T('10:00:30'), { state: 'provisioning', phase: 'provisioning' }),
    event(T('10:02:00'), { state: 'running', phase: 'setup' }),
    event(T('10:05:00'), { phase: 'run', source: 'machine' }),
    event(T('10:45:00'), { phase: 'teardown', source: 'machine' }),
    event(T('10:46:15'), { state: 'succeeded' }),
  ];
  // `now` long after the end: an ended job stops counting at its end state.
  assert.deepEqual(phaseSeconds(events, new Date('2026-06-01T00:00:00Z')), {
    queued: 30,
    provisioning: 90,
    setup: 180,
    run: 2400,
    teardown: 75,
  });
});

test('a job still going counts its current phase up to now', () => {
  const events = [
    event(T('10:00:00'), { state: 'submitting', phase: 'queued' }),
    event(T('10:01:00'), { state: 'running', phase: 'run' }),
  ];
  assert.deepEqual(phaseSeconds(events, new Date(T('10:11:00'))), { ...emptyPhases(), queued: 60, run: 600 });
});

test('events that repeat the current phase do not restart it, and a phase entered twice adds up', () => {
  const events = [
    event(T('10:00:00'), { state: 'submitting', phase: 'queued' }),
    event(T('10:00:10'), { state: 'pending', phase: 'queued' }),
    event(T('10:01:00'), { state: 'running', phase: 'run' }),
    event(T('10:02:00'), { phase: 'run' }),
    // Preempted and requeued: a second stint in queued and in run.
    event(T('10:03:00'), { state: 'pending', phase: 'queued' }),
    event(T('10:04:30'), { state: 'running', phase: 'run' }),
    event(T('10:06:30'), { state: 'failed' }),
  ];
  assert.deepEqual(phaseSeconds(events, new Date(T('12:00:00'))), { ...emptyPhases(), queued: 150, run: 240 });
});

test('a machine clock behind or ahead of ours never makes a phase negative or longer than the job', () => {
  const events = [
    event(T('10:00:00'), { state: 'submitting', phase: 'queued', source: 'dlrun' }),
    event(T('10:01:00'), { state: 'running', phase: 'run' }),
    // Recorded after the provider's report, stamped before it by a machine whose clock runs behind.
    event(T('10:00:40'), { phase: 'setup', source: 'machine' }),
    event(T('10:10:00'), { state: 'succeeded' }),
    // A machine clock running ahead reports teardown after the end.
    event(T('10:10:05'), { phase: 'teardown', source: 'machine' }),
  ];
  const phases = phaseSeconds(events, new Date(T('10:10:00')));
  for (const [phase, seconds] of Object.entries(phases)) assert.ok(seconds >= 0, `${phase} is ${seconds}`);
  const total = Object.values(phases).reduce((sum, seconds) => sum + seconds, 0);
  assert.ok(total <= 600, `phases add up to at most the job's 600 s: ${total}`);
  assert.deepEqual(phases, { ...emptyPhases(), queued: 40, setup: 20, run: 540 });
});

test('events are ordered by the instant they name, whatever the offset or precision of their timestamps', () => {
  const offsets = [
    event('2026-01-01T10:00:00.000Z', { state: 'submitting', phase: 'queued', source: 'dlrun' }),
    event('2026-01-01T10:01:00.000Z', { state: 'provisioning', phase: 'provisioning' }),
    event('2026-01-01T12:02:00+02:00', { phase: 'setup', source: 'machine' }),
    event('2026-01-01T12:05:00+02:00', { phase: 'run', source: 'machine' }),
    event('2026-01-01T10:10:00.000Z', { state: 'succeeded' }),
  ];
  assert.deepEqual(phaseSeconds(offsets, new Date(T('10:10:00'))), {
    ...emptyPhases(),
    queued: 60,
    provisioning: 60,
    setup: 180,
    run: 300,
  });
  const precision = [
    event('2026-01-01T09:59:00.000Z', { state: 'submitting', phase: 'queued', source: 'dlrun' }),
    event('2026-01-01T10:00:00Z', { state: 'provisioning', phase: 'provisioning' }),
    event('2026-01-01T10:00:00.250Z', { phase: 'setup', source: 'machine' }),
    event('2026-01-01T10:01:00.000Z', { phase: 'run', source: 'machine' }),
    event('2026-01-01T10:02:00.000Z', { state: 'succeeded' }),
  ];
  assert.deepEqual(phaseSeconds(precision, new Date(T('10:02:00'))), {
    ...emptyPhases(),
    queued: 60,
    provisioning: 0.25,
    setup: 59.75,
    run: 60,
  });
});

test('no events, no time', () => {
  assert.deepEqual(phaseSeconds([], new Date(T('10:00:00'))), emptyPhases());
  assert.deepEqual(Object.keys(emptyPhases()), ['queued', 'provisioning', 'setup', 'run', 'teardown']);
});

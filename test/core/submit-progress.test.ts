import { asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'vitest';
import type { JobEvent } from '../../src/ledger/ledger.js';
import { LAUNCH_REQUESTED, STAGING, submitProgress, submitterNote } from '../../src/core/submit-progress.js';

function note(providerState: string, message: string): JobEvent {
  const at = new Date().toISOString();
  return {
    id: 1,
    jobId: asJobId('job'),
    at,
    recordedAt: at,
    source: 'dlrun',
    state: null,
    phase: null,
    providerState,
    message,
  };
}

test('a submit still at work is running; the step is the last note it wrote', () => {
  const progress = submitProgress([
    note(STAGING, `staging ${submitterNote()}`),
    note(LAUNCH_REQUESTED, `asking ec2 ${submitterNote()}`),
  ]);
  assert.deepEqual(progress, { step: LAUNCH_REQUESTED, submitter: 'running' });
});

test('a process id reused by another program is not taken for the submit: its start time differs', () => {
  const reused = `staging (dlrun submit, pid ${process.pid} started not-this-boot:1 on ${os.hostname()})`;
  assert.deepEqual(submitProgress([note(STAGING, reused)]), { step: STAGING, submitter: 'gone' });
});

test('a submit on another host cannot be checked from here; no note at all says nothing', () => {
  assert.deepEqual(
    submitProgress([note(STAGING, `staging (dlrun submit, pid ${process.pid} started x on elsewhere.example)`)]),
    { step: STAGING, submitter: 'unknown' },
  );
  assert.deepEqual(submitProgress([]), { step: undefined, submitter: 'unknown' });
});

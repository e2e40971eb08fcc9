import assert from 'node:assert/strict';
import { test } from 'vitest';
import {
  JOB_STATES,
  PHASES,
  TERMINAL_STATES,
  canTransition,
  isTerminal,
  phaseOfState,
} from '../../src/backend/job-state.js';

test('the states and phases are those of JOB-SPEC.md section 3', () => {
  assert.deepEqual(
    [...JOB_STATES],
    [
      'submitting',
      'pending',
      'provisioning',
      'running',
      'succeeded',
      'failed',
      'cancelled',
      'preempted',
      'timed_out',
      'lost',
    ],
  );
  assert.deepEqual([...PHASES], ['queued', 'provisioning', 'setup', 'run', 'teardown']);
  assert.deepEqual([...TERMINAL_STATES].sort(), ['cancelled', 'failed', 'lost', 'preempted', 'succeeded', 'timed_out']);
});

test('a finished job stays finished, except a lost one that reconcile finds again', () => {
  for (const end of ['succeeded', 'failed', 'cancelled', 'preempted', 'timed_out'] as const) {
    assert.equal(isTerminal(end), true);
    for (const to of JOB_STATES) assert.equal(canTransition(end, to), false, `${end} -> ${to}`);
  }
  assert.equal(canTransition('lost', 'running'), true);
  assert.equal(canTransition('lost', 'succeeded'), true);
});

test('an active job may move to any other state but back to submitting', () => {
  for (const from of ['submitting', 'pending', 'provisioning', 'running'] as const) {
    for (const to of JOB_STATES)
      assert.equal(canTransition(from, to), to !== from && to !== 'submitting', `${from} -> ${to}`);
  }
});

test('states imply phases when the provider gives no finer detail', () => {
  assert.equal(phaseOfState('submitting'), 'queued');
  assert.equal(phaseOfState('pending'), 'queued');
  assert.equal(phaseOfState('provisioning'), 'provisioning');
  assert.equal(phaseOfState('running'), 'run');
  assert.equal(phaseOfState('succeeded'), undefined);
});

import assert from 'node:assert/strict';
import { test } from 'vitest';
import {
  DlrunError,
  EXIT_CODES,
  InternalError,
  InterruptedError,
  JobFileError,
  LedgerError,
  ProviderError,
  UnknownJobError,
  UsageError,
  exitCodeFor,
} from '../../src/base/errors.js';

test('exit codes follow JOB-SPEC.md section 2', () => {
  assert.equal(exitCodeFor(new UsageError('unknown flag')), 2);
  assert.equal(exitCodeFor(new JobFileError('job.yaml', 'invalid')), 1);
  assert.equal(exitCodeFor(new LedgerError('locked', '/x/ledger.db')), 1);
  assert.equal(exitCodeFor(new UnknownJobError('nope')), 1);
  assert.equal(exitCodeFor(new ProviderError('quota', 'VcpuLimitExceeded')), 1);
  assert.equal(exitCodeFor(new InterruptedError()), 130);
  assert.equal(exitCodeFor(new InternalError('broken invariant')), 70);
  assert.equal(exitCodeFor(new TypeError('x is undefined')), 70, 'anything unexpected is a bug');
  assert.equal(exitCodeFor('a thrown string'), 70);
  assert.deepEqual(EXIT_CODES, { success: 0, userFailure: 1, usage: 2, bug: 70, interrupted: 130 });
});

test('errors carry audience, retryability, hint and cause', () => {
  const cause = new Error('socket hang up');
  const error = new ProviderError('EC2 did not answer', 'RequestLimitExceeded', {
    retryable: true,
    hint: 'try again',
    cause,
  });
  assert.ok(error instanceof DlrunError);
  assert.equal(error.audience, 'user');
  assert.equal(error.isRetryable, true);
  assert.equal(error.hint, 'try again');
  assert.equal(error.cause, cause);
  assert.equal(error.providerCode, 'RequestLimitExceeded');
  assert.equal(error.name, 'ProviderError');
  assert.equal(new InternalError('bug').audience, 'internal');
  assert.equal(new UsageError('x').isRetryable, false);
});

test('an unknown job id says how to list jobs, with a suggestion when there is one', () => {
  assert.match(new UnknownJobError('mnist-1').hint ?? '', /dlrun status/);
  assert.match(new UnknownJobError('mnist-1', 'mnist-2').hint ?? '', /did you mean 'mnist-2'/);
});

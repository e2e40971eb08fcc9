import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  clean,
  RescaleApiError,
  rescaleAnswerText,
  rescaleError,
  withDoing,
} from '../../../adapters/rescale/rescale-errors.js';
import { backoffMs, retryAfterMs, retryDecision } from '../../../adapters/rescale/rescale-retry.js';

describe("Rescale's answers as text", () => {
  test('DRF detail, non_field_errors, field errors nested or not; HTML says nothing', () => {
    assert.equal(rescaleAnswerText({ detail: 'Invalid token.' }), 'Invalid token.');
    assert.equal(rescaleAnswerText('{"non_field_errors": ["Job is running."]}'), 'Job is running.');
    assert.equal(
      rescaleAnswerText({ hardware: { coresPerSlot: ['Ensure this value is >= 1.', 'Bad.'] } }),
      'hardware.coresPerSlot: Ensure this value is >= 1. Bad.',
    );
    assert.equal(rescaleAnswerText(['one', 'two']), 'one two');
    assert.equal(rescaleAnswerText('<!DOCTYPE html><html>502</html>'), '');
    assert.equal(rescaleAnswerText('Bad Gateway\nmore'), 'Bad Gateway');
    assert.equal(rescaleAnswerText(Buffer.from('{"detail":"x"}')), 'x');
  });

  test('control characters, bidi overrides and zero-width characters never reach the terminal', () => {
    assert.equal(clean('a\u001b]0;title\u0007b\u202ec\u200bd\r\ne'), 'a ]0;title b c d e');
    assert.equal(clean('y'.repeat(400)).length, 300);
  });

  test('an unknown host names the platform and the setting; other failures pass unchanged', () => {
    const platform = {
      url: 'https://rescale.example.invalid',
      setting: 'backends.rescale.platform',
      source: 'the job file',
    };
    const note = { platform, timeoutMs: 8000, attempts: 1 };
    const error = rescaleError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' }, 'GET /api/v2/jobs/', note);
    assert.ok(error instanceof RescaleApiError);
    assert.equal(
      error.message,
      'GET /api/v2/jobs/: the host of https://rescale.example.invalid ' +
        '(from backends.rescale.platform in the job file) is not one the network knows (ENOTFOUND)',
    );
    assert.match(error.hint ?? '', /check backends\.rescale\.platform in the job file/);
    const cancelled = { code: 'ERR_CANCELED', message: 'canceled' };
    assert.equal(rescaleError(cancelled, 'GET /api/v2/jobs/', note), cancelled);
  });

  test('withDoing says what dlrun was doing, keeping the status and the hint', async () => {
    const failing = async () => {
      throw new RescaleApiError(
        'POST /api/v2/jobs/: Rescale refused',
        '400',
        'POST /api/v2/jobs/',
        'Rescale refused',
        400,
        {
          hint: 'fix it',
        },
      );
    };
    const error = await withDoing('creating the Rescale job', failing).catch((caught: unknown) => caught);
    assert.ok(error instanceof RescaleApiError);
    assert.equal(error.message, 'creating the Rescale job (POST /api/v2/jobs/): Rescale refused');
    assert.equal(error.status, 400);
    assert.equal(error.hint, 'fix it');
  });
});

describe('retry rules', () => {
  const answer = (status: number, headers: Record<string, string> = {}) => ({ response: { status, headers } });

  test('Retry-After in seconds or as an HTTP date; junk is ignored', () => {
    const now = Date.parse('2026-12-06T20:00:00Z');
    assert.equal(retryAfterMs('12', now), 12_000);
    assert.equal(retryAfterMs('Sun, 06 Dec 2026 20:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('Sun, 06 Dec 2026 19:00:00 GMT', now), 0);
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs('-5', now), undefined);
    assert.equal(retryAfterMs(undefined, now), undefined);
  });

  test('which rule retries what', () => {
    const dropped = { code: 'ECONNRESET', message: 'socket hang up' };
    const timedOut = { code: 'ETIMEDOUT' };
    for (const failure of [answer(500), answer(503), dropped, timedOut, answer(429)]) {
      assert.notEqual(retryDecision(failure, 1, 'idempotent').waitMs, undefined);
      assert.equal(retryDecision(failure, 1, 'never').waitMs, undefined);
      assert.equal(retryDecision(failure, 3, 'idempotent').waitMs, undefined, 'the third attempt is the last');
    }
    for (const failure of [answer(500), dropped, timedOut])
      assert.equal(retryDecision(failure, 1, 'throttled').waitMs, undefined);
    assert.equal(retryDecision(answer(429, { 'retry-after': '2' }), 1, 'throttled').waitMs, 2000);
    assert.equal(retryDecision(answer(429, { 'retry-after': '61' }), 1, 'idempotent').waitMs, undefined);
    assert.equal(retryDecision(answer(429, { 'retry-after': '61' }), 1, 'idempotent').retryAfterMs, 61_000);
    for (const status of [400, 401, 403, 404])
      assert.equal(retryDecision(answer(status), 1, 'idempotent').waitMs, undefined);
    assert.equal(retryDecision({ code: 'ECONNREFUSED' }, 1, 'idempotent').waitMs, undefined);
  });

  test('backoff grows and stays under its cap', () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const wait = backoffMs(attempt);
      assert.ok(wait >= Math.min(4000, 250 * 2 ** (attempt - 1)) / 2 && wait <= 4000, `${attempt}: ${wait}`);
    }
  });
});

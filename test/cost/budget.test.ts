import assert from 'node:assert/strict';
import { test } from 'vitest';
import { budgetCheck, limitsUsd, periodOf, type Budget } from '../../src/cost/budget.js';
import type { PriceSnapshot } from '../../src/cost/price-snapshot.js';

const PRICE: PriceSnapshot = {
  machine: 'm',
  rate_per_hour_usd: 3.6,
  billing_increment_s: 60,
  minimum_billed_s: 60,
  price_source: 'test',
  price_as_of: '2026-01-01',
};

const BUDGET: Budget = { amount_usd: 10, period: 'month', set_at: '2026-12-01T00:00:00.000Z' };

test('a month is the calendar month in UTC, the turn of the year included', () => {
  assert.deepEqual(periodOf('month', new Date('2026-12-31T23:59:59.999Z')), {
    start: '2026-12-01T00:00:00.000Z',
    end: '2027-01-01T00:00:00.000Z',
  });
  assert.deepEqual(periodOf('month', new Date('2026-02-01T00:00:00.000Z')), {
    start: '2026-02-01T00:00:00.000Z',
    end: '2026-03-01T00:00:00.000Z',
  });
});

test('a week is the ISO week in UTC: Monday 00:00 to the next Monday, a Sunday belonging to the week before', () => {
  const monday = { start: '2026-11-30T00:00:00.000Z', end: '2026-12-07T00:00:00.000Z' };
  assert.deepEqual(periodOf('week', new Date('2026-11-30T00:00:00.000Z')), monday, 'a Monday');
  assert.deepEqual(periodOf('week', new Date('2026-12-03T12:00:00.000Z')), monday, 'a Thursday');
  assert.deepEqual(periodOf('week', new Date('2026-12-06T23:59:59.000Z')), monday, 'a Sunday');
  assert.deepEqual(periodOf('week', new Date('2027-01-01T08:00:00.000Z')), {
    start: '2026-12-28T00:00:00.000Z',
    end: '2027-01-04T00:00:00.000Z',
  });
});

test('what a job may cost is its limits priced as quote prices them; nothing to stop it is Infinity', () => {
  assert.equal(limitsUsd({ limits: { max_runtime: 3600 } as never }, PRICE), 3.6);
  // 90 s is billed as two 60-second increments.
  assert.equal(limitsUsd({ limits: { max_runtime: 90 } as never }, PRICE), 0.12);
  assert.ok(limitsUsd({ limits: { max_runtime: null, max_cost: 1 } as never }, PRICE) <= 1);
  assert.equal(limitsUsd({ limits: { max_runtime: null } as never }, PRICE), Infinity);
  assert.equal(limitsUsd({ limits: { max_runtime: null } as never }, { ...PRICE, rate_per_hour_usd: 0 }), 0);
});

test("what is left: the budget less the period's spend and what the active jobs may still add", () => {
  const now = new Date('2026-12-06T12:00:00.000Z');
  const check = budgetCheck(BUDGET, now, 2.5, [
    { jobId: 'a', worstUsd: 3, soFarUsd: 1 },
    { jobId: 'b', worstUsd: 1, soFarUsd: 1.5 },
  ]);
  assert.equal(check.spent_usd, 2.5);
  assert.equal(check.active_worst_usd, 2, 'a job past its worst case adds nothing more');
  assert.equal(check.left_usd, 5.5);
  assert.equal(check.period_start, '2026-12-01T00:00:00.000Z');
  assert.deepEqual(check.unbounded_jobs, []);
  const unbounded = budgetCheck(BUDGET, now, 0, [{ jobId: 'c', worstUsd: Infinity, soFarUsd: 0 }]);
  assert.deepEqual(unbounded.unbounded_jobs, ['c']);
  assert.equal(unbounded.left_usd, 10);
});

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { asJobId } from '../../src/backend/job-id.js';
import { DlrunError } from '../../src/base/errors.js';
import { budgetStanding, refuseOverBudget } from '../../src/core/budget-standing.js';
import { newJob, openTempLedger, PRICE, sampleBill } from '../ledger/support/ledger-fixtures.js';

const NOW = new Date('2026-12-06T12:00:00.000Z');

test('the ledger keeps one budget: set, replaced, read back, cleared', async (t) => {
  const { ledger } = await openTempLedger(t);
  assert.equal(await ledger.getBudget(), undefined);
  assert.equal(await ledger.clearBudget(), false);
  await ledger.setBudget({ amount_usd: 50, period: 'month', set_at: '2026-12-01T00:00:00.000Z' });
  await ledger.setBudget({ amount_usd: 20, period: 'week', set_at: '2026-12-02T00:00:00.000Z' });
  assert.deepEqual(await ledger.getBudget(), { amount_usd: 20, period: 'week', set_at: '2026-12-02T00:00:00.000Z' });
  assert.equal(await ledger.clearBudget(), true);
  assert.equal(await ledger.getBudget(), undefined);
});

test('no budget, no standing', async (t) => {
  const { ledger } = await openTempLedger(t);
  assert.equal(await budgetStanding(ledger, NOW), undefined);
});

test(
  "the period's spend counts the bills of jobs submitted in it; active jobs add their limits at their stored " +
    'rate less their cost so far',
  async (t) => {
    const { ledger } = await openTempLedger(t);
    await ledger.setBudget({ amount_usd: 10, period: 'month', set_at: '2026-12-01T00:00:00.000Z' });
    // Billed last month: not this period's spend.
    const old = asJobId('old-20261130-1000-aaaa');
    await ledger.createJob(newJob(old, '2026-11-30T10:00:00.000Z', { price: PRICE }));
    await ledger.recordChange(old, { at: '2026-11-30T10:01:00.000Z', source: 'provider', state: 'failed' });
    await ledger.recordBill(old, sampleBill(old, 7));
    // Billed this month.
    const billed = asJobId('billed-20261202-1000-bbbb');
    await ledger.createJob(newJob(billed, '2026-12-02T10:00:00.000Z', { price: PRICE }));
    await ledger.recordChange(billed, { at: '2026-12-02T10:30:00.000Z', source: 'provider', state: 'succeeded' });
    await ledger.recordBill(billed, sampleBill(billed, 1.25));
    // Running for 10 minutes at $3.60/h ($0.60 so far) under max_runtime 1h ($3.60 in all): $3.00 more at most.
    const running = asJobId('running-20261206-1150-cccc');
    await ledger.createJob(
      newJob(running, '2026-12-06T11:50:00.000Z', { price: PRICE, spec: { limits: { max_runtime: 3600 } } }),
    );
    await ledger.recordChange(running, { at: '2026-12-06T11:50:00.000Z', source: 'provider', state: 'running' });
    const standing = (await budgetStanding(ledger, NOW))!;
    assert.equal(standing.spent_usd, 1.85);
    assert.equal(standing.active_worst_usd, 3);
    assert.equal(standing.left_usd, 5.15);
    assert.deepEqual(standing.unbounded_jobs, []);
    refuseOverBudget(standing, 5.15, 'm');
    assert.throws(
      () => refuseOverBudget(standing, 5.16, 'm'),
      (error: unknown) =>
        error instanceof DlrunError &&
        error.message.includes(
          "may cost up to $5.16 on m, more than is left: the month's budget is $10.00: $1.85 spent since " +
            '2026-12-01, active jobs may still add up to $3.00, $5.15 left',
        ) &&
        /max_runtime or limits\.max_cost/.test(error.hint ?? '') &&
        /dlrun budget set/.test(error.hint ?? ''),
    );
  },
);

test('a job with no limit, or an active job with none, leaves no room certain: refused with the fix', async (t) => {
  const { ledger } = await openTempLedger(t);
  await ledger.setBudget({ amount_usd: 100, period: 'week', set_at: '2026-12-01T00:00:00.000Z' });
  const standing = (await budgetStanding(ledger, NOW))!;
  assert.throws(
    () => refuseOverBudget(standing, Infinity, 'm'),
    (error: unknown) =>
      error instanceof DlrunError && /no limit/.test(error.message) && /max_runtime/.test(error.hint ?? ''),
  );
  const endless = asJobId('endless-20261206-1000-dddd');
  await ledger.createJob(
    newJob(endless, '2026-12-06T10:00:00.000Z', { price: PRICE, spec: { limits: { max_runtime: null } } }),
  );
  const withEndless = (await budgetStanding(ledger, NOW))!;
  assert.deepEqual(withEndless.unbounded_jobs, [endless]);
  refuseOverBudget(withEndless, 0, 'a free machine');
  assert.throws(
    () => refuseOverBudget(withEndless, 0.01, 'm'),
    (error: unknown) =>
      error instanceof DlrunError && error.message.includes(endless) && /dlrun cancel/.test(error.hint ?? ''),
  );
});

import assert from 'node:assert/strict';
import { test } from 'vitest';
import {
  breakEven,
  electricityPerHourUsd,
  fixedMonthlyUsd,
  ledgerUsage,
  type Ownership,
  type Usage,
  type UsageSample,
} from '../../src/cost/break-even.js';
import type { PriceSnapshot } from '../../src/cost/price-snapshot.js';

/** $3600 over 3 years: $100 a month; 500 W at $0.20/kWh: $0.10 an hour. */
const OWNED: Ownership = { purchase_price: 3600, lifetime_years: 3, power_watts: 500, kwh_price: 0.2 };
const usage = (hours: number | null): Usage => ({ hours_per_month: hours, source: 'given' });

test('owning: the purchase spread over the lifetime in months, and the electricity per hour', () => {
  assert.equal(fixedMonthlyUsd(OWNED), 100);
  assert.equal(electricityPerHourUsd(OWNED), 0.1);
  assert.equal(electricityPerHourUsd({ ...OWNED, power_watts: 0, kwh_price: 0 }), 0);
});

test('break-even hours a month and months to pay off, against hand-computed figures', () => {
  // $1.10/h saves $1.00 an hour over the electricity: 100 / 1 = 100 h a month; at 200 h, 3600 / 200 = 18 months.
  assert.deepEqual(breakEven(OWNED, 'cloud-a', 1.1, usage(200)), {
    backend: 'cloud-a',
    rate_per_hour_usd: 1.1,
    hours_per_month: 100,
    months_to_pay_off: 18,
    reason: null,
  });
  // Below the break-even, the pay-off runs past the 36-month lifetime: 3600 / (50 * 1) = 72 months.
  assert.equal(breakEven(OWNED, 'cloud-a', 1.1, usage(50)).months_to_pay_off, 72);
  // $2.10/h saves $2.00: 100 / 2 = 50 h; at 100 h, 3600 / 200 = 18 months.
  const dearer = breakEven(OWNED, 'cloud-b', 2.1, usage(100));
  assert.equal(dearer.hours_per_month, 50);
  assert.equal(dearer.months_to_pay_off, 18);
  // No electricity: $2400 over 2 years is $100 a month; at $0.50/h, 200 h; at 100 h, 2400 / 50 = 48 months.
  const unpowered = { purchase_price: 2400, lifetime_years: 2, power_watts: 0, kwh_price: 0 };
  const plain = breakEven(unpowered, 'cloud-c', 0.5, usage(100));
  assert.equal(plain.hours_per_month, 200);
  assert.equal(plain.months_to_pay_off, 48);
  // Rounded to the hundredth: $1000 over 1 year = $83.333 a month; at $0.30/h, 277.777... h; at 10 h, 333.33 months.
  const rounded = breakEven({ ...unpowered, purchase_price: 1000, lifetime_years: 1 }, 'cloud-d', 0.3, usage(10));
  assert.equal(rounded.hours_per_month, 277.78);
  assert.equal(rounded.months_to_pay_off, 333.33);
});

test('owning never pays against a cloud no dearer per hour than the electricity, and says why', () => {
  for (const rate of [0.1, 0.05]) {
    const never = breakEven(OWNED, 'cheap', rate, usage(100));
    assert.equal(never.hours_per_month, null);
    assert.equal(never.months_to_pay_off, null);
    assert.match(never.reason!, /no more than the electricity \(\$0\.1\/h\): owning never pays/);
  }
});

test('months to pay off are null at no use, or when the usage is unknown, with the reason', () => {
  const none = breakEven(OWNED, 'cloud-a', 1.1, usage(0));
  assert.equal(none.hours_per_month, 100);
  assert.equal(none.months_to_pay_off, null);
  assert.match(none.reason!, /at 0 hours a month .* never pays for itself/);
  const unknown = breakEven(OWNED, 'cloud-a', 1.1, { hours_per_month: null, source: 'no usage known' });
  assert.equal(unknown.hours_per_month, 100);
  assert.equal(unknown.months_to_pay_off, null);
  assert.equal(unknown.reason, 'no usage known');
});

function price(increment: number): PriceSnapshot {
  return {
    machine: 'm',
    rate_per_hour_usd: 1,
    billing_increment_s: increment,
    minimum_billed_s: 0,
    price_source: 'test',
    price_as_of: '2026-01-01',
  };
}

test("the ledger's usage: billed hours of the jobs that ended in the last 90 days, scaled to 30 days", () => {
  const now = new Date('2026-12-01T00:00:00.000Z');
  const day = 86_400_000;
  const job = (endedDaysAgo: number, seconds: number, snapshot: PriceSnapshot | null): UsageSample => {
    const end = now.getTime() - endedDaysAgo * day;
    return {
      price: snapshot,
      startedAt: new Date(end - seconds * 1000).toISOString(),
      endedAt: new Date(end).toISOString(),
    };
  };
  const jobs: UsageSample[] = [
    job(10, 3 * 3600, price(1)), // 3 h billed by the second
    job(30, 1000, price(3600)), // billed by the hour: 1 h
    job(1, 1800, null), // no price kept: its 30 minutes as run
    job(100, 5 * 3600, price(1)), // ended before the window: not counted
    { price: price(1), startedAt: null, endedAt: new Date(now.getTime() - day).toISOString() }, // never started
  ];
  // 3 + 1 + 0.5 = 4.5 billed hours in 90 days: 1.5 hours a month.
  const measured = ledgerUsage(jobs, now);
  assert.equal(measured.hours_per_month, 1.5);
  assert.match(measured.source, /last 90 days: 4\.5 billed hours of 3 ended jobs, scaled to a 30-day month/);
  assert.equal(ledgerUsage([], now).hours_per_month, 0);
});

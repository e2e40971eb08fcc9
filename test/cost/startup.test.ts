import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { StartupDefault } from '../../src/cost/backend-pricing.js';
import type { PriceSnapshot } from '../../src/cost/price-snapshot.js';
import { failedStartUsd, ledgerStartup, startupOf, startupUsd, type StartupSample } from '../../src/cost/startup.js';
import { emptyPhases } from '../../src/ledger/phases.js';
import type { PhaseSeconds } from '../../src/ledger/ledger.js';

const BACKEND = 'somecloud';
const MACHINE = 'big-gpu';
const DEFAULT: StartupDefault = { seconds: 240, source: 'a page', as_of: '2026-01-02', unconfirmed: true };

function price(machine: string, extra: Partial<PriceSnapshot> = {}): PriceSnapshot {
  return {
    machine,
    rate_per_hour_usd: 3.6,
    billing_increment_s: 1,
    minimum_billed_s: 0,
    price_source: 'test',
    price_as_of: '2026-01-01',
    ...extra,
  };
}

function finished(provisioning: number, setup: number, options: Partial<StartupSample> = {}): StartupSample {
  const phases: PhaseSeconds = { ...emptyPhases(), provisioning, setup, run: 600 };
  return {
    backend: BACKEND,
    price: price(MACHINE),
    finalPhases: phases,
    endedAt: '2026-01-01T12:00:00.000Z',
    ...options,
  };
}

test('three finished jobs on the backend and machine give the median of their provisioning plus setup', () => {
  const jobs = [finished(60, 40), finished(200, 100), finished(30, 20)];
  assert.deepEqual(ledgerStartup(jobs, BACKEND, MACHINE), { seconds: 100, jobs: 3 });
  const startup = startupOf({ startup: DEFAULT }, jobs, BACKEND, MACHINE);
  assert.equal(startup.seconds, 100);
  assert.equal(startup.unconfirmed, false);
  assert.match(startup.source, /median provisioning plus setup of this ledger's 3 finished somecloud jobs on big-gpu/);
  const four = [...jobs, finished(100, 20)];
  assert.equal(ledgerStartup(four, BACKEND, MACHINE)?.seconds, 110, 'an even count: the mean of the middle two');
});

test('two finished jobs fall back to the dated default, with its source', () => {
  const jobs = [finished(60, 40), finished(200, 100)];
  assert.equal(ledgerStartup(jobs, BACKEND, MACHINE), undefined);
  const startup = startupOf({ startup: DEFAULT }, jobs, BACKEND, MACHINE);
  assert.equal(startup.seconds, 240);
  assert.equal(startup.unconfirmed, true);
  assert.match(
    startup.source,
    /^default \(fewer than 3 finished jobs on big-gpu in this ledger\): a page, as of 2026-01-02/,
  );
  assert.deepEqual(startupOf({}, jobs, BACKEND, MACHINE), {
    seconds: 0,
    source: 'nothing is billed to start',
    unconfirmed: false,
  });
});

test("another machine's, another backend's, unfinished and failed-in-setup jobs do not count", () => {
  const jobs = [
    finished(60, 40),
    finished(200, 100),
    finished(5, 5, { price: price('small-gpu') }),
    finished(5, 5, { backend: 'othercloud' }),
    finished(5, 5, { price: null }),
    finished(5, 5, { endedAt: null }),
    finished(5, 5, { finalPhases: { ...emptyPhases(), provisioning: 5, setup: 5 } }),
  ];
  assert.equal(ledgerStartup(jobs, BACKEND, MACHINE), undefined);
  assert.equal(startupOf({ startup: DEFAULT }, jobs, BACKEND, MACHINE).seconds, 240);
  assert.deepEqual(ledgerStartup([...jobs, finished(10, 10)], BACKEND, MACHINE), { seconds: 100, jobs: 3 });
});

test("start-up is billed at the rate under the increment and minimum; a failed start uses the backend's rule", () => {
  assert.equal(startupUsd(100, price(MACHINE)), 0.1);
  assert.equal(startupUsd(100, price(MACHINE, { minimum_billed_s: 300 })), 0.3);
  assert.equal(startupUsd(100, price(MACHINE, { billing_increment_s: 60 })), 0.12);
  assert.equal(startupUsd(0, price(MACHINE, { minimum_billed_s: 60 })), 0, 'no start-up, nothing billed');
  assert.equal(failedStartUsd({}, price(MACHINE, { minimum_billed_s: 300 }), 100), 0.3);
  assert.equal(failedStartUsd({ failedStartUsd: (_price, seconds) => seconds }, price(MACHINE), 100), 100);
});

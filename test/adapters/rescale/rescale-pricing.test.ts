import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'vitest';
import { failedStartUsd, rescalePriceBasisOf } from '../../../adapters/rescale/rescale-price-basis.js';
import {
  coreTypePricesFrom,
  readRescalePriceCache,
  rescalePriceCachePath,
  writeRescalePriceCache,
} from '../../../adapters/rescale/rescale-price-cache.js';
import { rescalePricing } from '../../../adapters/rescale/rescale-pricing.js';
import { rescalePrice } from '../../../adapters/rescale/rescale-quote.js';
import { DlrunError } from '../../../src/base/errors.js';
import { quote } from '../../../src/cost/quote.js';
import { jobOf, MINIMAL } from '../../support/job-text.js';
import { tempDir } from '../../support/temp-dir.js';

const NOW = new Date('2026-12-08T12:00:00Z');
const US = 'https://platform.rescale.com';

/** The answer of /api/v2/coretypes/ as the API gives it: prices as a number and a string, sizes per node. */
const CORETYPES = [
  {
    code: 'emerald',
    name: 'Emerald',
    price: 0.09,
    lowPriorityPrice: '0.045',
    cores: [4, 2, 8],
    memory: 4000,
    isDeprecated: false,
    processorInfo: 'Xeon\u001b[31m red',
  },
  {
    code: 'retired',
    name: 'Retired',
    price: 0.01,
    lowPriorityPrice: null,
    cores: [2],
    memory: 2000,
    isDeprecated: true,
  },
  { code: '<script>', price: 0.01 },
  { code: 'noprice', name: 'No price' },
  { code: 'negative', price: -1 },
];

const priced = (yaml: string, home: string, env: Record<string, string> = {}) =>
  rescalePrice(jobOf(`${MINIMAL}${yaml}`), NOW, { DLRUN_HOME: home, ...env });

describe('rescalePrice', () => {
  test('price x cores per slot x slots, on demand, unconfirmed, every part in the working', (t) => {
    const home = tempDir(t);
    const price = priced(
      'resources:\n  nodes: 2\nbackends:\n  rescale:\n    core_type: standard-plus\n    cores: 4\n',
      home,
    );
    assert.equal(price.machine, '2 x (standard-plus (Marble) x 4 cores)');
    assert.equal(price.rate_per_hour_usd, 0.8);
    assert.equal(price.billing_increment_s, 1);
    assert.equal(price.minimum_billed_s, 0);
    assert.equal(price.price_as_of, '2026-12-06');
    assert.equal(price.unconfirmed, true);
    assert.match(
      price.price_source,
      new RegExp(
        '^https://platform\\.rescale\\.com Rescale core type standard-plus \\(Marble\\), on demand: ' +
          '\\$0\\.1/core-hour \\(from https://github\\.com/MatthiasHertel/api-docs/.*' +
          'unconfirmed: a sample answer.*\\) x 4 cores x 2 slots = \\$0\\.8/h',
      ),
    );
    assert.match(price.price_source, /billed per second of the cluster's time, from the job's Started status/);
    assert.match(price.price_source, /no minimum: unconfirmed, no source states Rescale's billing increment/);
    assert.match(price.price_source, /one failed start: \$0\.05 to \$0\.11 \(4 to 8 minutes of start-up, both ends/);
    assert.match(price.price_source, /provider's figure: none; Rescale's API has no per-job charge/);
    assert.equal(quote('rescale', price, 3600).total_usd, 0.8);
  });

  test('failedStartUsd: the start-up billed at the job rate, both ends; undefined for another backend', (t) => {
    const price = priced('backends:\n  rescale:\n    core_type: adamite\n', tempDir(t));
    assert.equal(price.rate_per_hour_usd, 4.2024);
    assert.deepEqual(failedStartUsd(price), {
      low_usd: 0.2802,
      high_usd: 0.5603,
      startup_min_s: 240,
      startup_max_s: 480,
    });
    assert.equal(failedStartUsd({ ...price, basis: { machine_type: 'n1-standard-4' } }), undefined);
  });

  test('a spot job pays the low-priority price', (t) => {
    const price = priced('resources:\n  spot: true\nbackends:\n  rescale:\n    core_type: adamite\n', tempDir(t));
    assert.equal(price.rate_per_hour_usd, 2.3712);
    assert.equal(rescalePriceBasisOf(price)?.low_priority, true);
    assert.match(price.price_source, /low priority \(On-Demand Economy\): \$0\.0988\/core-hour/);
  });

  test('a core type no source prices: no quote, and the message says why and what is priced', (t) => {
    assert.throws(
      () => priced('backends:\n  rescale:\n    core_type: emerald\n    cores: 16\n', tempDir(t)),
      (error: unknown) => {
        assert.ok(error instanceof DlrunError);
        assert.equal(error.audience, 'user');
        assert.match(error.message, /^dlrun has no price for Rescale core type emerald: no source dlrun could read/);
        assert.match(error.hint ?? '', /dlrun's Rescale prices: standard-plus, adamite; the live prices/);
        return true;
      },
    );
  });

  test('live prices cached for the platform after the table was read replace it; older ones do not', (t) => {
    const home = tempDir(t);
    const rows = coreTypePricesFrom(CORETYPES, new Date('2026-12-07T09:00:00Z'), US);
    writeRescalePriceCache(home, US, rows, new Date('2026-12-07T09:00:00Z'));
    const price = priced('resources:\n  cpus: 3\n', home);
    assert.equal(price.machine, 'emerald x 4 cores');
    assert.equal(price.rate_per_hour_usd, 0.36);
    assert.equal(price.price_as_of, '2026-12-07');
    assert.match(price.price_source, /fetched 2026-12-07T09:00:00\.000Z/);
    assert.equal(rescalePriceBasisOf(price)?.price_origin, 'api');
    assert.throws(() => priced('backends:\n  rescale:\n    core_type: standard-plus\n', home), /fetched from/);

    const eu = priced('resources:\n  cpus: 3\n', home, { RESCALE_PLATFORM_URL: 'https://eu.rescale.com' });
    assert.equal(eu.machine, 'standard-plus (Marble) x 4 cores', 'another platform has its own list');

    const old = tempDir(t);
    writeRescalePriceCache(old, US, rows, new Date('2026-01-01T00:00:00Z'));
    assert.equal(priced('resources:\n  cpus: 3\n', old).machine, 'standard-plus (Marble) x 4 cores');
  });
});

describe('coreTypePricesFrom and the cache', () => {
  test('turns the API answer into rows: strings read as numbers, junk left out, text made safe', () => {
    const rows = coreTypePricesFrom(CORETYPES, new Date('2026-12-07T09:00:00Z'), US);
    assert.deepEqual(
      rows.map((row) => row.code),
      ['emerald', 'retired'],
    );
    assert.deepEqual(rows[0], {
      code: 'emerald',
      name: 'Emerald',
      usd_per_core_hour: 0.09,
      low_priority_usd_per_core_hour: 0.045,
      cores_per_node: [2, 4, 8],
      memory_mb_per_core: 4000,
      processor: 'Xeon[31m red',
      source: ['https://platform.rescale.com/api/v2/coretypes/'],
      as_of: '2026-12-07',
    });
    assert.equal(rows[1]?.deprecated, true);
    assert.equal(rows[1]?.low_priority_usd_per_core_hour, null);
  });

  test('the cache file is per platform host, and a damaged one is ignored', (t) => {
    const home = tempDir(t);
    assert.equal(
      rescalePriceCachePath(home, US),
      path.join(home, 'cache', 'rescale-coretypes-platform.rescale.com.json'),
    );
    assert.equal(readRescalePriceCache(home, US), undefined, 'none yet');
    const file = writeRescalePriceCache(home, US, coreTypePricesFrom(CORETYPES, NOW, US), NOW);
    const read = readRescalePriceCache(home, US);
    assert.equal(read?.fetched_at, NOW.toISOString());
    assert.deepEqual(
      read?.rows.map((row) => row.code),
      ['emerald', 'retired'],
    );
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).platform, US);

    const body = JSON.parse(readFileSync(file, 'utf8'));
    body.rows.push({ code: 'bad code!', usd_per_core_hour: 1 }, 'not a row');
    writeFileSync(file, JSON.stringify(body));
    assert.equal(readRescalePriceCache(home, US)?.rows.length, 2, 'bad rows dropped');
    writeFileSync(file, '{"format": "dlrun-rescale-coretypes/1", "platform"');
    assert.equal(readRescalePriceCache(home, US), undefined, 'a truncated file is not read');
    mkdirSync(path.join(home, 'cache'), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...body, platform: 'https://eu.rescale.com' }));
    assert.equal(readRescalePriceCache(home, US), undefined, "another platform's list is not this one's");
  });
});

describe('rescalePricing.charges', () => {
  const job = {
    state: 'succeeded' as const,
    startedAt: '2026-12-08T10:00:00.000Z',
    endedAt: '2026-12-08T10:30:00.000Z',
    externalId: 'abcDe',
    providerDetails: null,
  };

  test('core-hours from Started to the terminal status at the stored price, a line per slot', (t) => {
    const price = priced(
      'resources:\n  nodes: 2\nbackends:\n  rescale:\n    core_type: standard-plus\n    cores: 8\n',
      tempDir(t),
    );
    const charges = rescalePricing.charges!(job, price, NOW, undefined)!;
    assert.equal(charges.billed_s, 1800);
    assert.deepEqual(charges.line_items, [
      {
        item: 'slot 1 of 2: standard-plus x 8 cores (on demand)',
        quantity: 4,
        unit: 'core-hour',
        unit_price_usd: 0.1,
        total_usd: 0.4,
      },
      {
        item: 'slot 2 of 2: standard-plus x 8 cores (on demand)',
        quantity: 4,
        unit: 'core-hour',
        unit_price_usd: 0.1,
        total_usd: 0.4,
      },
    ]);
    assert.equal(charges.total_usd, 0.8);
    assert.match(charges.note ?? '', /each of 2 slots billed 1800 s x 8 cores \(Started to the terminal status\)/);
    assert.match(charges.note ?? '', /unconfirmed billing increment and minimum/);
    assert.match(charges.note ?? '', /times: as dlrun recorded/);
    assert.match(charges.note ?? '', /an estimate: Rescale's API has no per-job charge, only monthly workspace totals/);
  });

  test("Rescale's own status times win over the ledger's; untrusted facts are checked", (t) => {
    const price = priced('backends:\n  rescale:\n    core_type: standard-plus\n    cores: 1\n', tempDir(t));
    const facts = { startedAt: '2026-12-08T09:54:00+00:00', endedAt: '2026-12-08T10:30:00Z' };
    const charges = rescalePricing.charges!(job, price, NOW, facts)!;
    assert.equal(charges.billed_s, 2160, 'start-up before the ledger saw the job is billed');
    assert.match(charges.note ?? '', /times: the statusDate of Rescale's own Started and terminal statuses/);
    const mixed = rescalePricing.charges!(job, price, NOW, {
      startedAt: 'yesterday',
      endedAt: '2026-12-08T10:30:00Z',
    })!;
    assert.match(mixed.note ?? '', /Rescale's own status dates where it reported them/);
    const backwards = rescalePricing.charges!(job, price, NOW, {
      startedAt: '2026-12-08T10:00:00Z',
      endedAt: '2026-12-08T09:00:00Z',
    })!;
    assert.equal(backwards.billed_s, 1800, 'an end before the start is not believed');
    assert.equal(rescalePricing.charges!(job, price, NOW, ['not', 'facts'])!.billed_s, 1800);
  });

  test('a job still going is billed up to now; a snapshot without a Rescale basis is left to the flat rate', (t) => {
    const price = priced('backends:\n  rescale:\n    core_type: standard-plus\n    cores: 2\n', tempDir(t));
    const running = rescalePricing.charges!({ ...job, state: 'running', endedAt: null }, price, NOW, undefined)!;
    assert.equal(running.billed_s, 7200);
    assert.match(running.note ?? '', /Started to now, the job still going/);
    assert.equal(rescalePricing.charges!(job, { ...price, basis: null }, NOW, undefined), undefined);
  });
});

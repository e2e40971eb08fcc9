import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { isUnconfirmed } from '../../../src/cost/catalogs/catalog-row.js';
import {
  findRescaleCoreTypePrice,
  RESCALE_BILLING,
  RESCALE_CORE_TYPE_PRICES,
  RESCALE_PRICES_READ_ON,
} from '../../../src/cost/catalogs/rescale-prices.js';

describe('the Rescale price table', () => {
  test('every row is sourced, dated, positive, and its low-priority price is below its on-demand one', () => {
    const codes = new Set<string>();
    for (const row of RESCALE_CORE_TYPE_PRICES) {
      assert.ok(!codes.has(row.code), `${row.code} twice`);
      codes.add(row.code);
      assert.ok(row.source.length > 0, row.code);
      for (const url of row.source) assert.match(url, /^https:\/\//, row.code);
      assert.match(row.as_of, /^\d{4}-\d{2}-\d{2}$/, row.code);
      assert.ok(row.as_of <= RESCALE_PRICES_READ_ON, row.code);
      assert.ok(row.usd_per_core_hour > 0, row.code);
      const low = row.low_priority_usd_per_core_hour;
      assert.ok(low === null || (low > 0 && low <= row.usd_per_core_hour), row.code);
      assert.ok(row.note && row.note.length > 40, `${row.code} says where its figures came from`);
    }
  });

  test('no row is presented as fact: each comes from a sample answer of the API, not a price list', () => {
    for (const row of RESCALE_CORE_TYPE_PRICES) assert.ok(isUnconfirmed(row, 'usd_per_core_hour'), row.code);
  });

  test('the figures the sources state', () => {
    const marble = findRescaleCoreTypePrice('standard-plus');
    assert.equal(marble?.usd_per_core_hour, 0.1);
    assert.equal(marble?.low_priority_usd_per_core_hour, 0.05);
    assert.deepEqual(marble?.cores_per_node, [1, 2, 4, 8]);
    const adamite = findRescaleCoreTypePrice('adamite');
    assert.equal(adamite?.usd_per_core_hour, 0.1751);
    assert.equal(adamite?.low_priority_usd_per_core_hour, 0.0988);
    assert.deepEqual(adamite?.cores_per_node, [24]);
    assert.match(adamite!.source[0]!, /rescale-labs\/Rescale_Interlink\/blob\/[0-9a-f]{40}\//, 'pinned to a commit');
  });

  test('what no source prices has no row: no price is invented', () => {
    for (const code of ['emerald', 'ferrite', 'gpu-kepler', 'gpu-tesla', 'hpc', 'nickel']) {
      assert.equal(findRescaleCoreTypePrice(code), undefined, code);
    }
  });

  test('the billing increment and minimum are data, marked unconfirmed (providers.md 5.5)', () => {
    assert.equal(RESCALE_BILLING.billing_increment_s, 1);
    assert.equal(RESCALE_BILLING.minimum_billed_s, 0);
    assert.ok(isUnconfirmed(RESCALE_BILLING, 'billing_increment_s'));
    assert.ok(isUnconfirmed(RESCALE_BILLING, 'minimum_billed_s'));
    assert.match(RESCALE_BILLING.billed_span, /Started/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  VERTEX_ACCELERATORS,
  VERTEX_MACHINE_TYPES,
  VERTEX_PRICE_ABSENCES,
  VERTEX_PRICES_READ_ON,
  VERTEX_PRICE_SOURCES,
  VERTEX_TRAINING_BILLING,
  VERTEX_TRAINING_PRICES,
  findVertexAccelerator,
  findVertexAcceleratorPrice,
  findVertexMachinePrice,
  findVertexMachineType,
  isUnconfirmed,
  vertexPriceAbsence,
  vertexPricedRegions,
  type Sourced,
} from '../../../src/cost/catalogs/index.js';

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

const ROWS: [string, Sourced<string>][] = [
  ...VERTEX_TRAINING_PRICES.map((row): [string, Sourced<string>] => [`${row.region} ${row.item}`, row]),
  ...VERTEX_PRICE_ABSENCES.map((row): [string, Sourced<string>] => [`absent: ${row.items[0]}...`, row]),
  ['billing', VERTEX_TRAINING_BILLING],
];

describe('Vertex AI custom-training prices', () => {
  test('every row, absence and the billing rule has http(s) sources and a real date no later than the read', () => {
    for (const [key, row] of ROWS) {
      assert.ok(row.source.length > 0, `${key} has no source`);
      for (const url of row.source) assert.match(url, /^https:\/\/[^\s/]+\.[^\s]+$/, `${key}: '${url}'`);
      assert.equal(new Set(row.source).size, row.source.length, `${key} lists a source twice`);
      assert.ok(isCalendarDate(row.as_of), `${key}: as_of '${row.as_of}'`);
      assert.ok(row.as_of <= VERTEX_PRICES_READ_ON, `${key}: as_of ${row.as_of} is after the prices were read`);
      if (row.unconfirmed === true || (row.unconfirmed_fields ?? []).length > 0)
        assert.ok(row.note, `${key} is unconfirmed without a note`);
    }
  });

  test("every price cites Google's pricing page first, and a figure read from a copy is marked secondary", () => {
    for (const row of VERTEX_TRAINING_PRICES) {
      const key = `${row.region} ${row.item}`;
      assert.equal(row.source[0], VERTEX_PRICE_SOURCES.pricingPage, key);
      const fromCopy = row.source.includes(VERTEX_PRICE_SOURCES.apiEvangelistCopy);
      assert.equal(row.secondary === true, fromCopy, `${key}: secondary exactly when read from a copy`);
      if (row.secondary) assert.match(row.note ?? '', /copy/, `${key} says it was read from a copy`);
      if (fromCopy) assert.equal(row.source.at(-1), VERTEX_PRICE_SOURCES.apiEvangelistCopy, `${key}: copy cited last`);
    }
  });

  test('one row per region and item, each naming a catalog machine type or accelerator, each price positive', () => {
    const keys = VERTEX_TRAINING_PRICES.map((row) => `${row.region} ${row.kind} ${row.item}`);
    assert.deepEqual(
      keys.filter((key, index) => keys.indexOf(key) !== index),
      [],
    );
    for (const row of VERTEX_TRAINING_PRICES) {
      const known = row.kind === 'machine' ? findVertexMachineType(row.item) : findVertexAccelerator(row.item);
      assert.ok(known, `${row.item} is not in the Vertex ${row.kind} catalog`);
      assert.match(row.region, /^[a-z]+-[a-z]+[0-9]+$/, row.region);
      assert.ok(row.usd_per_hour > 0 && row.usd_per_hour < 100, `${row.item}: $${row.usd_per_hour}/h`);
    }
  });

  test('every machine type and accelerator of the catalog is priced somewhere or listed absent with a reason', () => {
    const names = [...VERTEX_MACHINE_TYPES.map((type) => type.name), ...VERTEX_ACCELERATORS.map((type) => type.name)];
    const priced = new Set(VERTEX_TRAINING_PRICES.map((row) => row.item));
    const absent = VERTEX_PRICE_ABSENCES.flatMap((absence) => absence.items);
    assert.deepEqual(
      absent.filter((name, index) => absent.indexOf(name) !== index),
      [],
      'an item is absent once',
    );
    for (const name of absent) assert.ok(names.includes(name), `absent ${name} is not in the Vertex catalog`);
    for (const name of names) {
      const reasons = [priced.has(name), absent.includes(name)].filter(Boolean).length;
      assert.equal(reasons, 1, `${name}: priced or absent, exactly one of them`);
    }
    for (const absence of VERTEX_PRICE_ABSENCES) assert.ok(absence.reason.length > 40, absence.items[0]);
    assert.match(vertexPriceAbsence('NVIDIA_TESLA_T4')!.reason, /could not be read/);
    assert.match(vertexPriceAbsence('NVIDIA_TESLA_K80')!.reason, /ended support/);
    assert.equal(vertexPriceAbsence('n1-standard-4'), undefined);
  });

  test('the figures read: n1-standard-4 and the H100 in us-central1, secondary, the H100 region unconfirmed', () => {
    const machine = findVertexMachinePrice('us-central1', 'n1-standard-4');
    assert.equal(machine?.usd_per_hour, 0.21849885);
    assert.equal(machine?.secondary, true);
    assert.equal(machine?.as_of, '2026-10-07');
    assert.equal(isUnconfirmed(machine!, 'region'), false, 'two copies place it in Iowa (us-central1)');
    const h100 = findVertexAcceleratorPrice('us-central1', 'NVIDIA_H100_80GB');
    assert.equal(h100?.usd_per_hour, 9.79655057);
    assert.equal(isUnconfirmed(h100!, 'region'), true);
    assert.equal(findVertexMachinePrice('us-central1', 'NVIDIA_H100_80GB'), undefined, 'kinds do not mix');
    assert.equal(findVertexMachinePrice('europe-west4', 'n1-standard-4'), undefined, 'no region borrows another');
    assert.equal(findVertexAcceleratorPrice('us-central1', 'NVIDIA_TESLA_T4'), undefined);
    assert.deepEqual(vertexPricedRegions(), ['us-central1']);
  });

  test('the billing increment and minimum are data with their source, marked unconfirmed: per second', () => {
    assert.equal(VERTEX_TRAINING_BILLING.billing_increment_s, 1);
    assert.equal(VERTEX_TRAINING_BILLING.minimum_billed_s, 0);
    assert.equal(VERTEX_TRAINING_BILLING.unconfirmed, true);
    assert.equal(isUnconfirmed(VERTEX_TRAINING_BILLING, 'billing_increment_s'), true);
    assert.match(VERTEX_TRAINING_BILLING.billed_span, /startTime.*endTime/);
    assert.match(VERTEX_TRAINING_BILLING.note!, /AutoML/);
  });
});

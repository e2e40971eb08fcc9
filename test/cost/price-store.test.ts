import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { priceSnapshotFolder, readPriceSnapshot, writePriceSnapshot } from '../../src/cost/price-store.js';
import { tempDir } from '../support/temp-dir.js';

const keepPositive = (rows: readonly unknown[]) =>
  rows.filter((row) => typeof (row as { usd?: unknown }).usd === 'number' && (row as { usd: number }).usd > 0) as {
    usd: number;
  }[];

const fetched = (usd: number) => ({
  source: 'a price API',
  endpoint: 'https://prices.example',
  rows: [{ usd }, { usd: -1 }],
  notes: ['a note'],
});

test('a snapshot is written to a dated file (no temporary left), and the newest valid one is read back', (t) => {
  const home = tempDir(t);
  const older = writePriceSnapshot(home, 'ec2', fetched(1), new Date('2026-12-01T10:00:00.000Z'));
  const newer = writePriceSnapshot(home, 'ec2', fetched(2), new Date('2026-12-02T10:00:00.000Z'));
  assert.equal(path.basename(newer), '2026-12-02T10-00-00-000Z.json');
  assert.deepEqual(readdirSync(priceSnapshotFolder(home, 'ec2')).sort(), [path.basename(older), path.basename(newer)]);
  assert.equal(statSync(newer).mode & 0o777, 0o600);
  const read = readPriceSnapshot(home, 'ec2', keepPositive, new Date('2026-12-03T00:00:00Z'));
  assert.deepEqual(read.problems, []);
  assert.equal(read.snapshot?.file, newer);
  assert.equal(read.snapshot?.fetched_at, '2026-12-02T10:00:00.000Z');
  assert.deepEqual(read.snapshot?.rows, [{ usd: 2 }], 'rows the backend cannot use are dropped');
  assert.equal((JSON.parse(readFileSync(newer, 'utf8')) as { notes: string[] }).notes[0], 'a note');
});

test('no snapshot: nothing, and no problem', (t) => {
  assert.deepEqual(readPriceSnapshot(tempDir(t), 'vertex', keepPositive), { snapshot: undefined, problems: [] });
});

test('untrusted files are skipped, each with a reason, and an older valid one is used', (t) => {
  const home = tempDir(t);
  const good = writePriceSnapshot(home, 'ec2', fetched(1), new Date('2026-12-01T00:00:00.000Z'));
  const folder = priceSnapshotFolder(home, 'ec2');
  const bad: Record<string, string> = {
    '2026-12-02T00-00-00-000Z.json': '{"truncated',
    '2026-12-03T00-00-00-000Z.json': JSON.stringify({ format: 'dlrun-price-snapshot/1', backend: 'vertex' }),
    '2026-12-04T00-00-00-000Z.json': JSON.stringify({
      format: 'dlrun-price-snapshot/1',
      backend: 'ec2',
      fetched_at: '2099-01-01T00:00:00.000Z',
      source: 's',
      endpoint: 'e',
      rows: [{ usd: 1 }],
    }),
    '2026-12-05T00-00-00-000Z.json': JSON.stringify({
      format: 'dlrun-price-snapshot/1',
      backend: 'ec2',
      fetched_at: '2026-12-05T00:00:00.000Z',
      source: 's',
      endpoint: 'e',
      rows: [{ usd: 'free' }],
    }),
    'notes.txt': 'not a snapshot name: never read',
  };
  for (const [name, text] of Object.entries(bad)) writeFileSync(path.join(folder, name), text);
  const read = readPriceSnapshot(home, 'ec2', keepPositive, new Date('2026-12-06T00:00:00Z'));
  assert.equal(read.snapshot?.file, good);
  assert.equal(read.problems.length, 4);
  assert.match(read.problems[0]!, /2026-12-05.*ignored: none of its 1 rows is a usable ec2 price/);
  assert.match(read.problems[1]!, /2026-12-04.*ignored: its fetched_at .* is in the future/);
  assert.match(read.problems[2]!, /2026-12-03.*ignored: it is not a snapshot of ec2/);
  assert.match(read.problems[3]!, /2026-12-02.*ignored: it is not valid JSON/);
});

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { ec2PriceBook, ec2SnapshotRows } from '../../../adapters/ec2/ec2-price-book.js';
import { ec2Price } from '../../../adapters/ec2/ec2-quote.js';

const source = ['https://api.pricing.us-east-1.amazonaws.com'];
const snapshot = (rows: readonly unknown[]) => ({
  file: '/home/prices/ec2/x.json',
  fetched_at: '2026-12-06T00:00:00.000Z',
  source: 'AWS Price List Query API',
  endpoint: source[0]!,
  rows: ec2SnapshotRows(rows),
});

test('snapshot rows win where they price the type; other types keep the catalog price, and the working says so', () => {
  const refreshed = snapshot([
    {
      kind: 'instance',
      region: 'us-east-1',
      instance_type: 'g4dn.xlarge',
      usd_per_hour: 0.8,
      source,
      as_of: '2026-12-06',
    },
    {
      kind: 'instance',
      region: 'sa-east-1',
      instance_type: 'g4dn.xlarge',
      usd_per_hour: 0.9,
      source,
      as_of: '2026-12-06',
    },
    { kind: 'instance', region: 'us-east-1', instance_type: 'zz.huge', usd_per_hour: 0.1, source, as_of: '2026-12-06' },
    {
      kind: 'instance',
      region: 'us-east-1',
      instance_type: 'g5.xlarge',
      usd_per_hour: 'NaN',
      source,
      as_of: '2026-12-06',
    },
    { kind: 'volume', region: 'us-east-1', volume_type: 'io2', usd_per_gb_month: 0.1, source, as_of: '2026-12-06' },
  ]);
  assert.equal(
    refreshed.rows.length,
    2,
    'unknown types, bad figures and volume types dlrun does not price are dropped',
  );
  const book = ec2PriceBook(refreshed);
  assert.equal(book.onDemand('us-east-1', 'g4dn.xlarge')?.usd_per_hour, 0.8);
  assert.ok(book.pricedRegions().includes('sa-east-1'), 'a region the snapshot prices can be quoted');
  const job = (type: string) => ({
    backends: { ec2: { instance_type: type } },
    resources: { nodes: 1, spot: false },
  });
  const fromSnapshot = ec2Price(job('g4dn.xlarge') as never, new Date(), 'us-east-1', refreshed);
  assert.equal(fromSnapshot.rate_per_hour_usd, 0.8);
  assert.match(fromSnapshot.price_source, /\(price snapshot of 2026-12-06T00:00:00\.000Z\)/);
  const fromCatalog = ec2Price(job('g5.xlarge') as never, new Date(), 'us-east-1', refreshed);
  assert.match(fromCatalog.price_source, /the repository's catalog: the price snapshot has no price for it/);
  assert.equal((fromSnapshot.basis as { on_demand_usd_per_hour: number }).on_demand_usd_per_hour, 0.8);
});

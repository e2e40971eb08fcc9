import assert from 'node:assert/strict';
import { test } from 'vitest';
import { vertexPriceBook, vertexSnapshotRows } from '../../../adapters/vertex/vertex-price-book.js';
import { mapSkus } from '../../../adapters/vertex/vertex-price-refresh.js';

const sku = (description: string, usd: number, usageUnit = 'h', regions = ['us-central1', 'europe-west4']) => ({
  description,
  category: { usageType: 'OnDemand' },
  serviceRegions: regions,
  pricingInfo: [
    {
      pricingExpression: {
        usageUnit,
        tieredRates: [
          {
            startUsageAmount: 0,
            unitPrice: { currencyCode: 'USD', units: String(Math.floor(usd)), nanos: Math.round((usd % 1) * 1e9) },
          },
        ],
      },
    },
  ],
});

const ENDPOINT = 'https://cloudbilling.googleapis.com/v1/services/C7E2-9256-1C43/skus';

test('core and RAM SKUs of a family price every machine type of it; GPUs map by name; the rest is ignored', () => {
  const mapped = mapSkus(
    [
      sku('Vertex AI: Training/Pipelines on N1 Predefined Instance Core running in Americas', 0.04),
      sku('Vertex AI: Training/Pipelines on N1 Predefined Instance Ram running in Americas', 0.005, 'GiBy.h'),
      sku('Vertex AI: Training/Pipelines Management fee on N1 Instance Core in Americas', 0.001),
      sku('Vertex AI: Training/Pipelines Management fee on N1 Instance RAM in Americas', 0.0001, 'GiBy.h'),
      sku('Vertex AI: Training/Pipelines on NVIDIA H100 80GB in Iowa', 11.2660332, 'h', ['us-central1']),
      sku('Vertex AI: Training/Pipelines on Nvidia Tesla T4 GPU running in Americas', 0.4025),
      sku('Vertex AI: Training/Pipelines on Spot Preemptible N1 Instance Core running in Americas', 0.01),
      // A RAM SKU in hours, not GiB-hours, is not what dlrun multiplies by GiB: ignored.
      sku('Vertex AI: Training/Pipelines on E2 Instance Core running in Americas', 0.03),
      sku('Vertex AI: Training/Pipelines on E2 Instance Ram running in Americas', 0.004, 'h'),
      sku('Vertex AI: Online/Batch Prediction N1 Predefined Instance Core running in Americas', 0.05),
      sku('Vertex AI: Training/Pipelines on Some Future Chip running in Americas', 3),
    ],
    ENDPOINT,
  );
  const price = (region: string, kind: string, item: string) =>
    (mapped.rows as { region: string; kind: string; item: string; usd_per_hour: number }[]).find(
      (row) => row.region === region && row.kind === kind && row.item === item,
    )?.usd_per_hour;
  // 4 x (0.04 + 0.001) + 15 x (0.005 + 0.0001)
  assert.equal(price('us-central1', 'machine', 'n1-standard-4'), 0.2405);
  assert.equal(price('europe-west4', 'machine', 'n1-standard-4'), 0.2405);
  assert.equal(price('us-central1', 'accelerator', 'NVIDIA_TESLA_T4'), 0.4025);
  assert.equal(price('us-central1', 'accelerator', 'NVIDIA_H100_80GB'), 11.2660332);
  assert.equal(price('europe-west4', 'accelerator', 'NVIDIA_H100_80GB'), undefined);
  assert.equal(price('us-central1', 'machine', 'e2-standard-4'), undefined);
  const kept = vertexSnapshotRows(mapped.rows);
  assert.equal(kept.length, mapped.rows.length, 'every mapped row passes the snapshot check');
  const book = vertexPriceBook({
    file: 'f',
    fetched_at: '2026-12-06T00:00:00.000Z',
    source: mapped.source,
    endpoint: ENDPOINT,
    rows: kept,
  });
  assert.equal(book.machine('us-central1', 'n1-standard-4')?.usd_per_hour, 0.2405);
  assert.ok(book.pricedRegions().includes('europe-west4'));
});

test('snapshot rows that are not Vertex prices are dropped', () => {
  const source = ['https://example.test/'];
  const rows = [
    { region: 'us-central1', kind: 'machine', item: 'n1-standard-4', usd_per_hour: 1, source, as_of: '2026-12-01' },
    { region: 'us-central1', kind: 'machine', item: 'n9-imaginary-4', usd_per_hour: 1, source, as_of: '2026-12-01' },
    { region: 'us-central1', kind: 'machine', item: 'n1-standard-4', usd_per_hour: 0, source, as_of: '2026-12-01' },
    { region: 'Iowa; rm -rf /', kind: 'machine', item: 'n1-standard-4', usd_per_hour: 1, source, as_of: '2026-12-01' },
    {
      region: 'us-central1',
      kind: 'machine',
      item: 'n1-standard-4',
      usd_per_hour: 1,
      source: ['ftp://x'],
      as_of: '2026',
    },
    'a string',
  ];
  assert.equal(vertexSnapshotRows(rows).length, 1);
});

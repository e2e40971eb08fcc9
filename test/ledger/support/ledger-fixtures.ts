import type { JobId } from '../../../src/backend/job-id.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'vitest';
import type { Bill } from '../../../src/cost/bill.js';
import type { PriceSnapshot } from '../../../src/cost/price-snapshot.js';
import type { NewJob } from '../../../src/ledger/ledger.js';
import { SqliteLedger } from '../../../src/ledger/sqlite-ledger.js';

export const PRICE: PriceSnapshot = {
  machine: 'g5.xlarge',
  rate_per_hour_usd: 3.6,
  billing_increment_s: 1,
  minimum_billed_s: 60,
  price_source: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  price_as_of: '2026-01-01',
};

export function newJob(jobId: JobId, submittedAt = '2026-01-01T10:00:00.000Z', extra: Partial<NewJob> = {}): NewJob {
  return {
    jobId,
    name: jobId.split('-')[0] ?? jobId,
    backend: 'ec2',
    jobFile: 'job.yaml',
    spec: { name: jobId },
    submittedAt,
    ...extra,
  };
}

export function sampleBill(jobId: JobId, totalUsd: number): Bill {
  return {
    job_id: jobId,
    backend: 'ec2',
    state: 'succeeded',
    phases: { queued: 10, provisioning: 20, setup: 30, run: 600, teardown: 5 },
    billed_s: 665,
    rate_per_hour_usd: 3.6,
    total_usd: totalUsd,
    quoted_usd: 0.7,
    price_source: PRICE.price_source,
    price_as_of: PRICE.price_as_of,
    line_items: [{ item: 'g5.xlarge', quantity: 665, unit: 's', unit_price_usd: 0.001, total_usd: totalUsd }],
    provider_usd: null,
    provider_source: null,
  };
}

/** A new ledger in its own temporary folder; when the test ends it is closed, then the folder removed. */
export async function openTempLedger(t: TestContext): Promise<{ ledger: SqliteLedger; file: string }> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dlrun-ledger-'));
  const file = path.join(folder, 'home', 'ledger.db');
  const ledger = await SqliteLedger.open(file, { busyTimeoutMs: 5_000 });
  t.onTestFinished(async () => {
    await ledger.close();
    rmSync(folder, { recursive: true, force: true });
  });
  return { ledger, file };
}

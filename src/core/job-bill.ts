import type { Bill } from '../cost/bill.js';
import { billedSeconds, costOf } from '../cost/price-snapshot.js';
import type { JobEvent, StoredJob } from '../ledger/ledger.js';
import { phaseSeconds } from '../ledger/phases.js';
import { ec2JobCharges } from '../../adapters/ec2/ec2-job-bill.js';

/**
 * A job's bill from the ledger: billed time from when the machine started to when the job ended, under the
 * billing rules and the price in force at launch (stored with the job, so later price changes never rewrite it).
 * For a job still going, the bill so far. Undefined when no price was recorded. `facts`: what the backend read
 * from its provider for the bill (`TrainingBackend.billingFacts`), when it has been asked.
 */
export function jobBill(job: StoredJob, events: readonly JobEvent[], now: Date, facts?: unknown): Bill | undefined {
  const price = job.price;
  if (!price) return undefined;
  const end = job.endedAt ? Date.parse(job.endedAt) : now.getTime();
  const runSeconds = job.startedAt ? Math.max(0, (end - Date.parse(job.startedAt)) / 1000) : 0;
  const ec2 = price.ec2 ? ec2JobCharges(job, price.ec2, now, facts) : undefined;
  const billed = ec2?.billed_s ?? billedSeconds(runSeconds, price);
  const total = ec2?.total_usd ?? costOf(runSeconds, price);
  return {
    job_id: job.jobId,
    backend: job.backend,
    state: job.state,
    phases: phaseSeconds(events, new Date(end)),
    billed_s: Math.round(billed * 1000) / 1000,
    rate_per_hour_usd: price.rate_per_hour_usd,
    total_usd: total,
    quoted_usd: job.quotedUsd,
    price_source: ec2?.note ? `${price.price_source}; ${ec2.note}` : price.price_source,
    price_as_of: price.price_as_of,
    line_items: ec2?.line_items ?? [
      {
        item: `${price.machine} time`,
        quantity: Math.round((billed / 3600) * 1e6) / 1e6,
        unit: 'hour',
        unit_price_usd: price.rate_per_hour_usd,
        total_usd: total,
      },
    ],
    provider_usd: null,
    provider_source: null,
  };
}

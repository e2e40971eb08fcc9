import type { BackendPricing } from '../cost/backend-pricing.js';
import type { Bill } from '../cost/bill.js';
import { billedSeconds, costOf } from '../cost/price-snapshot.js';
import type { JobEvent, StoredJob } from '../ledger/ledger.js';
import { phaseSeconds } from '../ledger/phases.js';
import { isBackendName } from '../spec/backend-names.js';
import { canPrice, pricingOf } from './backends.js';

/**
 * A job's bill from the ledger: billed time from when the machine started to when the job ended, under the
 * billing rules and the price in force at launch (stored with the job, so later price changes never rewrite it).
 * For a job still going, the bill so far. Undefined when no price was recorded. `rules`: the price rules of the
 * job's backend (`billRulesOf`); without any, or when they have none for the job, its run time at the stored rate.
 * `facts`: what the backend read from its provider for the bill (`TrainingBackend.billingFacts`), when it has
 * been asked.
 */
export function jobBill(
  job: StoredJob,
  events: readonly JobEvent[],
  now: Date,
  rules: BackendPricing | undefined,
  facts?: unknown,
): Bill | undefined {
  const price = job.price;
  if (!price) return undefined;
  const end = job.endedAt ? Date.parse(job.endedAt) : now.getTime();
  const runSeconds = job.startedAt ? Math.max(0, (end - Date.parse(job.startedAt)) / 1000) : 0;
  const charges = rules?.charges?.(job, price, now, facts);
  const billed = charges?.billed_s ?? billedSeconds(runSeconds, price);
  const total = charges?.total_usd ?? costOf(runSeconds, price);
  return {
    job_id: job.jobId,
    backend: job.backend,
    state: job.state,
    phases: phaseSeconds(events, new Date(end)),
    billed_s: Math.round(billed * 1000) / 1000,
    rate_per_hour_usd: price.rate_per_hour_usd,
    total_usd: total,
    quoted_usd: job.quotedUsd,
    price_source: charges?.note ? `${price.price_source}; ${charges.note}` : price.price_source,
    price_as_of: price.price_as_of,
    line_items: charges?.line_items ?? [
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

/**
 * The price rules a job's bill goes by, from the registry: undefined for a backend this version has no prices for
 * (a job a newer dlrun recorded), whose stored rate then bills it. Loaded only for a job with a stored price.
 */
export async function billRulesOf(job: Pick<StoredJob, 'backend' | 'price'>): Promise<BackendPricing | undefined> {
  return job.price && isBackendName(job.backend) && (await canPrice(job.backend)) ? pricingOf(job.backend) : undefined;
}

import { type BilledTimes, billedTimes } from '../../src/cost/billed-times.js';
import type { ChargedJob, JobCharges } from '../../src/cost/backend-pricing.js';
import type { LineItem } from '../../src/cost/bill.js';
import { billedSeconds, roundUsd } from '../../src/cost/price-snapshot.js';
import type { VertexBillingFacts } from './vertex-billing-facts.js';
import type { VertexPriceBasis } from './vertex-price-basis.js';

/**
 * A Vertex AI custom job's charges: each replica billed for the machine plus its accelerators from the job's
 * startTime (when it first ran) to its endTime (or `now` while it runs), under the increment and minimum stored with
 * the price, at the prices in force at launch. One line for each replica's machine and one for its accelerators.
 * `billed_s` is the span each replica is billed, so billed time x the job's rate (all replicas) is the total.
 * With Vertex's own facts (vertex-billing-facts.ts, read once the job ended), its startTime and endTime are used
 * instead of the ledger's, which are only as close as dlrun's polls; the note says which were used.
 */
export function vertexJobCharges(
  job: ChargedJob,
  basis: VertexPriceBasis,
  now: Date,
  facts?: VertexBillingFacts,
): JobCharges {
  const times = billedTimes(job, facts?.startTime, facts?.endTime);
  const startMs = times.start ? Date.parse(times.start) : undefined;
  const endMs = times.end ? Date.parse(times.end) : now.getTime();
  const runSeconds = startMs === undefined ? 0 : Math.max(0, (endMs - startMs) / 1000);
  const billed = billedSeconds(runSeconds, basis);
  const hours = billed / 3600;
  const lineItems: LineItem[] = [];
  for (let replica = 1; replica <= basis.replicas; replica++) {
    const which = basis.replicas === 1 ? '' : `replica ${replica} of ${basis.replicas}: `;
    lineItems.push({
      item: `${which}${basis.machine_type} (${basis.region})`,
      quantity: roundToMillionths(hours),
      unit: 'hour',
      unit_price_usd: basis.machine_usd_per_hour,
      total_usd: roundUsd(hours * basis.machine_usd_per_hour),
    });
    if (basis.accelerators) {
      const { type, count, usd_per_hour } = basis.accelerators;
      lineItems.push({
        item: `${which}${count} x ${type} (${basis.region})`,
        quantity: roundToMillionths(hours * count),
        unit: 'GPU-hour',
        unit_price_usd: usd_per_hour,
        total_usd: roundUsd(hours * count * usd_per_hour),
      });
    }
  }
  const total = roundUsd(lineItems.reduce((sum, item) => sum + item.total_usd, 0));
  return {
    line_items: lineItems,
    total_usd: total,
    billed_s: billed,
    note: billNote(job, basis, billed, times),
  };
}

function billNote(job: ChargedJob, basis: VertexPriceBasis, billed: number, times: BilledTimes): string {
  const parts = [
    `bill: ${basis.replicas === 1 ? 'the replica' : `each of ${basis.replicas} replicas`} billed ${billed} s ` +
      `(startTime to ${times.end ? 'endTime' : 'now, the job still going'})` +
      (basis.billing_unconfirmed ? ' under an unconfirmed billing increment and minimum, so an estimate' : ''),
    times.source === 'provider'
      ? "times: Vertex AI's own startTime and endTime"
      : times.source === 'mixed'
        ? "times: Vertex AI's own where it reported them, else as dlrun recorded the job's start and end"
        : "times: as dlrun recorded the job's start and end (Vertex AI's own were not read)",
  ];
  if (job.state === 'failed')
    parts.push(
      'the job failed and is billed in full here: whether Vertex AI bills a failed custom job is unconfirmed ' +
        "(the pricing page's 'not billed on failure' sentence is in its AutoML section)",
    );
  return parts.join('; ');
}

/** Quantities keep six decimals, as EC2's bill does. */
function roundToMillionths(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

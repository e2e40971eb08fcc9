import { type BilledTimes, billedTimes } from '../../src/cost/billed-times.js';
import type { ChargedJob, JobCharges } from '../../src/cost/backend-pricing.js';
import type { LineItem } from '../../src/cost/bill.js';
import { billedSeconds, roundUsd } from '../../src/cost/price-snapshot.js';
import type { RescaleBillingFacts } from './rescale-billing-facts.js';
import type { RescalePriceBasis } from './rescale-price-basis.js';

/**
 * A Rescale job's charges: its core-hours (cores per slot x slots x billed time) at the price per core-hour stored
 * at launch, billed time running from the job's `Started` status (its cluster starting, which is most likely where
 * Rescale's billing starts, providers.md 5.3 [U]) to its terminal status (or `now` while it runs), under the
 * increment and minimum stored with the price. One line per slot. With Rescale's own status times
 * (rescale-billing-facts.ts) those are used instead of the ledger's, which are only as close as dlrun's polls; the
 * note says which were used, and that Rescale's API has no per-job charge to check the figure against.
 */
export function rescaleJobCharges(
  job: ChargedJob,
  basis: RescalePriceBasis,
  now: Date,
  facts?: RescaleBillingFacts,
): JobCharges {
  const times = billedTimes(job, facts?.startedAt, facts?.endedAt);
  const startMs = times.start ? Date.parse(times.start) : undefined;
  const endMs = times.end ? Date.parse(times.end) : now.getTime();
  const runSeconds = startMs === undefined ? 0 : Math.max(0, (endMs - startMs) / 1000);
  const billed = billedSeconds(runSeconds, basis);
  const coreHours = (basis.cores_per_slot * billed) / 3600;
  const priority = basis.low_priority ? 'low priority' : 'on demand';
  const lineItems: LineItem[] = [];
  for (let slot = 1; slot <= basis.slots; slot++) {
    const which = basis.slots === 1 ? '' : `slot ${slot} of ${basis.slots}: `;
    lineItems.push({
      item: `${which}${basis.core_type} x ${basis.cores_per_slot} cores (${priority})`,
      quantity: roundToMillionths(coreHours),
      unit: 'core-hour',
      unit_price_usd: basis.usd_per_core_hour,
      total_usd: roundUsd(coreHours * basis.usd_per_core_hour),
    });
  }
  return {
    line_items: lineItems,
    total_usd: roundUsd(lineItems.reduce((sum, item) => sum + item.total_usd, 0)),
    billed_s: billed,
    note: billNote(basis, billed, times),
  };
}

function billNote(basis: RescalePriceBasis, billed: number, times: BilledTimes): string {
  const slots = basis.slots === 1 ? 'the slot' : `each of ${basis.slots} slots`;
  return [
    `bill: ${slots} billed ${billed} s x ${basis.cores_per_slot} cores ` +
      `(Started to ${times.end ? 'the terminal status' : 'now, the job still going'})` +
      (basis.billing_unconfirmed
        ? ": under an unconfirmed billing increment and minimum (per second, none; no source states Rescale's)"
        : ''),
    'that billing starts at Started (the cluster starting, start-up included) is unconfirmed',
    times.source === 'provider'
      ? "times: the statusDate of Rescale's own Started and terminal statuses"
      : times.source === 'mixed'
        ? "times: Rescale's own status dates where it reported them, else as dlrun recorded the job's start and end"
        : "times: as dlrun recorded the job's start and end (Rescale's status history was not read)",
    "an estimate: Rescale's API has no per-job charge, only monthly workspace totals (the per-job figure is in the " +
      'portal and the Billing CSV); software, storage and transfer charges are not included',
  ].join('; ');
}

/** Quantities keep six decimals, as EC2's and Vertex's bills do. */
function roundToMillionths(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

import { PHASES } from '../backend/job-state.js';
import type { Bill } from '../cost/bill.js';
import {
  type BreakEven,
  electricityPerHourUsd,
  fixedMonthlyUsd,
  type Ownership,
  type Usage,
} from '../cost/break-even.js';
import type { Quote } from '../cost/quote.js';
import { formatSeconds, formatUsd, table } from './format.js';

export function renderBill(bill: Bill): string {
  const phases = PHASES.map((phase) => `${phase} ${formatSeconds(bill.phases[phase])}`).join(', ');
  const items = table(
    ['ITEM', 'QUANTITY', 'UNIT PRICE', 'TOTAL'],
    bill.line_items.map((item) => [
      item.item,
      `${item.quantity} ${item.unit}${item.quantity === 1 ? '' : 's'}`,
      `$${item.unit_price_usd}/${item.unit}`,
      `$${item.total_usd.toFixed(4)}`,
    ]),
  );
  const lines = [
    `bill for ${bill.job_id} (${bill.backend}, ${bill.state})`,
    `phases: ${phases}`,
    `billed time: ${formatSeconds(bill.billed_s)} at $${bill.rate_per_hour_usd}/h`,
    items,
    `total: ${formatUsd(bill.total_usd)} ($${bill.total_usd.toFixed(4)}), ` +
      "dlrun's figure from the price in force at launch",
    `price: ${bill.price_source}, as of ${bill.price_as_of}`,
    `quoted: ${bill.quoted_usd === null ? '-' : `${formatUsd(bill.quoted_usd)} at most`}`,
    "provider's figure: " +
      (bill.provider_usd === null ? 'none' : `${formatUsd(bill.provider_usd)} (${bill.provider_source})`),
  ];
  return lines.join('\n');
}

export function renderQuotes(quotes: readonly Quote[]): string {
  return table(
    ['BACKEND', 'MACHINE', 'RATE', 'BILLING', 'MINIMUM', 'STARTUP', 'FAILED START', 'RUNTIME', 'TOTAL', 'PRICE AS OF'],
    quotes.map((quote) => [
      quote.backend,
      quote.machine,
      `$${quote.rate_per_hour_usd}/h`,
      quote.billing_increment_s === 1 ? 'per second' : `per ${formatSeconds(quote.billing_increment_s)}`,
      formatSeconds(quote.minimum_billed_s),
      quote.startup_s === undefined ? '-' : `${formatSeconds(quote.startup_s)} ${formatUsd(quote.startup_usd ?? 0)}`,
      formatUsd(quote.failed_start_usd ?? null),
      formatSeconds(quote.runtime_s),
      formatUsd(quote.total_usd),
      `${quote.price_as_of}${quote.unconfirmed ? ' (unconfirmed)' : ''}`,
    ]),
  );
}

/** The hours of an average month (365.25 days a year). */
const HOURS_PER_MONTH = (365.25 * 24) / 12;

/**
 * The "buy or rent" section under the quotes: what owning costs a month and an hour, the usage assumed, and per
 * cloud the hours a month above which owning is cheaper and the months of that usage that pay for the machine.
 */
export function renderBreakEven(owner: string, owned: Ownership, usage: Usage, entries: readonly BreakEven[]): string {
  const lifetimeMonths = owned.lifetime_years * 12;
  const usageText =
    usage.hours_per_month === null ? usage.source : `${usage.hours_per_month} h/month (${usage.source})`;
  const lines = [
    '',
    `buy or rent: owning the ${owner} machine costs $${owned.purchase_price} over ${owned.lifetime_years} years ` +
      `(${formatUsd(fixedMonthlyUsd(owned))} a month) plus ${formatUsd(electricityPerHourUsd(owned))}/h ` +
      `of electricity; usage: ${usageText}`,
  ];
  for (const entry of entries) {
    if (entry.hours_per_month === null) {
      lines.push(`  ${entry.backend}: ${entry.reason}`);
      continue;
    }
    const above =
      `owning is cheaper above ${entry.hours_per_month} h/month than $${entry.rate_per_hour_usd}/h` +
      (entry.hours_per_month > HOURS_PER_MONTH ? ` (more hours than a month has: renting is cheaper at any use)` : '');
    const payOff =
      entry.months_to_pay_off === null
        ? usage.hours_per_month === null
          ? 'months to pay off: unknown without the usage'
          : 'it never pays for itself at no use'
        : `it pays for itself in ${entry.months_to_pay_off} months of this usage` +
          (entry.months_to_pay_off > lifetimeMonths
            ? ` (beyond its ${lifetimeMonths}-month lifetime: renting is cheaper)`
            : '');
    lines.push(`  ${entry.backend}: ${above}; ${payOff}`);
  }
  return lines.join('\n');
}

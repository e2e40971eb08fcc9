import { PHASES } from '../backend/job-state.js';
import type { Bill } from '../cost/bill.js';
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

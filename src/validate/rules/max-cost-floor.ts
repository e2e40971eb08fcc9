import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import { costOf } from '../../cost/price-snapshot.js';
import { failedStartUsd } from '../../cost/startup.js';
import { stopAfter } from '../../cost/stop-after.js';
import { jobPrice } from '../job-price.js';
import { runsHere, type Rule } from '../rule.js';

/**
 * A max_cost that runs out before the job trains: below the billing minimum of the machine, or spent by the time the
 * machine has started (the backend's dated start-up default; the validator is offline and reads no ledger, so
 * this ledger's own median is not used). The job would be stopped before its command ran, and billed all the same.
 * Priced through the backend's own price rules (the registry's BackendPricing), like `quote`.
 */
export const maxCostFloor: Rule = {
  id: 'max-cost-floor',
  summary: "a max_cost that cannot pay for the machine's billing minimum or its start-up: stopped before training",
  check(context) {
    const { job } = context;
    const maxCost = job.limits.max_cost;
    if (maxCost === undefined) return [];
    const findings: Finding[] = [];
    for (const target of context.targets) {
      const pricing = context.pricing?.[target];
      if (!pricing || runsHere(context, target)) continue;
      const price = jobPrice(context, target);
      if (!price || price.rate_per_hour_usd <= 0) continue;
      const minimum = costOf(1, price);
      const startupSeconds = pricing.startup?.seconds ?? 0;
      const startupCost = startupSeconds > 0 ? failedStartUsd(pricing, price, startupSeconds) : 0;
      const stop = stopAfter(job, price).seconds;
      let message: string | undefined;
      if (maxCost < minimum)
        message =
          `max_cost $${maxCost} is below the smallest charge on ${target} ` +
          `(${price.machine}: $${minimum.toFixed(4)} for its minimum of ${price.minimum_billed_s} s)`;
      else if (startupSeconds > 0 && stop !== null && stop <= startupSeconds)
        message =
          `max_cost $${maxCost} buys ${stop} s of ${price.machine} on ${target}, but its machines take about ` +
          `${startupSeconds} s to start ($${startupCost.toFixed(4)}, billed): the job would be stopped before it ` +
          'trains, and billed anyway';
      if (!message) continue;
      findings.push(
        findingAt(job, 'limits.max_cost', {
          rule: 'max-cost-floor',
          // A job that names no backend may never go to this one.
          severity: context.portable ? 'warning' : 'error',
          message,
          hint:
            `raise limits.max_cost well above $${Math.max(minimum, startupCost).toFixed(2)} ` +
            `(dlrun quote ${job.source.file} --backend ${target} shows the price and the start-up)`,
        }),
      );
    }
    return findings;
  },
};

import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import type { BackendName } from '../../spec/backend-names.js';
import { jobPrice } from '../job-price.js';
import { runsHere, backendValidation, type Rule, type ValidationContext } from '../rule.js';

/**
 * Limits that make no sense for where the job runs: nothing at all to stop a rented machine, a max_runtime that
 * ends before the machine has even started (a backend's `startup`), a max_cost on a machine that costs nothing (a
 * backend's `budgetWithoutCost`).
 */
export const limitsSense: Rule = {
  id: 'limits-sense',
  summary:
    'limits that make no sense: none at all on a rented machine, shorter than the start-up, a budget on a free machine',
  check(context) {
    const { job, targets } = context;
    const findings: Finding[] = [];
    const rented = targets.filter((target) => !runsHere(context, target));
    if (rented.length && job.limits.max_runtime === null && job.limits.max_cost === undefined) {
      findings.push(
        findingAt(job, 'limits.max_runtime', {
          rule: 'limits-sense',
          severity: 'warning',
          message:
            'max_runtime is unlimited and there is no max_cost: ' +
            `nothing but you stops this job on ${rented.join(' or ')}${dailyCost(context, rented)}`,
          hint:
            'set limits.max_runtime or limits.max_cost; ' +
            'they are enforced on the provider side even when this laptop is off',
        }),
      );
    }
    for (const target of targets) {
      const startup = backendValidation(context, target).startup;
      if (!startup || job.limits.max_runtime === null || job.limits.max_runtime >= startup.maxMinutes * 60) continue;
      findings.push(
        findingAt(job, 'limits.max_runtime', {
          rule: 'limits-sense',
          severity: 'warning',
          message:
            `max_runtime ${job.limits.max_runtime}s may end before ${startup.machine} is even up ` +
            `(they take ${startup.minMinutes} to ${startup.maxMinutes} minutes to start, billed)`,
        }),
      );
    }
    // A budget for a job that can go nowhere else than a backend where its time costs nothing.
    const budgetOnOne = targets.length === 1 && job.limits.max_cost !== undefined;
    const noCost = budgetOnOne ? backendValidation(context, targets[0]!).budgetWithoutCost?.(job) : undefined;
    if (noCost)
      findings.push(findingAt(job, 'limits.max_cost', { rule: 'limits-sense', severity: 'warning', ...noCost }));
    return findings;
  },
};

/** What a day of the job costs on the dearest of the machines it may get, when they can be priced: the stake. */
function dailyCost(context: ValidationContext, targets: readonly BackendName[]): string {
  const prices = targets.flatMap((target) => {
    const price = jobPrice(context, target);
    return price && price.rate_per_hour_usd > 0 ? [price] : [];
  });
  const dearest = prices.sort((first, second) => second.rate_per_hour_usd - first.rate_per_hour_usd)[0];
  if (!dearest) return '';
  const hourly = dearest.rate_per_hour_usd;
  return ` (${dearest.machine} costs $${hourly.toFixed(2)} an hour, $${Math.round(hourly * 24)} a day)`;
}

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
    findings.push(...startupFindings(context));
    // A budget for a job that can go nowhere else than a backend where its time costs nothing.
    const budgetOnOne = targets.length === 1 && job.limits.max_cost !== undefined;
    const noCost = budgetOnOne ? backendValidation(context, targets[0]!).budgetWithoutCost?.(job) : undefined;
    if (noCost)
      findings.push(findingAt(job, 'limits.max_cost', { rule: 'limits-sense', severity: 'warning', ...noCost }));
    return findings;
  },
};

/**
 * A max_runtime that ends before the machine is up, on each rented target whose start-up is billed: an error (a
 * warning for a job that names no backend) when it is shorter than the start-up, from the backend's price rules
 * (their dated start-up default, `BackendPricing.startup`, as max-cost-floor counts it) or the shortest start-up its
 * validation module gives (`BackendValidation.startup`); a warning when it is shorter than the longest start-up only.
 */
function startupFindings(context: ValidationContext): Finding[] {
  const { job } = context;
  const maxRuntime = job.limits.max_runtime;
  if (maxRuntime === null) return [];
  const findings: Finding[] = [];
  for (const target of context.targets) {
    if (runsHere(context, target)) continue;
    const range = backendValidation(context, target).startup;
    const billed = context.pricing?.[target]?.startup?.seconds ?? 0;
    // The start-up the job certainly waits through, and the longest it may.
    const surely = Math.max(range ? range.minMinutes * 60 : 0, range ? 0 : billed);
    const longest = Math.max(range ? range.maxMinutes * 60 : 0, billed);
    if (maxRuntime > surely && maxRuntime >= longest) continue;
    const machine = range?.machine ?? `the ${target} machine`;
    const takes = range
      ? `${range.minMinutes} to ${range.maxMinutes} minutes`
      : `about ${Math.round(billed)} s (${formatSeconds(billed)})`;
    const stopped = maxRuntime <= surely;
    findings.push(
      findingAt(job, 'limits.max_runtime', {
        rule: 'limits-sense',
        severity: stopped && !context.portable ? 'error' : 'warning',
        message: stopped
          ? `max_runtime ${formatSeconds(maxRuntime)} ends before ${machine} is up: on ${target} it takes ${takes} ` +
            'to start, all of it billed, so the job would be stopped before it trains and billed anyway'
          : `max_runtime ${formatSeconds(maxRuntime)} may end before ${machine} is even up ` +
            `(they take ${takes} to start, billed)`,
        hint:
          `set limits.max_runtime well above ${formatSeconds(longest)}: the start-up counts against it ` +
          `(dlrun quote ${job.source.file} --backend ${target} shows the start-up)`,
      }),
    );
  }
  return findings;
}

/** Seconds as a job file writes a duration (`90s`, `5m`, `4m30s`). */
function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60 || whole % 60 !== 0) return whole < 60 ? `${whole}s` : `${Math.floor(whole / 60)}m${whole % 60}s`;
  return `${whole / 60}m`;
}

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

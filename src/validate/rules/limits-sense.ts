import type { Finding } from '../../base/finding.js';
import { findingAt } from '../../base/finding.js';
import { localPrice } from '../../../adapters/local/local-rate.js';
import type { Rule } from '../rule.js';

/** Rescale machines take 4 to 8 minutes to come up (providers.md, section 5), all of it billed. */
const RESCALE_START_SECONDS = 8 * 60;

/**
 * Limits that make no sense for where the job runs: nothing at all to stop a rented machine, a max_runtime that
 * ends before a Rescale machine has even started, a max_cost on a machine that costs nothing.
 */
export const limitsSense: Rule = {
  id: 'limits-sense',
  summary:
    'limits that make no sense: none at all on a rented machine, shorter than the start-up, a budget on a free machine',
  check({ job, targets }) {
    const findings: Finding[] = [];
    const clouds = targets.filter((target) => target !== 'local');
    if (clouds.length && job.limits.max_runtime === null && job.limits.max_cost === undefined) {
      findings.push(
        findingAt(job, 'limits.max_runtime', {
          rule: 'limits-sense',
          severity: 'warning',
          message: `max_runtime is unlimited and there is no max_cost: nothing but you stops this job on ${clouds.join(' or ')}`,
          hint: 'set limits.max_runtime or limits.max_cost; they are enforced on the provider side even when this laptop is off',
        }),
      );
    }
    if (
      targets.includes('rescale') &&
      job.limits.max_runtime !== null &&
      job.limits.max_runtime < RESCALE_START_SECONDS
    ) {
      findings.push(
        findingAt(job, 'limits.max_runtime', {
          rule: 'limits-sense',
          severity: 'warning',
          message: `max_runtime ${job.limits.max_runtime}s may end before a Rescale machine is even up (they take 4 to 8 minutes to start, billed)`,
        }),
      );
    }
    if (
      targets.length === 1 &&
      targets[0] === 'local' &&
      job.limits.max_cost !== undefined &&
      localPrice(job.backends?.local, new Date()).rate_per_hour_usd === 0
    ) {
      findings.push(
        findingAt(job, 'limits.max_cost', {
          rule: 'limits-sense',
          severity: 'warning',
          message: 'max_cost has no effect: with no backends.local figures this machine counts as free',
          hint: 'set backends.local.hourly_rate (or purchase_price and lifetime_years) so that its time has a price',
        }),
      );
    }
    return findings;
  },
};

import type { StopAfter } from '../backend/training-backend.js';
import type { JobSpec } from '../spec/job-spec.js';
import { formatDuration } from '../util/format-duration.js';
import type { PriceSnapshot } from './price-snapshot.js';

/**
 * When a job must be stopped: at max_runtime, or sooner when max_cost runs out at the job's rate
 * (JOB-SPEC.md: "min(max_runtime, the time max_cost buys at the job's rate)"). A free machine never runs out.
 */
export function stopAfter(job: Pick<JobSpec, 'limits'>, price: PriceSnapshot): StopAfter {
  const runtime = job.limits.max_runtime;
  const maxCost = job.limits.max_cost;
  // One billing increment less than the money buys: the last, partly used increment is billed whole.
  const increment = Math.max(1, price.billing_increment_s);
  const affordable =
    maxCost !== undefined && price.rate_per_hour_usd > 0
      ? Math.max(
          increment,
          Math.floor(((maxCost / price.rate_per_hour_usd) * 3600) / increment) * increment - increment,
        )
      : null;
  if (affordable !== null && (runtime === null || affordable < runtime)) {
    return {
      seconds: affordable,
      reason: `max_cost $${maxCost} (${formatDuration(affordable)} at $${price.rate_per_hour_usd}/h)`,
    };
  }
  if (runtime !== null) return { seconds: runtime, reason: `max_runtime ${formatDuration(runtime)}` };
  return { seconds: null, reason: null };
}

/** The most a job can cost under its limits: Infinity when nothing stops it on a machine that is not free. */
export function worstCaseUsd(limit: StopAfter, price: PriceSnapshot, maxCost: number | undefined): number {
  if (price.rate_per_hour_usd === 0) return 0;
  const byTime =
    limit.seconds === null
      ? Infinity
      : (Math.max(limit.seconds, price.minimum_billed_s) * price.rate_per_hour_usd) / 3600;
  return Math.min(byTime, maxCost ?? Infinity);
}

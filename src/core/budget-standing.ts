import { DlrunError } from '../base/errors.js';
import { budgetCheck, limitsUsd, periodOf, type ActiveJobCost, type BudgetCheck } from '../cost/budget.js';
import type { Ledger, StoredJob } from '../ledger/ledger.js';
import type { JobSpec } from '../spec/job-spec.js';
import { costSoFar } from './job-record.js';

/**
 * Where the ledger's budget stands now: this period's spend (the bills of the jobs submitted in it, or their cost so
 * far while they run) and the most the active jobs may still add (each one's limits at the rate stored at its launch,
 * less its cost so far). Undefined when no budget is set. The active jobs are taken as the ledger has them, not
 * refreshed: one that ended unseen only counts its worst case, never less.
 */
export async function budgetStanding(ledger: Ledger, now: Date): Promise<BudgetCheck | undefined> {
  const budget = await ledger.getBudget();
  if (!budget) return undefined;
  const { start } = periodOf(budget.period, now);
  const [inPeriod, active] = await Promise.all([
    ledger.listJobs({ submittedSince: start }),
    ledger.listJobs({ which: 'active' }),
  ]);
  const spent = inPeriod.reduce((sum, job) => sum + (costSoFar(job, endOf(job, now)) ?? 0), 0);
  const activeCosts: ActiveJobCost[] = [];
  for (const job of active) {
    activeCosts.push({
      jobId: job.jobId,
      worstUsd: await worstOf(ledger, job),
      soFarUsd: costSoFar(job, now.getTime()) ?? 0,
    });
  }
  return budgetCheck(budget, now, spent, activeCosts);
}

function endOf(job: StoredJob, now: Date): number {
  return job.endedAt ? Date.parse(job.endedAt) : now.getTime();
}

/** The most an active job may cost in all: its limits at its stored rate, else the worst case quoted at its launch. */
async function worstOf(ledger: Ledger, job: StoredJob): Promise<number> {
  if (!job.price) return job.quotedUsd ?? 0;
  const spec = (await ledger.getJobSpec(job.jobId)) as Partial<JobSpec> | null;
  if (spec?.limits) return limitsUsd({ limits: spec.limits }, job.price);
  return job.quotedUsd ?? Infinity;
}

/**
 * Refuse a job the budget has no room for: what it may cost under its limits (`mayCostUsd`, priced as `quote` prices
 * it) beyond what is left after this period's spend and the most the active jobs may still add. A job that nothing
 * stops, or an active job that nothing stops, leaves no amount certain: refused too, with the fix.
 */
export function refuseOverBudget(standing: BudgetCheck, mayCostUsd: number, machine: string): void {
  // A job that costs nothing (a free machine) fits any budget, even one already spent.
  if (mayCostUsd === 0) return;
  const { budget } = standing;
  const figures =
    `the ${budget.period}'s budget is ${usd(budget.amount_usd)}: ${usd(standing.spent_usd)} spent since ` +
    `${standing.period_start.slice(0, 10)}, active jobs may still add up to ${usd(standing.active_worst_usd)}, ` +
    `${usd(Math.max(0, standing.left_usd))} left`;
  if (!Number.isFinite(mayCostUsd)) {
    throw new DlrunError(`budget: this job has no limit (no max_runtime, no max_cost) on ${machine}; ${figures}`, {
      hint: 'set limits.max_runtime or limits.max_cost so that the job fits what is left of the budget',
    });
  }
  if (standing.unbounded_jobs.length) {
    throw new DlrunError(
      `budget: active job${standing.unbounded_jobs.length === 1 ? '' : 's'} ${standing.unbounded_jobs.join(', ')} ` +
        `may cost any amount (no max_runtime, no max_cost), so no room is certain; ${figures}`,
      { hint: "wait for them to end or stop them ('dlrun cancel JOB_ID'), then submit again" },
    );
  }
  if (mayCostUsd <= standing.left_usd) return;
  throw new DlrunError(
    `budget: this job may cost up to ${usd(mayCostUsd)} on ${machine}, more than is left: ${figures}`,
    {
      hint:
        'lower limits.max_runtime or limits.max_cost to fit, wait for the active jobs to end, ' +
        "or raise the budget ('dlrun budget set AMOUNT')",
    },
  );
}

/** Cents, or a hundredth of a cent below ten cents, so that small jobs do not all read as $0.00. */
function usd(amount: number): string {
  return `$${amount.toFixed(amount === 0 || Math.abs(amount) >= 0.1 ? 2 : 4)}`;
}

import type { JobSpec } from '../spec/job-spec.js';
import { costOf, roundUsd, type PriceSnapshot } from './price-snapshot.js';
import { stopAfter } from './stop-after.js';

/** How often a budget starts again: the calendar month, or the ISO week (Monday to Monday), in UTC. */
export type BudgetPeriod = 'month' | 'week';

export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['month', 'week'];

/** A ledger's budget: at most this much may be spent on jobs submitted in each period. */
export interface Budget {
  readonly amount_usd: number;
  readonly period: BudgetPeriod;
  /** When it was set (ISO 8601, UTC). */
  readonly set_at: string;
}

/** The period that holds `now`: its first instant and the first instant of the next, ISO 8601 in UTC. */
export function periodOf(period: BudgetPeriod, now: Date): { readonly start: string; readonly end: string } {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  if (period === 'month') {
    return {
      start: new Date(Date.UTC(year, month, 1)).toISOString(),
      end: new Date(Date.UTC(year, month + 1, 1)).toISOString(),
    };
  }
  // ISO weeks start on Monday: getUTCDay() is 0 on Sunday, six days after Monday.
  const sinceMonday = (now.getUTCDay() + 6) % 7;
  const monday = Date.UTC(year, month, now.getUTCDate() - sinceMonday);
  return { start: new Date(monday).toISOString(), end: new Date(monday + 7 * 86_400_000).toISOString() };
}

/**
 * The most a job may cost under its limits, priced as `quote` prices them (the time its limits allow, under the
 * billing increment and minimum, at the rate); Infinity when nothing stops it on a machine that is not free.
 */
export function limitsUsd(job: Pick<JobSpec, 'limits'>, price: PriceSnapshot): number {
  if (price.rate_per_hour_usd === 0) return 0;
  const { seconds } = stopAfter(job, price);
  return seconds === null ? Infinity : costOf(seconds, price);
}

/** What a budget has room for in its period, and whether a new job fits. Dollars, rounded to the cent's hundredth. */
export interface BudgetCheck {
  readonly budget: Budget;
  readonly period_start: string;
  readonly period_end: string;
  /** What the jobs submitted in this period cost: their bills, or their cost so far while they run. */
  readonly spent_usd: number;
  /** The most the active jobs may still add: each one's limits at its stored rate, less its cost so far. */
  readonly active_worst_usd: number;
  /** The budget less both; below zero when the period is already over budget. */
  readonly left_usd: number;
  /** Active jobs that nothing stops (no max_runtime, no max_cost): while they run no amount is certain to be left. */
  readonly unbounded_jobs: readonly string[];
}

export interface ActiveJobCost {
  readonly jobId: string;
  /** The most the job may cost in all (Infinity: no limit stops it). */
  readonly worstUsd: number;
  readonly soFarUsd: number;
}

export function budgetCheck(
  budget: Budget,
  now: Date,
  spentUsd: number,
  active: readonly ActiveJobCost[],
): BudgetCheck {
  const { start, end } = periodOf(budget.period, now);
  const unbounded = active.filter((job) => !Number.isFinite(job.worstUsd)).map((job) => job.jobId);
  const activeWorst = roundUsd(
    active
      .filter((job) => Number.isFinite(job.worstUsd))
      .reduce((sum, job) => sum + Math.max(0, job.worstUsd - job.soFarUsd), 0),
  );
  const spent = roundUsd(spentUsd);
  return {
    budget,
    period_start: start,
    period_end: end,
    spent_usd: spent,
    active_worst_usd: activeWorst,
    left_usd: roundUsd(budget.amount_usd - spent - activeWorst),
    unbounded_jobs: unbounded,
  };
}

import { billedSeconds, type PriceSnapshot, roundUsd } from './price-snapshot.js';

/**
 * Buy or rent: when owning a machine beats renting one from a cloud, for `quote`.
 *
 * Owning costs a fixed part each month, whether the machine is used or not, plus electricity for each hour it is:
 *   fixed_monthly        = purchase_price / (lifetime_years * 12)
 *   electricity_per_hour = power_watts / 1000 * kwh_price            (0 when power or electricity is not given)
 * A cloud costs its hourly rate for each hour used (`cloud_rate`: the job's machine there, from its quote; billing
 * increments, minimums and start-up are left out, as they are small beside a month's use). At h hours a month,
 * owning costs fixed_monthly + h * electricity_per_hour and renting h * cloud_rate, so owning is cheaper above
 *   h* = fixed_monthly / (cloud_rate - electricity_per_hour)          (hours per month)
 * and none when the cloud is not dearer per hour than the electricity: then owning never pays. At the user's usage
 * of U hours a month, each month saves U * (cloud_rate - electricity_per_hour), so the purchase is paid off after
 *   months_to_pay_off = purchase_price / (U * (cloud_rate - electricity_per_hour))
 * (none when U is 0 or unknown, or the cloud is not dearer). U below h* is the same as months_to_pay_off beyond the
 * machine's lifetime: renting is cheaper at that usage.
 */

/** What owning the machine costs, from the job file (`BackendPricing.ownership`). */
export interface Ownership {
  readonly purchase_price: number;
  readonly lifetime_years: number;
  /** Watts drawn while training; 0 when not given. */
  readonly power_watts: number;
  /** Dollars per kWh; 0 when not given. */
  readonly kwh_price: number;
}

/** The user's usage in hours per month, and where the figure came from (null: unknown, said by `source`). */
export interface Usage {
  readonly hours_per_month: number | null;
  readonly source: string;
}

/** One cloud's break-even against owning, as `quote --json` prints it under `break_even`. */
export interface BreakEven {
  readonly backend: string;
  /** The cloud's hourly rate the figures use. */
  readonly rate_per_hour_usd: number;
  /** h*: above this many hours a month, owning is cheaper; null when owning never pays. */
  readonly hours_per_month: number | null;
  /** How many months of the user's usage pay for the machine; null when it never does or the usage is unknown. */
  readonly months_to_pay_off: number | null;
  /** Why a figure is null; null when both are given. */
  readonly reason: string | null;
}

/** The days of this ledger's history the usage is read from, and the month it is scaled to. */
export const USAGE_WINDOW_DAYS = 90;
export const USAGE_MONTH_DAYS = 30;

export function fixedMonthlyUsd(owned: Ownership): number {
  return owned.purchase_price / (owned.lifetime_years * 12);
}

export function electricityPerHourUsd(owned: Ownership): number {
  return (owned.power_watts / 1000) * owned.kwh_price;
}

/** Two decimals: hours and months are shown to the hundredth. */
export function roundFigure(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The break-even of owning against one cloud at `cloudRate` dollars an hour, at `usageHours` a month (or unknown). */
export function breakEven(owned: Ownership, backend: string, cloudRate: number, usage: Usage): BreakEven {
  const electricity = electricityPerHourUsd(owned);
  const saving = cloudRate - electricity;
  const base = { backend, rate_per_hour_usd: cloudRate };
  if (saving <= 0) {
    return {
      ...base,
      hours_per_month: null,
      months_to_pay_off: null,
      reason: `$${cloudRate}/h is no more than the electricity ($${roundUsd(electricity)}/h): owning never pays`,
    };
  }
  const hours = roundFigure(fixedMonthlyUsd(owned) / saving);
  const used = usage.hours_per_month;
  if (used === null) return { ...base, hours_per_month: hours, months_to_pay_off: null, reason: usage.source };
  if (used <= 0) {
    return {
      ...base,
      hours_per_month: hours,
      months_to_pay_off: null,
      reason: `at 0 hours a month (${usage.source}) the machine never pays for itself`,
    };
  }
  return {
    ...base,
    hours_per_month: hours,
    months_to_pay_off: roundFigure(owned.purchase_price / (used * saving)),
    reason: null,
  };
}

/** What of a stored job the usage reads: fields of the ledger's StoredJob, a layer this one may not name. */
export interface UsageSample {
  readonly price: PriceSnapshot | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

/**
 * The user's hours per month from this ledger: the billed time (start to end, under each job's billing increment and
 * minimum) of the jobs on any backend that ended in the last USAGE_WINDOW_DAYS days, scaled to a USAGE_MONTH_DAYS
 * month. Jobs that never started (refused, cancelled while queued) count nothing.
 */
export function ledgerUsage(jobs: readonly UsageSample[], now: Date): Usage {
  const since = now.getTime() - USAGE_WINDOW_DAYS * 86_400_000;
  let seconds = 0;
  let counted = 0;
  for (const job of jobs) {
    if (job.startedAt === null || job.endedAt === null) continue;
    const end = Date.parse(job.endedAt);
    if (!(end > since && end <= now.getTime())) continue;
    const span = Math.max(0, (end - Date.parse(job.startedAt)) / 1000);
    seconds += job.price ? billedSeconds(span, job.price) : span;
    counted += 1;
  }
  const hours = seconds / 3600;
  return {
    hours_per_month: roundFigure((hours * USAGE_MONTH_DAYS) / USAGE_WINDOW_DAYS),
    source:
      `this ledger's last ${USAGE_WINDOW_DAYS} days: ${roundFigure(hours)} billed hours of ${counted} ended ` +
      `job${counted === 1 ? '' : 's'}, scaled to a ${USAGE_MONTH_DAYS}-day month`,
  };
}

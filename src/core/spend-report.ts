import type { JobState } from '../backend/job-state.js';
import { billedSeconds, roundUsd } from '../cost/price-snapshot.js';
import type { Ledger, RefusedSubmit, SpendRow } from '../ledger/ledger.js';
import { costSoFar } from './job-record.js';

/** How `dlrun report` groups jobs. */
export const REPORT_GROUPINGS = ['backend', 'day', 'month', 'name', 'state', 'owner'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** The group of jobs whose owner is unknown (recorded before dlrun kept owners): no name can be written so. */
export const UNKNOWN_OWNER_KEY = '(unknown)';

export function isReportGrouping(value: string): value is ReportGrouping {
  return (REPORT_GROUPINGS as readonly string[]).includes(value);
}

/** States whose spend is what mistakes cost: the job did not give the user what was asked for. */
const MISTAKES: ReadonlySet<JobState> = new Set(['failed', 'cancelled', 'timed_out', 'preempted', 'lost']);

/** One group of the report, as `report --json` prints it. Money in US dollars. */
export interface ReportGroup {
  readonly key: string;
  readonly jobs: number;
  readonly billed_hours: number;
  /** Each job's bill total when it has one, else its cost so far (as `status` shows it). */
  readonly spend_usd: number;
  /** The spend of the group's jobs that failed, were cancelled, timed out, were preempted or lost. */
  readonly failed_spend_usd: number;
  /** The sum of the quotes recorded at launch (jobs without one add nothing). */
  readonly quoted_usd: number;
  /**
   * The spend of the jobs that had a quote against that quote, in percent (positive: spent more than quoted);
   * null when no job of the group had one.
   */
  readonly quote_error_pct: number | null;
}

/** `report --json`. */
export interface SpendReport {
  readonly since: string | null;
  readonly until: string | null;
  readonly by: ReportGrouping;
  readonly groups: readonly ReportGroup[];
  readonly total_usd: number;
  readonly total_failed_usd: number;
  readonly total_quoted_usd: number;
  readonly total_billed_hours: number;
  /** The spend of every quoted job against their quotes, in percent; null when none had a quote. */
  readonly total_quote_error_pct: number | null;
  readonly refused_before_launch: { readonly jobs: number; readonly estimated_saved_usd: number };
}

export interface ReportRequest {
  /** ISO 8601 UTC: jobs submitted at or after it. */
  readonly since?: string;
  /** ISO 8601 UTC: jobs submitted before it. */
  readonly until?: string;
  readonly by: ReportGrouping;
  readonly now: Date;
}

/** The report over this ledger's jobs submitted in the range; no ledger (undefined) gives an empty one. */
export async function spendReport(ledger: Ledger | undefined, request: ReportRequest): Promise<SpendReport> {
  const range = {
    ...(request.since !== undefined ? { since: request.since } : {}),
    ...(request.until !== undefined ? { until: request.until } : {}),
  };
  // The ledger bounds the start; the end is left to the filter, which holds both.
  const jobs = ledger
    ? (await ledger.listSpendRows(range.since !== undefined ? { submittedSince: range.since } : {})).filter((job) =>
        inRange(job.submittedAt, range),
      )
    : [];
  const refused = ledger ? await ledger.listRefusedSubmits(range) : [];
  return buildReport(jobs, refused, request);
}

/** The arithmetic of the report, from the jobs and refused submits already in range. */
function buildReport(
  jobs: readonly SpendRow[],
  refused: readonly RefusedSubmit[],
  request: ReportRequest,
): SpendReport {
  interface Sums {
    jobs: number;
    billedS: number;
    spend: number;
    failed: number;
    quoted: number;
    spendOfQuoted: number;
  }
  const groups = new Map<string, Sums>();
  const now = request.now.getTime();
  for (const job of jobs) {
    const key = keyOf(job, request.by);
    const sums = groups.get(key) ?? { jobs: 0, billedS: 0, spend: 0, failed: 0, quoted: 0, spendOfQuoted: 0 };
    groups.set(key, sums);
    const end = job.endedAt ? Date.parse(job.endedAt) : now;
    const spend = costSoFar(job, end) ?? 0;
    sums.jobs += 1;
    // A stored bill's billed time is the figure; without one, the time so far under the price's rules.
    sums.billedS += job.billedS ?? billedSecondsOf(job, end);
    sums.spend += spend;
    if (MISTAKES.has(job.state)) sums.failed += spend;
    if (job.quotedUsd !== null) {
      sums.quoted += job.quotedUsd;
      sums.spendOfQuoted += spend;
    }
  }
  const rows: ReportGroup[] = [...groups.entries()]
    .sort(([first], [second]) => (first < second ? -1 : first > second ? 1 : 0))
    .map(([key, sums]) => ({
      key,
      jobs: sums.jobs,
      billed_hours: hours(sums.billedS),
      spend_usd: roundUsd(sums.spend),
      failed_spend_usd: roundUsd(sums.failed),
      quoted_usd: roundUsd(sums.quoted),
      quote_error_pct: errorPct(sums.spendOfQuoted, sums.quoted),
    }));
  const sum = (pick: (sums: Sums) => number): number => [...groups.values()].reduce((a, s) => a + pick(s), 0);
  return {
    since: request.since ?? null,
    until: request.until ?? null,
    by: request.by,
    groups: rows,
    total_usd: roundUsd(sum((s) => s.spend)),
    total_failed_usd: roundUsd(sum((s) => s.failed)),
    total_quoted_usd: roundUsd(sum((s) => s.quoted)),
    total_billed_hours: hours(sum((s) => s.billedS)),
    total_quote_error_pct: errorPct(
      sum((s) => s.spendOfQuoted),
      sum((s) => s.quoted),
    ),
    refused_before_launch: {
      jobs: refused.length,
      estimated_saved_usd: roundUsd(refused.reduce((a, r) => a + (r.estimatedFailedStartUsd ?? 0), 0)),
    },
  };
}

function inRange(at: string, range: { since?: string; until?: string }): boolean {
  return (range.since === undefined || at >= range.since) && (range.until === undefined || at < range.until);
}

function keyOf(job: SpendRow, by: ReportGrouping): string {
  switch (by) {
    case 'backend':
      return job.backend;
    case 'name':
      return job.name;
    case 'state':
      return job.state;
    case 'owner':
      return job.owner ?? UNKNOWN_OWNER_KEY;
    case 'day':
      return new Date(job.submittedAt).toISOString().slice(0, 10);
    case 'month':
      return new Date(job.submittedAt).toISOString().slice(0, 7);
  }
}

/** Seconds billed so far from the job's start, under its price's increment and minimum; 0 without a price. */
function billedSecondsOf(job: Pick<SpendRow, 'price' | 'startedAt'>, end: number): number {
  if (!job.price || !job.startedAt) return 0;
  return billedSeconds(Math.max(0, (end - Date.parse(job.startedAt)) / 1000), job.price);
}

function hours(seconds: number): number {
  return Math.round((seconds / 3600) * 10_000) / 10_000;
}

function errorPct(actual: number, quoted: number): number | null {
  if (quoted <= 0) return null;
  return Math.round(((actual - quoted) / quoted) * 1000) / 10;
}

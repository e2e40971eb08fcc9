import { UsageError } from '../../base/errors.js';
import {
  isReportGrouping,
  REPORT_GROUPINGS,
  type ReportGrouping,
  type SpendReport,
  spendReport,
} from '../../core/spend-report.js';
import { openExistingLedger } from '../../ledger/open-ledger.js';
import { parseDuration } from '../../spec/units/duration-text.js';
import { booleanFlag, stringFlag, type CommandInput } from '../command.js';
import type { CliIo } from '../io.js';
import { renderSpendReport } from '../render-report.js';

/**
 * `dlrun report [--since DATE|DURATION] [--until DATE] [--by G] [--json|--csv]`: per group of jobs (submitted in the
 * range), billed hours, spend, what the jobs that went wrong cost and the quote beside the actual; totals; and the
 * submits the validator refused before any launch, with what one failed start each would have cost. Reading never
 * creates a ledger: without one the report is empty.
 */
export async function run(input: CommandInput): Promise<number> {
  const { io } = input;
  const now = new Date();
  const json = booleanFlag(input, 'json');
  const csv = booleanFlag(input, 'csv');
  if (json && csv) throw new UsageError('--json and --csv cannot be given together: choose one');
  const by = groupingOf(stringFlag(input, 'by'));
  const sinceFlag = stringFlag(input, 'since');
  const untilFlag = stringFlag(input, 'until');
  const since = sinceFlag === undefined ? undefined : parseSince(sinceFlag, now);
  const until = untilFlag === undefined ? undefined : parseUntil(untilFlag);
  if (since !== undefined && until !== undefined && since >= until)
    throw new UsageError(`--since (${since}) must come before --until (${until})`);
  const ledger = await openExistingLedger(input.config);
  let report: SpendReport;
  try {
    report = await spendReport(ledger, {
      by,
      now,
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
    });
  } finally {
    await ledger?.close();
  }
  if (json) io.out(JSON.stringify(report));
  else if (csv) io.out(reportCsv(report));
  else printText(report, io);
  return 0;
}

function printText(report: SpendReport, io: CliIo): void {
  if (report.groups.length === 0 && report.refused_before_launch.jobs === 0) {
    io.err('no jobs in this period');
    return;
  }
  io.out(renderSpendReport(report, { chart: io.stdoutIsTerminal, color: io.colorOut }));
}

const CSV_COLUMNS = [
  'key',
  'jobs',
  'billed_hours',
  'spend_usd',
  'failed_spend_usd',
  'quoted_usd',
  'quote_error_pct',
] as const;

/** One row per group under a header; a group's key is quoted when it holds a comma, a quote or a line break. */
function reportCsv(report: SpendReport): string {
  const cell = (value: string | number | null): string => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [
    CSV_COLUMNS.join(','),
    ...report.groups.map((group) => CSV_COLUMNS.map((column) => cell(group[column])).join(',')),
  ].join('\n');
}

function groupingOf(flag: string | undefined): ReportGrouping {
  if (flag === undefined) return 'backend';
  if (isReportGrouping(flag)) return flag;
  throw new UsageError(`--by must be one of ${REPORT_GROUPINGS.join(', ')}, not '${flag}'`);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A date (its start, UTC), a time (ISO 8601), or a duration back from now (`30d`, `12h`). */
function parseSince(text: string, now: Date): string {
  const moment = parseMoment(text);
  if (moment) return moment.start;
  const parsed = parseDuration(text);
  if (parsed.ok) return new Date(now.getTime() - parsed.seconds * 1000).toISOString();
  throw new UsageError(
    `--since takes a date (2026-12-01), a time (2026-12-01T09:00Z) or a duration back from now (30d, 12h), ` +
      `not '${text}'${parsed.suggestion ? `; did you mean --since ${parsed.suggestion}?` : ''}`,
  );
}

/** A date counts whole (up to the next day's start, UTC); a time counts as given. */
function parseUntil(text: string): string {
  const moment = parseMoment(text);
  if (moment) return moment.end;
  throw new UsageError(`--until takes a date (2026-12-01) or a time (2026-12-01T09:00Z), not '${text}'`);
}

/** `start`: the moment (a date's midnight UTC); `end`: the same, or, for a date, the next day's midnight. */
function parseMoment(text: string): { start: string; end: string } | undefined {
  const trimmed = text.trim();
  if (DATE.test(trimmed)) {
    const start = new Date(`${trimmed}T00:00:00.000Z`);
    if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== trimmed) return undefined;
    return { start: start.toISOString(), end: new Date(start.getTime() + 86_400_000).toISOString() };
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    const iso = new Date(at).toISOString();
    return { start: iso, end: iso };
  }
  return undefined;
}

import type { ReportGroup, SpendReport } from '../core/spend-report.js';
import { formatUsd, table } from './format.js';
import { style } from './style.js';
import { visibleField } from './visible-text.js';

/** The widest bar of the chart, in characters. */
const BAR_WIDTH = 40;

export interface ReportView {
  /** Draw the bar chart of spend per group (on a terminal only). */
  readonly chart: boolean;
  readonly color: boolean;
}

/** `dlrun report` for people: the table of groups with its totals, the chart, and the refused submits. */
export function renderSpendReport(report: SpendReport, view: ReportView): string {
  const range = `${report.since ? `since ${report.since}` : 'from the first job'}, ${
    report.until ? `until ${report.until}` : 'until now'
  }`;
  const row = (group: ReportGroup): string[] => [
    // A name or an owner came from a job file or another machine: shown, never obeyed by the terminal.
    visibleField(group.key),
    String(group.jobs),
    group.billed_hours.toFixed(2),
    formatUsd(group.spend_usd),
    formatUsd(group.failed_spend_usd),
    group.quoted_usd > 0 ? formatUsd(group.quoted_usd) : '-',
    percent(group.quote_error_pct),
  ];
  const lines = [`spend by ${report.by}, ${range} (UTC)`];
  if (report.groups.length) {
    lines.push(
      table(
        [report.by.toUpperCase(), 'JOBS', 'BILLED H', 'SPEND', 'FAILED/CANCELLED', 'QUOTED', 'VS QUOTE'],
        [
          ...report.groups.map(row),
          row({
            key: 'total',
            jobs: report.groups.reduce((sum, group) => sum + group.jobs, 0),
            billed_hours: report.total_billed_hours,
            spend_usd: report.total_usd,
            failed_spend_usd: report.total_failed_usd,
            quoted_usd: report.total_quoted_usd,
            quote_error_pct: report.total_quote_error_pct,
          }),
        ],
      ),
    );
    lines.push(
      `what mistakes cost (failed, cancelled, timed out, preempted, lost): ${formatUsd(report.total_failed_usd)}` +
        ` of ${formatUsd(report.total_usd)}`,
    );
    if (view.chart) lines.push('', spendChart(report.groups, view.color));
  } else lines.push('no jobs in this period');
  const refused = report.refused_before_launch;
  lines.push(
    refused.jobs === 0
      ? 'refused before launch: none'
      : `refused before launch: ${refused.jobs} submit${refused.jobs === 1 ? '' : 's'} the validator stopped, ` +
          `about ${formatUsd(refused.estimated_saved_usd)} saved at one failed start each`,
  );
  return lines.join('\n');
}

/**
 * One bar per group, as long as its spend against the largest; the part spent on jobs that went wrong drawn apart
 * (`▒`, red when colour is on), so the chart reads without colour too.
 */
export function spendChart(groups: readonly ReportGroup[], color: boolean): string {
  const paint = style(color);
  const largest = Math.max(0, ...groups.map((group) => group.spend_usd));
  const keyWidth = Math.max(...groups.map((group) => visibleField(group.key).length));
  return groups
    .map((group) => {
      const whole = largest > 0 ? Math.round((group.spend_usd / largest) * BAR_WIDTH) : 0;
      const failed =
        group.spend_usd > 0 ? Math.min(whole, Math.round((group.failed_spend_usd / group.spend_usd) * whole)) : 0;
      const bar = paint.blue('█'.repeat(whole - failed)) + paint.red('▒'.repeat(failed));
      return `${visibleField(group.key).padEnd(keyWidth)}  ${bar}${whole ? ' ' : ''}${formatUsd(group.spend_usd)}`;
    })
    .concat(`${' '.repeat(keyWidth)}  █ spend  ▒ of it on jobs that went wrong`)
    .join('\n');
}

function percent(value: number | null): string {
  if (value === null) return '-';
  return `${value > 0 ? '+' : ''}${value.toFixed(1)}%`;
}

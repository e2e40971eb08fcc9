import { PHASES } from '../backend/job-state.js';
import type { JobRecord } from '../core/job-record.js';
import { formatSeconds, formatTime, formatUsd, table } from './format.js';
import { visibleField } from './visible-text.js';

export function renderJobTable(records: readonly JobRecord[]): string {
  return table(
    ['JOB ID', 'BACKEND', 'STATE', 'PHASE', 'ELAPSED', 'COST', 'SUBMITTED (UTC)'],
    records.map((record) => [
      record.job_id,
      record.backend,
      record.state,
      // The phase it is in, or the one it failed in.
      record.phase ?? record.failed_phase ?? '-',
      formatSeconds(record.elapsed_s),
      formatUsd(record.cost_so_far_usd),
      formatTime(record.submitted_at),
    ]),
  );
}

/** One job, one field a line; for a job that went wrong, the phase it failed in and how its output ended. */
export function renderJobDetail(record: JobRecord, lastOutput?: readonly string[]): string {
  const phases = PHASES.filter((phase) => record.phases[phase] > 0 || phase === record.phase)
    .map((phase) => `${phase} ${formatSeconds(record.phases[phase])}${phase === record.phase ? ' (now)' : ''}`)
    .join(', ');
  const rows: [string, string][] = [
    ['job', record.job_id],
    ['backend', record.backend],
    // The provider's words and the machine's end reason are shown, never obeyed by the terminal.
    ['state', `${record.state}${record.provider_state ? ` (provider: ${visibleField(record.provider_state)})` : ''}`],
    ['external id', visibleField(record.external_id ?? '-')],
    ['submitted', formatTime(record.submitted_at)],
    ['started', formatTime(record.started_at)],
    ['ended', formatTime(record.ended_at)],
    ['elapsed', formatSeconds(record.elapsed_s)],
    ['phases', phases || '-'],
    ['cost so far', formatUsd(record.cost_so_far_usd)],
    ['exit code', record.exit_code === null ? '-' : String(record.exit_code)],
    ['why it ended', visibleField(record.end_reason ?? '-')],
    ...(record.failed_phase ? [['failed in', record.failed_phase] as [string, string]] : []),
    ['job file', visibleField(record.job_file)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const fields = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
  return lastOutput?.length ? `${fields}\n${lastOutputBlock(lastOutput)}` : fields;
}

/**
 * The end of a job's output, set off from dlrun's own lines; the caller shows it on a terminal as text, never obeyed.
 */
export function lastOutputBlock(lines: readonly string[]): string {
  return [
    `last ${lines.length === 1 ? 'line' : `${lines.length} lines`} of its output:`,
    ...lines.map((line) => `  | ${line}`),
  ].join('\n');
}

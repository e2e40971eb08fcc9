import { PHASES } from '../backend/job-state.js';
import type { JobRecord } from '../core/job-record.js';
import { thisHost } from '../core/job-owner.js';
import { formatSeconds, formatTime, formatUsd, table } from './format.js';
import { visibleField } from './visible-text.js';

/** The longest host name the OWNER column shows whole; a longer one is cut, with `…`. */
const HOST_WIDTH = 20;

export function renderJobTable(records: readonly JobRecord[], here: string = thisHost()): string {
  return table(
    ['JOB ID', 'OWNER', 'BACKEND', 'STATE', 'PHASE', 'ELAPSED', 'COST', 'SUBMITTED (UTC)'],
    records.map((record) => [
      record.job_id,
      ownerCell(record, here),
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

/**
 * Who launched the job: the owner alone for a job launched on this host, `owner@host` for one launched on another
 * (the host's first label: `gpu-box` for `gpu-box.lab.example.com`, cut when still long), `-` when unknown (a job
 * recorded before owners were). Names come from other people's machines: shown, never obeyed by the terminal.
 */
export function ownerCell(record: Pick<JobRecord, 'owner' | 'host'>, here: string): string {
  const owner = record.owner ?? '-';
  if (record.host === null || record.host === here) return visibleField(owner);
  return visibleField(`${owner}@${shortHost(record.host)}`);
}

function shortHost(host: string): string {
  // An address is not cut at its dots.
  const first = /^[\d.]+$/.test(host) || host.includes(':') ? host : (host.split('.')[0] ?? host);
  return first.length > HOST_WIDTH ? `${first.slice(0, HOST_WIDTH - 1)}…` : first;
}

/**
 * One job, one field a line; for a job that went wrong, the phase it failed in and how its output ended.
 * `onlyFrom`: the host that alone can reach the job, when it is not this one (its state is the last one known).
 */
export function renderJobDetail(record: JobRecord, lastOutput?: readonly string[], onlyFrom?: string): string {
  const phases = PHASES.filter((phase) => record.phases[phase] > 0 || phase === record.phase)
    .map((phase) => `${phase} ${formatSeconds(record.phases[phase])}${phase === record.phase ? ' (now)' : ''}`)
    .join(', ');
  const rows: [string, string][] = [
    ['job', record.job_id],
    ['backend', record.backend],
    ['owner', visibleField(record.owner ?? 'unknown (recorded before dlrun kept owners)')],
    [
      'host',
      onlyFrom !== undefined
        ? `${visibleField(onlyFrom)} (refreshed only from there: its state is the last one known here)`
        : visibleField(record.host ?? 'unknown'),
    ],
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

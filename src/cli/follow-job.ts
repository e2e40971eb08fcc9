import type { LedgerId } from '../backend/job-id.js';
import { PHASES } from '../backend/job-state.js';
import type { BackendName } from '../spec/backend-names.js';
import type { Config } from '../config.js';
import { backendContext } from '../core/backend-context.js';
import { loadBackend } from '../core/backends.js';
import type { JobRecord } from '../core/job-record.js';
import { handleOf } from '../core/job-handle.js';
import { watchJob } from '../core/watch-job.js';
import { launchLedgerId, type Ledger, type StoredJob } from '../ledger/ledger.js';
import { formatSeconds, formatUsd } from './format.js';
import type { CliIo } from './io.js';
import { LiveLine } from './live-line.js';
import { visibleField } from './visible-text.js';

/** The live line: state and phase, elapsed per phase so far, cost so far. */
export function statusText(record: JobRecord): string {
  const phases = PHASES.filter((phase) => record.phases[phase] > 0 || phase === record.phase)
    .map((phase) => `${phase} ${formatSeconds(record.phases[phase])}`)
    .join(', ');
  return (
    `${record.job_id}: ${record.state}${record.phase ? ` (${record.phase})` : ''} | ` +
    `${phases || 'starting'} | ${formatUsd(record.cost_so_far_usd)} so far`
  );
}

/**
 * `submit --wait`: follow a job to its end, its output and a live status line on stderr. Resolves with the
 * ended job; rejects with an AbortError on Ctrl-C (the job goes on).
 */
export async function followJob(
  ledger: Ledger,
  job: StoredJob,
  config: Config,
  io: CliIo,
  signal: AbortSignal,
): Promise<StoredJob> {
  const line = new LiveLine((text) => process.stderr.write(text), io.stderrIsTerminal);
  const logs = streamOutput(job, config, launchLedgerId(job, ledger), line, signal);
  try {
    const ended = await watchJob(
      ledger,
      job,
      config,
      (record, warnings) => {
        for (const warning of warnings) line.output(`dlrun: ${visibleField(warning)}\n`);
        line.update(statusText(record));
      },
      signal,
    );
    await logs;
    return ended;
  } finally {
    line.finish();
  }
}

async function streamOutput(
  job: StoredJob,
  config: Config,
  ledgerId: LedgerId,
  line: LiveLine,
  signal: AbortSignal,
): Promise<void> {
  const backend = await loadBackend(job.backend as BackendName);
  if (!backend.logs) return;
  const handle = handleOf(job, backend);
  try {
    for await (const chunk of backend.logs(handle, { follow: true, signal }, backendContext(config, ledgerId, signal)))
      line.output(chunk.text);
  } catch (error) {
    if (!signal.aborted)
      line.output(`dlrun: the job's output could not be read: ${visibleField((error as Error).message)}\n`);
  }
}

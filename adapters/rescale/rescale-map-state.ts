import type { JobId } from '../../src/backend/job-id.js';
import type { JobResult } from '../../src/backend/job-result.js';
import type { JobState, Phase } from '../../src/backend/job-state.js';
import type { PhaseMarkers } from '../../src/backend/phase-markers.js';
import { boundedPhases } from '../../src/backend/time-bounds.js';
import type { JobStatus } from '../../src/backend/training-backend.js';

/** One entry of a job's status history (`GET /api/v2/jobs/{id}/statuses/`, newest first) [V]. */
export interface RescaleStatusEntry {
  readonly status?: string | null;
  readonly statusDate?: string | null;
  readonly statusReason?: string | null;
}

export interface RescaleJobView {
  readonly jobId: JobId;
  /** The job's current status (`jobStatus.content` of the jobs list, or the newest history entry). */
  readonly current: RescaleStatusEntry;
  /** The status history when it was read (any order); absent when only the list's current status is known. */
  readonly history?: readonly RescaleStatusEntry[];
  /** Node 0's `result` file, once the job ended and it was read: the run's exit code. */
  readonly result?: JobResult;
  /** The bootstrap's markers, when they were read: they split setup from run. */
  readonly markers?: Pick<PhaseMarkers, 'phaseStartedAt' | 'current'>;
  /** The job's limit in seconds, to tell Rescale's own stop at walltime from a user's stop. */
  readonly stopAfterSeconds?: number | null;
  readonly stopReason?: string | null;
  readonly observedAt: string;
}

export const RESCALE_TERMINAL = new Set(['Completed', 'Failed', 'Stopped', 'Force Stopped', 'Terminated']);

/** UNCONFIRMED: how Rescale words a job stopped at its walltime; these words, or a stop past the limit, count. */
const WALLTIME_WORDS = /wall ?time|time ?limit|max(imum)? (run)?time/i;

/** A status date as an ISO string, or undefined when it is none. */
export function statusTime(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? new Date(at).toISOString() : undefined;
}

/** When each status was first entered, from the history (oldest entry of each name). */
function firstEntered(history: readonly RescaleStatusEntry[] | undefined): Map<string, string> {
  const entered = new Map<string, string>();
  for (const entry of history ?? []) {
    const at = statusTime(entry.statusDate);
    const name = entry.status ?? '';
    if (!at || !name) continue;
    const before = entered.get(name);
    if (!before || at < before) entered.set(name, at);
  }
  return entered;
}

/**
 * The job's state from Rescale's status, with Rescale's word kept; phases from the history's dates (queued from
 * Queued, provisioning from Started, setup from Executing) and the bootstrap's markers (run, teardown).
 * A `Completed` job whose command failed is `failed`, from the result's exit code: Rescale's Completed does not say
 * the command succeeded [V].
 */
export function mapRescaleJob(view: RescaleJobView): JobStatus {
  const providerState = view.current.status || 'Unknown';
  const reason = view.current.statusReason?.trim() || undefined;
  const entered = firstEntered([...(view.history ?? []), view.current]);
  const phases = phasesOf(view, entered);
  const endedAt = statusTime(view.current.statusDate) ?? view.observedAt;
  const base = { jobId: view.jobId, providerState, observedAt: view.observedAt, phaseStartedAt: phases };
  const active = (state: JobState, phase: Phase, message?: string): JobStatus => ({
    ...base,
    state,
    phase,
    ...(message ? { message } : {}),
  });
  const ending = (state: JobState, message: string, exitCode?: number): JobStatus => ({
    ...base,
    state,
    endedAt: view.result?.endedAt ?? endedAt,
    message,
    ...(exitCode !== undefined ? { exitCode } : {}),
  });
  const exitCode = view.result?.exitCode;
  switch (providerState) {
    case 'Pending':
      // Created, not submitted: a submit that stopped between the two (status settles it).
      return active('submitting', 'queued', 'the Rescale job is created but not submitted');
    case 'Queued':
      return active('pending', 'queued');
    case 'Started':
    case 'Validated':
      return active('provisioning', 'provisioning');
    case 'Executing':
      return active('running', view.markers?.current ?? (phases.run ? 'run' : 'setup'));
    case 'Stopping':
      // Its machines may still bill until Rescale says Stopped.
      return active('running', view.markers?.current ?? 'teardown', 'Rescale is stopping the job');
    case 'Completed': {
      if (view.result?.limitReached) return ending('timed_out', limitMessage(view, reason), exitCode);
      if (exitCode !== undefined && exitCode !== 0)
        return ending('failed', view.result?.reason ?? `the run exited with status ${exitCode}`, exitCode);
      if (view.result?.state === 'stopped' || view.result?.state === 'cancelled')
        return ending('cancelled', view.result.reason ?? 'the job was stopped', exitCode);
      return ending('succeeded', 'the job finished', exitCode ?? 0);
    }
    case 'Stopped':
    case 'Force Stopped':
    case 'Terminated': {
      if (reachedLimit(view, entered, endedAt, reason))
        return ending('timed_out', limitMessage(view, reason), exitCode);
      if (providerState === 'Terminated')
        return ending('failed', reason ? `Rescale terminated the job (${reason})` : 'Rescale terminated the job');
      return ending('cancelled', reason ? `the job was stopped (${reason})` : 'the job was stopped', exitCode);
    }
    case 'Failed':
      return ending('failed', reason ?? view.result?.reason ?? 'Rescale reports the job failed and gives no reason');
    default:
      return active('pending', 'queued', `Rescale reports the status ${providerState}, which dlrun does not know`);
  }
}

function limitMessage(view: RescaleJobView, reason: string | undefined): string {
  const limit = view.stopReason ?? 'its limit';
  return `Rescale stopped the job at ${limit}${reason ? ` (${reason})` : ''}`;
}

function reachedLimit(
  view: RescaleJobView,
  entered: ReadonlyMap<string, string>,
  endedAt: string,
  reason: string | undefined,
): boolean {
  if (view.result?.limitReached) return true;
  if (reason && WALLTIME_WORDS.test(reason)) return true;
  const limit = view.stopAfterSeconds;
  const started = entered.get('Executing');
  if (limit === null || limit === undefined || !started) return false;
  return (Date.parse(endedAt) - Date.parse(started)) / 1000 >= limit;
}

function phasesOf(view: RescaleJobView, entered: ReadonlyMap<string, string>): Partial<Record<Phase, string>> {
  const phases: Partial<Record<Phase, string>> = {};
  const queued = entered.get('Queued');
  const started = entered.get('Started');
  const executing = entered.get('Executing');
  if (queued) phases.queued = queued;
  if (started) phases.provisioning = started;
  if (!executing) return phases;
  const ended = RESCALE_TERMINAL.has(view.current.status ?? '') ? statusTime(view.current.statusDate) : undefined;
  const marked = boundedPhases(view.markers?.phaseStartedAt, executing, ended ?? view.observedAt);
  delete marked.queued;
  delete marked.provisioning;
  return { ...phases, setup: executing, ...marked };
}

import type { Phase } from './job-state.js';

/**
 * The markers the job wrapper writes on every backend (templates/bootstrap/job-wrapper.sh): lines such as
 * "1764140000.123456 phase setup" and "... error workdir-missing". Every adapter reads them the same way.
 */
export interface PhaseMarkers {
  /** When each phase began (ISO 8601). */
  readonly phaseStartedAt: Partial<Record<Phase, string>>;
  /** The phase the job is in now. */
  readonly current: Phase | undefined;
  /** `workdir-missing` when the wrapper found no workdir. */
  readonly error: string | undefined;
}

const PHASE_LINE = /^(\d+(?:\.\d+)?) phase (setup|run|teardown)$/;
const ERROR_LINE = /^\d+(?:\.\d+)? error (\S+)$/;

export function parseMarkers(text: string | undefined): PhaseMarkers {
  const phaseStartedAt: Partial<Record<Phase, string>> = {};
  let current: Phase | undefined;
  let error: string | undefined;
  for (const line of (text ?? '').split('\n')) {
    const phase = PHASE_LINE.exec(line.trim());
    // Anything on the machine can write here: a time no Date can hold (1e20 s) is no marker, not a crash.
    const at = phase ? new Date(Number(phase[1]) * 1000) : undefined;
    if (phase && at && Number.isFinite(at.getTime())) {
      current = phase[2] as Phase;
      phaseStartedAt[current] ??= at.toISOString();
    }
    error = ERROR_LINE.exec(line.trim())?.[1] ?? error;
  }
  return { phaseStartedAt, current, error };
}

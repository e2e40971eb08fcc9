import { readFileSync } from 'node:fs';
import type { Phase } from '../../src/backend/job-state.js';

export interface Markers {
  /** When each phase began (ISO 8601), from the wrapper's `phase <name>` lines. */
  readonly phaseStartedAt: Partial<Record<Phase, string>>;
  /** The phase the job is in now. */
  readonly current: Phase | undefined;
  /** `workdir-missing` when the wrapper found no workdir. */
  readonly error: string | undefined;
}

const PHASE_LINE = /^(\d+(?:\.\d+)?) phase (setup|run|teardown)$/;
const ERROR_LINE = /^\d+(?:\.\d+)? error (\S+)$/;

/** Read the markers the job wrapper (templates/bootstrap/job-wrapper.sh) wrote; a missing file means none yet. */
export function readMarkers(file: string): Markers {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { phaseStartedAt: {}, current: undefined, error: undefined };
  }
  const phaseStartedAt: Partial<Record<Phase, string>> = {};
  let current: Phase | undefined;
  let error: string | undefined;
  for (const line of text.split('\n')) {
    const phase = PHASE_LINE.exec(line);
    if (phase) {
      current = phase[2] as Phase;
      phaseStartedAt[current] ??= new Date(Number(phase[1]) * 1000).toISOString();
    }
    error = ERROR_LINE.exec(line)?.[1] ?? error;
  }
  return { phaseStartedAt, current, error };
}

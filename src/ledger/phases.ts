import { PHASES, isTerminal, type Phase } from '../backend/job-state.js';
import type { JobEvent, PhaseSeconds } from './ledger.js';

export function emptyPhases(): PhaseSeconds {
  return Object.fromEntries(PHASES.map((phase) => [phase, 0])) as PhaseSeconds;
}

/**
 * Seconds spent in each phase, from the job's events: a phase lasts from the event that began it to the event
 * that began the next one, and the job's end closes the last. A job still going counts up to `now`. Events are
 * ordered by when they happened; a machine clock that runs behind ours cannot make a phase negative.
 */
export function phaseSeconds(events: readonly JobEvent[], now: Date): PhaseSeconds {
  const totals = emptyPhases();
  // By instant, not as text: reporters differ in offset and precision (`12:02:00+02:00`, `10:00:00Z`, `10:00:00.250Z`).
  const ordered = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id - b.id);
  let current: Phase | undefined;
  let since = 0;
  const close = (at: number): void => {
    if (current !== undefined) totals[current] += Math.max(0, at - since) / 1000;
  };
  for (const event of ordered) {
    const at = Date.parse(event.at);
    if (event.state !== null && isTerminal(event.state)) {
      close(at);
      current = undefined;
      continue;
    }
    if (event.phase !== null && event.phase !== current) {
      close(at);
      current = event.phase;
      since = at;
    }
  }
  close(now.getTime());
  for (const phase of PHASES) totals[phase] = Math.round(totals[phase] * 1000) / 1000;
  return totals;
}

/**
 * The phase a job was in when it ended without success: the last phase it began before its end, teardown aside
 * (teardown follows any end). From the events when there are any, else from the stored seconds per phase.
 */
export function lastWorkingPhase(events: readonly JobEvent[], finalPhases: PhaseSeconds | null): Phase {
  const begun = [...events]
    .filter((event) => event.phase !== null && event.phase !== 'teardown')
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id - b.id);
  if (begun.length) return begun.at(-1)!.phase!;
  const spent = PHASES.filter((phase) => phase !== 'teardown' && (finalPhases?.[phase] ?? 0) > 0);
  return spent.at(-1) ?? 'queued';
}

/**
 * Job states of JOB-SPEC.md section 3, in the order a job normally moves through them.
 * - `submitting`: the ledger row is written, the provider has not confirmed the launch yet.
 * - `pending`: accepted, waiting for capacity or a queue.   - `provisioning`: the machine is starting.
 * - `running`: setup and run (the phase says which).
 * - ends: `succeeded`, `failed`, `cancelled`, `preempted` (the provider took the machine back), `timed_out`
 *   (max_runtime or max_cost reached), `lost` (the provider has no trace of a job whose submit never completed).
 */
export const JOB_STATES = [
  'submitting',
  'pending',
  'provisioning',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'preempted',
  'timed_out',
  'lost',
] as const;
export type JobState = (typeof JOB_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<JobState> = new Set([
  'succeeded',
  'failed',
  'cancelled',
  'preempted',
  'timed_out',
  'lost',
]);

export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.has(state);
}

export function isJobState(value: string): value is JobState {
  return (JOB_STATES as readonly string[]).includes(value);
}

/**
 * Whether a job may move from one state to another. A finished job stays finished, so a late or duplicate
 * report (a poll racing a cancel) cannot rewrite how it ended; the one exception is `lost`, which reconcile
 * may correct when the provider turns out to know the job after all.
 */
export function canTransition(from: JobState, to: JobState): boolean {
  if (from === to) return false;
  if (from === 'lost') return true;
  if (isTerminal(from)) return false;
  // Active states may be reported out of order by a provider (pending after provisioning, say): accept any.
  return to !== 'submitting';
}

/**
 * Phases that elapsed time is split into (`bill --json` and `status --json` report seconds per phase):
 * queued (waiting for capacity), provisioning (machine starting), setup, run, teardown (outputs, shutdown).
 */
export const PHASES = ['queued', 'provisioning', 'setup', 'run', 'teardown'] as const;
export type Phase = (typeof PHASES)[number];

export function isPhase(value: string): value is Phase {
  return (PHASES as readonly string[]).includes(value);
}

/** The phase a state implies when the provider reports no finer detail. */
export function phaseOfState(state: JobState): Phase | undefined {
  switch (state) {
    case 'submitting':
    case 'pending':
      return 'queued';
    case 'provisioning':
      return 'provisioning';
    case 'running':
      // Backends that report setup and run apart (bootstrap markers) say which; otherwise it is all `run`.
      return 'run';
    default:
      return undefined;
  }
}

import { canTransition, isTerminal, phaseOfState, type JobState, type Phase } from '../backend/job-state.js';
import type { JobChange } from './ledger.js';

export interface JobProgress {
  readonly state: JobState;
  readonly phase: Phase | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

export interface AppliedChange {
  /** The job after the change. */
  readonly progress: JobProgress;
  /** The state to record in the event: the new state, or null when the change did not move the job. */
  readonly eventState: JobState | null;
  /** The phase to record in the event, when the change began one. */
  readonly eventPhase: Phase | null;
}

/**
 * What a reported change does to a job, shared by every ledger implementation. A change to a state the job
 * cannot move to (a finished job reported running again) is kept as history (its provider state and message)
 * but moves nothing.
 */
export function applyChange(current: JobProgress, change: JobChange): AppliedChange {
  const moves = change.state !== undefined && canTransition(current.state, change.state);
  const state = moves ? change.state! : current.state;
  const ended = isTerminal(state);
  const impliedPhase = moves ? phaseOfState(state) : undefined;
  const phase = ended ? current.phase : (change.phase ?? impliedPhase ?? current.phase);
  // A machine that reports a phase past the queue has left it, whatever state was last recorded: a job whose submit
  // was killed may be seen first by its phases and then by its end, and it is billed from when it left the queue.
  const leftQueue =
    state === 'provisioning' || state === 'running' || (change.phase !== undefined && change.phase !== 'queued');
  return {
    progress: {
      state,
      phase,
      startedAt: current.startedAt ?? (leftQueue ? change.at : null),
      // Only a move ends a job (a correction of `lost` included); a late report to a finished job keeps its end.
      endedAt: ended ? (moves ? change.at : current.endedAt) : null,
    },
    eventState: moves ? state : null,
    eventPhase: !ended && phase !== current.phase ? phase : null,
  };
}

/** What `repeatsJob` compares a change with: the job as the ledger holds it. */
export interface RecordedJob extends JobProgress {
  readonly providerState: string | null;
  readonly externalId: string | null;
  readonly exitCode: number | null;
}

/**
 * True when a change only says again what the ledger already holds: no state to move to, no phase to begin, the
 * same provider state, external id and exit code. Two `dlrun status` running at once both see the job move and both
 * report it; the second report is then a repeat and records no event, so each change is in the history once. A
 * repeated report's message repeats the first's, so it adds nothing; a change with only a message (cancel requested)
 * is no repeat. `phaseRecorded`: the machine already reported this phase (an event from source machine): a second
 * refresh may report it again after the job has moved on to the next phase.
 */
export function repeatsJob(current: RecordedJob, change: JobChange, phaseRecorded: boolean): boolean {
  const same = <T>(reported: T | undefined, held: T | null): boolean => reported === undefined || reported === held;
  const reportsProgress = change.state !== undefined || change.phase !== undefined;
  return (
    same(change.state, current.state) &&
    (same(change.phase, current.phase) || (change.source === 'machine' && phaseRecorded)) &&
    same(change.providerState, current.providerState) &&
    same(change.externalId, current.externalId) &&
    same(change.exitCode, current.exitCode) &&
    (change.message === undefined || reportsProgress)
  );
}

/**
 * The message an event records: the change's own, or, for a change the job cannot make (a finished job reported
 * running again), what was reported and what was kept, in the same words on every ledger.
 */
export function eventMessage(
  current: Pick<JobProgress, 'state'>,
  change: JobChange,
  eventState: JobState | null,
): string | undefined {
  const ignored = change.state !== undefined && eventState === null && change.state !== current.state;
  return ignored
    ? `reported ${change.state} after the job was already ${current.state}; kept ${current.state}`
    : change.message;
}

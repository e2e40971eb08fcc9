import type { JobState, Phase } from '../backend/job-state.js';
import { costOf } from '../cost/price-snapshot.js';
import type { JobEvent, StoredJob } from '../ledger/ledger.js';
import type { PhaseSeconds } from '../ledger/ledger.js';
import { lastWorkingPhase, phaseSeconds } from '../ledger/phases.js';

/** Ended states that are not a success the user asked for: their record says in which phase it went wrong. */
const UNSUCCESSFUL: ReadonlySet<JobState> = new Set(['failed', 'timed_out', 'preempted', 'lost']);

export function isUnsuccessful(state: JobState): boolean {
  return UNSUCCESSFUL.has(state);
}

/**
 * A job as `status --json` and `submit --json` print it (JOB-SPEC.md section 3). Times are ISO 8601 in UTC,
 * durations in seconds, money in US dollars.
 */
export interface JobRecord {
  readonly job_id: string;
  readonly name: string;
  readonly backend: string;
  readonly state: JobState;
  readonly phase: Phase | null;
  readonly provider_state: string | null;
  readonly external_id: string | null;
  readonly submitted_at: string;
  readonly started_at: string | null;
  readonly ended_at: string | null;
  readonly elapsed_s: number;
  readonly phases: PhaseSeconds;
  /** The final bill's total once there is one; before that, run time so far at the price in force at launch. */
  readonly cost_so_far_usd: number | null;
  readonly exit_code: number | null;
  /** Why the job ended, once it has; null before. */
  readonly end_reason: string | null;
  /** The phase a failed, timed-out, preempted or lost job was in when it ended (`setup`, `run`...); null otherwise. */
  readonly failed_phase: Phase | null;
  readonly job_file: string;
  /** Who launched the job (`DLRUN_USER`, else the OS user); null for a job recorded before owners were. */
  readonly owner: string | null;
  /** The host it was launched from; null for a job recorded before hosts were. */
  readonly host: string | null;
}

export function jobRecord(job: StoredJob, events: readonly JobEvent[], now: Date): JobRecord {
  const end = job.endedAt ? Date.parse(job.endedAt) : now.getTime();
  return {
    job_id: job.jobId,
    name: job.name,
    backend: job.backend,
    state: job.state,
    phase: job.endedAt ? null : job.phase,
    provider_state: job.providerState,
    external_id: job.externalId,
    submitted_at: job.submittedAt,
    started_at: job.startedAt,
    ended_at: job.endedAt,
    elapsed_s: Math.max(0, Math.round((end - Date.parse(job.submittedAt)) / 100) / 10),
    phases: job.finalPhases ?? phaseSeconds(events, job.endedAt ? new Date(job.endedAt) : now),
    cost_so_far_usd: costSoFar(job, end),
    exit_code: job.exitCode,
    end_reason: job.endReason,
    failed_phase: UNSUCCESSFUL.has(job.state) ? lastWorkingPhase(events, job.finalPhases) : null,
    job_file: job.jobFile,
    owner: job.owner,
    host: job.host,
  };
}

/** The final bill's total once there is one; before that, run time until `end` (ms) at the price in force at launch. */
export function costSoFar(job: Pick<StoredJob, 'billedUsd' | 'price' | 'startedAt'>, end: number): number | null {
  if (job.billedUsd !== null) return job.billedUsd;
  if (!job.price) return null;
  if (!job.startedAt) return 0;
  return costOf((end - Date.parse(job.startedAt)) / 1000, job.price);
}

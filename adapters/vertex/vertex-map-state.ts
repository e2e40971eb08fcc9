import type { JobId } from '../../src/backend/job-id.js';
import type { JobState, Phase } from '../../src/backend/job-state.js';
import type { PhaseMarkers } from '../../src/backend/phase-markers.js';
import { boundedPhases } from '../../src/backend/time-bounds.js';
import type { JobStatus } from '../../src/backend/training-backend.js';

/**
 * The fields of a CustomJob (`customJobs.get`) the state is made of. `state` is a JobState enum name
 * (providers.md 2.3, job_state.proto); times are RFC 3339 with up to nanoseconds; `error` is a google.rpc.Status,
 * set on FAILED and CANCELLED.
 */
export interface VertexJobReport {
  readonly state?: string | null;
  readonly createTime?: string | null;
  /** The first time the job entered RUNNING. */
  readonly startTime?: string | null;
  /** Set when the job reached SUCCEEDED, FAILED or CANCELLED. */
  readonly endTime?: string | null;
  readonly updateTime?: string | null;
  readonly error?: { readonly code?: number | null; readonly message?: string | null } | null;
}

export interface VertexJobView {
  readonly jobId: JobId;
  readonly job: VertexJobReport;
  /** The bootstrap's markers (src/backend/phase-markers.ts), when they were read: they split setup from run. */
  readonly markers?: Pick<PhaseMarkers, 'phaseStartedAt' | 'current'> | undefined;
  /** The job's limit in seconds (scheduling.timeout), to tell Vertex's own stop at the limit from a cancel. */
  readonly stopAfterSeconds?: number | null;
  /** True when dlrun asked Vertex to cancel the job: a cancel then is the user's, even past the limit. */
  readonly cancelRequested?: boolean;
  readonly observedAt: string;
}

/** Every JobState value Vertex documents; anything else is handled as unknown. */
export const VERTEX_JOB_STATES = [
  'JOB_STATE_UNSPECIFIED',
  'JOB_STATE_QUEUED',
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLING',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_PAUSED',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_UPDATING',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
] as const;

/** google.rpc.Code DEADLINE_EXCEEDED. */
const DEADLINE_EXCEEDED = 4;
/**
 * UNCONFIRMED: how Vertex words a job stopped at scheduling.timeout. providers.md 2.3 says the job is cancelled
 * when the timeout is hit; the exact state (CANCELLED or FAILED), error code and message have not been seen on a
 * live job. Any of these words, or code DEADLINE_EXCEEDED, is taken as the limit.
 */
const TIMEOUT_WORDS = /\btimed? ?out\b|\btimeout\b|deadline exceeded/i;
/** UNCONFIRMED: the wording when a spot VM of the job was taken back and Vertex gave up on it. */
const PREEMPTED_WORDS = /preempt/i;

/**
 * An RFC 3339 time as an ISO string with milliseconds, or undefined when it is none. Vertex writes nanoseconds
 * (2024-01-01T00:00:00.123456789Z) and may write an offset; the digits past milliseconds are dropped, not rounded,
 * so a time never moves past the next event.
 */
export function parseRfc3339(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const millis = (match[3] ?? '').slice(0, 3).padEnd(3, '0');
  const zone = match[4]!.toUpperCase();
  const at = Date.parse(`${match[1]}T${match[2]}.${millis}${zone}`);
  return Number.isFinite(at) ? new Date(at).toISOString() : undefined;
}

/** The job's state from Vertex's report, its phases from Vertex's times and the bootstrap's markers. */
export function mapVertexJob(view: VertexJobView): JobStatus {
  const job = view.job;
  const providerState = job.state || 'JOB_STATE_UNSPECIFIED';
  const created = parseRfc3339(job.createTime);
  const started = parseRfc3339(job.startTime);
  const ended = parseRfc3339(job.endTime);
  const base = { jobId: view.jobId, providerState, observedAt: view.observedAt };
  const phases = phasesOf(view, created, started, ended);
  const endedAt = ended ?? view.observedAt;
  const errorMessage = job.error?.message?.trim() || undefined;
  // A job Vertex has not started yet waits (QUEUED) or is being given its machines (PENDING).
  const active = (message?: string): JobStatus => {
    const state: JobState = started ? 'running' : providerState === 'JOB_STATE_PENDING' ? 'provisioning' : 'pending';
    const phase: Phase = started
      ? (view.markers?.current ?? 'run')
      : state === 'provisioning'
        ? 'provisioning'
        : 'queued';
    return { ...base, state, phase, phaseStartedAt: phases, ...(message ? { message } : {}) };
  };
  const ending = (state: JobState, message: string): JobStatus => ({
    ...base,
    state,
    phaseStartedAt: phases,
    endedAt,
    message,
  });
  switch (providerState) {
    case 'JOB_STATE_QUEUED':
    case 'JOB_STATE_PENDING':
    case 'JOB_STATE_RUNNING':
      return active();
    case 'JOB_STATE_UPDATING':
      return active('Vertex is updating the job');
    case 'JOB_STATE_PAUSED':
      return active('Vertex has paused the job');
    case 'JOB_STATE_CANCELLING':
      // Still holding its machines, so still billing: active until Vertex says CANCELLED.
      return active('Vertex is cancelling the job');
    case 'JOB_STATE_SUCCEEDED':
      return ending('succeeded', 'the job finished');
    case 'JOB_STATE_FAILED':
    case 'JOB_STATE_CANCELLED': {
      if (reachedLimit(view, started, endedAt))
        return ending('timed_out', `Vertex stopped the job at its limit${errorMessage ? ` (${errorMessage})` : ''}`);
      if (providerState === 'JOB_STATE_CANCELLED')
        return ending('cancelled', errorMessage ? `the job was cancelled (${errorMessage})` : 'the job was cancelled');
      if (errorMessage && PREEMPTED_WORDS.test(errorMessage)) return ending('preempted', errorMessage);
      return ending('failed', errorMessage ?? 'Vertex reports the job failed and gives no reason');
    }
    case 'JOB_STATE_EXPIRED':
      return ending('failed', `Vertex let the job expire before it ran${errorMessage ? ` (${errorMessage})` : ''}`);
    case 'JOB_STATE_PARTIALLY_SUCCEEDED':
      return ending('failed', `only part of the job succeeded${errorMessage ? ` (${errorMessage})` : ''}`);
    default: {
      // JOB_STATE_UNSPECIFIED or a state this dlrun does not know: an end time says it ended, else it is active.
      const unknown = `Vertex reports the state ${providerState}, which dlrun does not know`;
      return ended ? ending('failed', `${unknown}; the job has ended`) : active(unknown);
    }
  }
}

function reachedLimit(view: VertexJobView, started: string | undefined, endedAt: string): boolean {
  const error = view.job.error;
  if (error?.code === DEADLINE_EXCEEDED || TIMEOUT_WORDS.test(error?.message ?? '')) return true;
  // A cancel dlrun did not ask for, at or past the limit, is Vertex's own stop (its wording is unconfirmed).
  if (view.cancelRequested || view.job.state !== 'JOB_STATE_CANCELLED') return false;
  const limit = view.stopAfterSeconds;
  if (limit === null || limit === undefined || !started) return false;
  return (Date.parse(endedAt) - Date.parse(started)) / 1000 >= limit;
}

/**
 * queued from createTime until startTime (Vertex does not say when provisioning began: the wait and the machines'
 * start are counted as queued); from startTime the container runs the bootstrap, which is setup; the markers,
 * kept between startTime and the end (or now), say when run and teardown began. Without markers it is all run.
 */
function phasesOf(
  view: VertexJobView,
  created: string | undefined,
  started: string | undefined,
  ended: string | undefined,
): Partial<Record<Phase, string>> {
  const phases: Partial<Record<Phase, string>> = created ? { queued: created } : {};
  if (!started) return phases;
  const marked = boundedPhases(view.markers?.phaseStartedAt, started, ended ?? view.observedAt);
  delete marked.queued;
  delete marked.provisioning;
  if (Object.keys(marked).length === 0) return { ...phases, run: started };
  return { ...phases, ...marked, setup: started };
}

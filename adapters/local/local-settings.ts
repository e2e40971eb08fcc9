import type { JobId, LedgerId } from '../../src/backend/job-id.js';

/** What `submit` hands the supervisor in job.json. Secret values are not here: they come on the supervisor's stdin. */
export interface LocalJobSettings {
  readonly jobId: JobId;
  readonly ledgerId: LedgerId;
  /** Variables for the job: `env` from job.yaml and the DLRUN_* variables. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * When the job is stopped (milliseconds since 1970), or null for no limit. Counted from submit, not from the
   * supervisor's start: the machine's time is billed from then, so max_cost holds for the whole bill.
   */
  readonly deadlineAt: number | null;
  /** Why the deadline is what it is, for the message when it is reached ("max_runtime 4h reached"). */
  readonly deadlineReason: string | null;
  readonly logLimitBytes: number;
  readonly stopGraceMs: number;
}

/** What the supervisor writes once the job's processes are running. */
export interface LocalProcesses {
  readonly supervisor: { readonly pid: number; readonly started: string };
  readonly job: { readonly pid: number; readonly started: string };
  /** The job's process group (its wrapper's pid): every process it starts stays in it unless it calls setsid. */
  readonly processGroup: number;
  readonly startedAt: string;
}

/** What the supervisor writes when the job has ended. */
export interface LocalResult {
  readonly state: 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly endedAt: string;
  readonly message: string;
  readonly droppedLogBytes: number;
}

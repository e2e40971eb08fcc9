import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminal } from '../backend/job-state.js';
import type { Config } from '../config.js';
import type { Ledger, StoredJob } from '../ledger/ledger.js';
import { jobRecord, type JobRecord } from './job-record.js';
import { refreshJobs } from './refresh-jobs.js';
import { watchIntervalOverride } from '../util/watch-interval.js';

/** How often a watched job is asked about: the local backend answers from files; clouds have rate limits. */
const POLL_INTERVAL_MS: Readonly<Record<string, number>> = { local: 100 };
const DEFAULT_POLL_INTERVAL_MS = 10_000;

/** `DLRUN_WATCH_INTERVAL_MS` overrides the pace for every backend (tests against stand-ins, impatient users). */
function pollIntervalOf(backend: string, config: Config): number {
  return watchIntervalOverride(config.env) ?? POLL_INTERVAL_MS[backend] ?? DEFAULT_POLL_INTERVAL_MS;
}

/**
 * Follow a job to its end, calling `onUpdate` with its record after every refresh. Resolves with the ended
 * job; rejects with an AbortError when `signal` is aborted (the CLI's Ctrl-C: the job goes on).
 */
export async function watchJob(
  ledger: Ledger,
  job: StoredJob,
  config: Config,
  onUpdate: (record: JobRecord, warnings: readonly string[]) => void,
  signal: AbortSignal,
): Promise<StoredJob> {
  let current = job;
  const interval = pollIntervalOf(job.backend, config);
  for (;;) {
    const refreshed = await refreshJobs(ledger, [current], config);
    current = refreshed.jobs[0]!;
    const events = (await ledger.eventsOf([current.jobId])).get(current.jobId) ?? [];
    onUpdate(jobRecord(current, events, new Date()), refreshed.warnings);
    if (isTerminal(current.state)) return current;
    await sleep(interval, undefined, { signal });
  }
}

import type { JobId } from '../../src/backend/job-id.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupExists, processGroupOf, processesOfJob, signalGroup, signalProcess } from './local-process.js';

/** How long a job gets to stop cleanly (save a checkpoint, flush a log) before it is killed. */
export const STOP_GRACE_MS = 10_000;

function signalAll(jobId: JobId, processGroup: number | undefined, signal: NodeJS.Signals): void {
  if (processGroup !== undefined) signalGroup(processGroup, signal);
  // Once per process: a second SIGTERM makes many trainers give up saving their checkpoint and quit at once.
  for (const pid of processesOfJob(jobId))
    if (processGroup === undefined || processGroupOf(pid) !== processGroup) signalProcess(pid, signal);
}

function anyLeft(jobId: JobId, processGroup: number | undefined): boolean {
  return (processGroup !== undefined && groupExists(processGroup)) || processesOfJob(jobId).length > 0;
}

/**
 * End every process of a job: its process group, and the daemons it started that left the group (found by the
 * job id in their environment). SIGTERM first, SIGKILL to whatever is left after the grace period. Without a
 * process group (it may now be another program's), only the processes carrying the job id are signalled.
 */
export async function stopJobProcesses(
  jobId: JobId,
  processGroup: number | undefined,
  graceMs: number = STOP_GRACE_MS,
): Promise<void> {
  signalAll(jobId, processGroup, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && anyLeft(jobId, processGroup)) await sleep(100);
  signalAll(jobId, processGroup, 'SIGKILL');
  // SIGKILL cannot be ignored; wait for the kernel to finish removing them so callers see a clean state.
  for (let attempt = 0; attempt < 50 && anyLeft(jobId, processGroup); attempt++) await sleep(20);
}

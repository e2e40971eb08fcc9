import { setTimeout as sleep } from 'node:timers/promises';
import { groupExists, processesOfJob, signalGroup, signalProcess } from './local-process.js';

/** How long a job gets to stop cleanly (save a checkpoint, flush a log) before it is killed. */
export const STOP_GRACE_MS = 10_000;

function signalAll(jobId: string, processGroup: number, signal: NodeJS.Signals): void {
  signalGroup(processGroup, signal);
  for (const pid of processesOfJob(jobId)) signalProcess(pid, signal);
}

function anyLeft(jobId: string, processGroup: number): boolean {
  return groupExists(processGroup) || processesOfJob(jobId).length > 0;
}

/**
 * End every process of a job: its process group, and the daemons it started that left the group (found by the
 * job id in their environment). SIGTERM first, SIGKILL to whatever is left after the grace period.
 */
export async function stopJobProcesses(jobId: string, processGroup: number, graceMs: number = STOP_GRACE_MS): Promise<void> {
  signalAll(jobId, processGroup, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && anyLeft(jobId, processGroup)) await sleep(100);
  signalAll(jobId, processGroup, 'SIGKILL');
  // SIGKILL cannot be ignored; wait for the kernel to finish removing them so callers see a clean state.
  for (let attempt = 0; attempt < 50 && anyLeft(jobId, processGroup); attempt++) await sleep(20);
}

import type { JobId } from '../../src/backend/job-id.js';
import { readFileSync, readdirSync } from 'node:fs';

/** Send a signal to a whole process group; a group that is already gone is not an error. */
export function signalGroup(processGroup: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-processGroup, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Processes that carry the job's id in their environment: every process the job started, including daemons
 * that left its process group with setsid. Linux only (it reads /proc); elsewhere the process group is all we have.
 */
export function processesOfJob(jobId: JobId): number[] {
  // Anchored at both ends, so WATCHED_DLRUN_JOB_ID=<id> in an unrelated program's environment is no match.
  const marker = `\0DLRUN_JOB_ID=${jobId}\0`;
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}\0`.includes(marker) && isRunning(Number(entry)))
        found.push(Number(entry));
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

/** The process group a process is in, or undefined when it is gone (or there is no /proc). */
export function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * True while any live process of the group exists. Zombies do not count: they have ended, and whether their
 * parent reaps them (init in a container may not) says nothing about the job.
 */
export function groupExists(processGroup: number): boolean {
  try {
    process.kill(-processGroup, 0);
  } catch {
    return false;
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true; // no /proc (macOS): the signal test above is all there is
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === processGroup && fields[0] !== 'Z') return true;
    } catch {
      // Ended while we looked.
    }
  }
  return false;
}

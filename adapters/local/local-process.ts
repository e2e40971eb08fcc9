import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/**
 * A process as it can be recognised later: its id and when it started. A process id alone is not enough:
 * after a job ends (or the machine restarts) the same id may belong to an unrelated program.
 */
export interface ProcessIdentity {
  readonly pid: number;
  /** Opaque start time: clock ticks since boot plus the boot id on Linux, `ps` lstart elsewhere. */
  readonly started: string;
}

export function identify(pid: number): ProcessIdentity | undefined {
  const started = startTime(pid);
  return started === undefined ? undefined : { pid, started };
}

/** True when this very process (same id, same start time) is still running. */
export function isAlive(identity: ProcessIdentity): boolean {
  return startTime(identity.pid) === identity.started;
}

function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses); starttime is field 22 overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // a zombie has ended; only its exit status is left
    return `${bootId()}:${fields[19]}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux') return undefined;
  }
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return started || undefined;
  } catch {
    return undefined;
  }
}

let cachedBootId: string | undefined;
function bootId(): string {
  cachedBootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return cachedBootId;
}

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
export function processesOfJob(jobId: string): number[] {
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
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}\0`.includes(marker) && isRunning(Number(entry))) found.push(Number(entry));
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

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
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

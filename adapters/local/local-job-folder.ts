import type { JobId } from '../../src/backend/job-id.js';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A local job lives in `$DLRUN_HOME/jobs/<job id>/`: the copy of its workdir, the scripts, its output and the
 * files through which the detached supervisor reports (process.json when started, result.json when ended).
 * Everything the CLI later needs is on disk, so the job goes on and can be followed after the terminal closes.
 */
export interface LocalJobFolder {
  readonly root: string;
  readonly workdir: string;
  /** What the supervisor needs to run the job (no secret values). */
  readonly settings: string;
  readonly wrapper: string;
  readonly setupScript: string;
  readonly runScript: string;
  readonly log: string;
  /** The previous log, once the log grew past its limit. */
  readonly rotatedLog: string;
  readonly markers: string;
  readonly processes: string;
  readonly result: string;
  readonly cancelRequest: string;
  readonly supervisorLog: string;
  /** Space held on the job's disk while it runs, given back when it ends so its end can be recorded on a full disk. */
  readonly reserve: string;
}

export function jobsRoot(home: string): string {
  return path.join(home, 'jobs');
}

export function localJobFolder(home: string, jobId: JobId): LocalJobFolder {
  const root = path.join(jobsRoot(home), jobId);
  const at = (name: string): string => path.join(root, name);
  return {
    root,
    workdir: at('workdir'),
    settings: at('job.json'),
    wrapper: at('wrapper.sh'),
    setupScript: at('setup.sh'),
    runScript: at('run.sh'),
    log: at('output.log'),
    rotatedLog: at('output.log.1'),
    markers: at('markers'),
    processes: at('process.json'),
    result: at('result.json'),
    cancelRequest: at('cancel-requested'),
    supervisorLog: at('supervisor.log'),
    reserve: at('reserve'),
  };
}

/** Write JSON so that a reader never sees half of it: to a temporary file, then renamed over the target. */
export function writeJsonAtomically(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    // A full disk leaves an empty or partial temporary file: never leave it behind.
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The parsed JSON file, or undefined when it does not exist (yet). */
export function readJsonIfPresent<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

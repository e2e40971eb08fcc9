// Runs the Rescale job's command (templates/bootstrap/rescale-bootstrap.sh, as adapters/rescale/rescale-bootstrap.ts
// renders it) for real, as Rescale would: a shell runs the command string in a work directory that holds the input
// files, with the analysis' envVars in its environment.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { rescaleCommand } from '../../adapters/rescale/rescale-bootstrap.js';
import { markerLines, resultLines, runBootstrapChild, workdirArchiveOf } from './bootstrap-child.js';
import { tempDir } from './temp-dir.js';

export const WORKDIR_FILE = 'dlrun-workdir-3f9c2a.tar.gz';

export interface BootstrapOptions {
  readonly jobId: string;
  readonly run: string;
  readonly setup?: string;
  /** The job's env (DLRUN_BOOT_JOB_ENV); a value that is not a record is sent as it is, to be refused. */
  readonly env?: Record<string, string>;
  /** More envVars of the analysis (the job's secrets, DLRUN_BOOT_STOP_AFTER_SECONDS ...). */
  readonly envVars?: Record<string, string>;
  /** The workdir's files; false: no archive in the work directory at all. */
  readonly workdir?: Record<string, string> | false;
  /** Called with the work directory before the command starts (to leave files of an earlier run in it, say). */
  readonly beforeStart?: (workDir: string) => void;
  /** Called once the command is started, with its process id (the process Rescale would signal on a stop). */
  readonly whileRunning?: (run: StartedRun) => Promise<void>;
}

export interface StartedRun {
  readonly pid: number;
  /** The job's work directory (what Rescale collects). */
  readonly workDir: string;
}

export interface BootstrapRun extends StartedRun {
  readonly exitCode: number | null;
  /** The command's stdout and stderr (Rescale's process output). */
  readonly console: string;
  /** DLRUN_ROOT: where the workdir was unpacked, outside the work directory. */
  readonly root: string;
  /** A folder of the test's, outside both, for what a job wants to leave behind for the test. */
  readonly scratch: string;
}

function workdirArchive(t: TestContext, files: Record<string, string>): Buffer {
  return readFileSync(workdirArchiveOf(t, 'rescale', files));
}

/** Runs the command to its end (failing after 60 s); its processes are killed if the test ends first. */
export async function runBootstrap(t: TestContext, options: BootstrapOptions): Promise<BootstrapRun> {
  const folder = tempDir(t, 'dlrun-rescale-node-');
  const workDir = path.join(folder, 'work', 'shared');
  const root = path.join(folder, 'dlrun-job');
  const scratch = path.join(folder, 'scratch');
  mkdirSync(workDir, { recursive: true });
  mkdirSync(scratch);
  // Another input file, beside dlrun's: Rescale's own, say. The bootstrap leaves it alone.
  writeFileSync(path.join(workDir, 'notes.txt'), 'not dlrun’s\n');
  if (options.workdir !== false)
    writeFileSync(
      path.join(workDir, WORKDIR_FILE),
      workdirArchive(t, options.workdir ?? { 'data/input.txt': 'the training data\n' }),
    );
  options.beforeStart?.(workDir);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: folder,
    DLRUN_ROOT: root,
    RESCALE_API_KEY: 'rescale-key-of-the-account-7c1d',
    DLRUN_JOB_ID: options.jobId,
    DLRUN_BOOT_WORKDIR_FILE: WORKDIR_FILE,
    DLRUN_BOOT_SETUP: options.setup ?? '',
    DLRUN_BOOT_RUN: options.run,
    DLRUN_BOOT_JOB_ENV: JSON.stringify(options.env ?? {}),
    DLRUN_BOOT_OUTPUTS: 'outputs',
    DLRUN_GPUS_PER_NODE: '1',
    DLRUN_NUM_NODES: '1',
    ...options.envVars,
  };
  // sh, as Rescale's shell may be.
  const { whileRunning } = options;
  const { exitCode, console, pid } = await runBootstrapChild(t, {
    shell: 'sh',
    script: rescaleCommand(),
    cwd: workDir,
    env,
    hung: 'the command never ended; its output',
    ...(whileRunning ? { whileRunning: (started: number) => whileRunning({ pid: started, workDir }) } : {}),
  });
  return { exitCode, console, root, scratch, pid, workDir };
}

/** A file of the work directory's dlrun/ folder, as text ('' when there is none). */
export function dlrunFile(run: StartedRun, name: string): string {
  const file = path.join(run.workDir, 'dlrun', name);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** `state=...` lines of dlrun/result, as a record. */
export function resultOf(run: StartedRun): Record<string, string> {
  return resultLines(dlrunFile(run, 'result'));
}

/** The events of dlrun/markers, without their times. */
export function markerEvents(run: StartedRun): string[] {
  return markerLines(dlrunFile(run, 'markers'));
}

/** Every file left in a folder (what Rescale would collect), as paths relative to it. */
export function filesIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => !statSync(path.join(folder, name)).isDirectory())
    .sort();
}

/** dlrun/outputs.tar.gz, unpacked in a temporary folder. */
export function unpackedOutputs(t: TestContext, run: StartedRun): string {
  const archive = path.join(run.workDir, 'dlrun', 'outputs.tar.gz');
  if (!existsSync(archive)) throw new Error('no dlrun/outputs.tar.gz');
  const folder = tempDir(t, 'dlrun-rescale-outputs-');
  const unpacked = spawnSync('tar', ['-xzf', archive, '-C', folder], { encoding: 'utf8' });
  if (unpacked.status !== 0) throw new Error(`tar: ${unpacked.stderr}`);
  return folder;
}

/** Whether a process is still running (a zombie waiting for its parent is not). */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

// A provider's bootstrap run for real in a child shell, as the tests of every backend's bootstrap run it: its
// console collected, a hang failing the test, its processes killed if the test ends first.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { create } from 'tar';
import { defer } from './cleanup.js';
import { tempDir } from './temp-dir.js';

export interface BootstrapChild {
  /** `sh` or `bash`, as the provider's machine runs the script. */
  readonly shell: string;
  readonly script: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** The start of the failure when it never ends, e.g. `the command never ended; its output`. */
  readonly hung: string;
  /** Called once the script is started, with its process id. */
  readonly whileRunning?: (pid: number) => Promise<void>;
}

/** Runs the script to its end (failing after 60 s): its exit code, its stdout and stderr as one text, its pid. */
export async function runBootstrapChild(
  t: TestContext,
  options: BootstrapChild,
): Promise<{ exitCode: number | null; console: string; pid: number }> {
  // stdin closed: bash reads ~/.bashrc when its stdin is a socket, and node's pipes are sockets.
  const child = spawn(options.shell, ['-c', options.script], {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env,
  });
  defer(t, () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${options.hung}:\n${output}`)), 60_000);
  });
  try {
    if (options.whileRunning && child.pid) await Promise.race([options.whileRunning(child.pid), hung]);
    const exitCode = await Promise.race([exited, hung]);
    return { exitCode, console: output, pid: child.pid ?? 0 };
  } finally {
    clearTimeout(timer);
  }
}

/** A tar.gz of `files` (name: text), as the adapters pack a workdir; `name` tells the temporary folders apart. */
export function workdirArchiveOf(t: TestContext, name: string, files: Record<string, string>): string {
  const workdir = tempDir(t, `dlrun-${name}-workdir-`);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workdir, file)), { recursive: true });
    writeFileSync(path.join(workdir, file), text);
  }
  const archive = path.join(tempDir(t, `dlrun-${name}-archive-`), 'workdir.tar.gz');
  create({ gzip: true, cwd: workdir, file: archive, sync: true, portable: true }, ['.']);
  return archive;
}

/** The `state=...` lines of a result file, as a record. */
export function resultLines(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );
}

/** The events of a markers file, without their times. */
export function markerLines(text: string): string[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/^[0-9.]+ /, ''));
}

/** The DLRUN_* variables the job wrapper gives a one-node job's command (DLRUN_ROOT at `root`). */
export function oneNodeVariables(backend: string, jobId: string, root: string): Record<string, string> {
  const workdir = path.join(root, 'workdir');
  return {
    DLRUN_JOB_ID: jobId,
    DLRUN_BACKEND: backend,
    DLRUN_WORKDIR: workdir,
    DLRUN_OUTPUT_DIR: path.join(workdir, 'outputs'),
    DLRUN_NUM_NODES: '1',
    DLRUN_NODE_RANK: '0',
    DLRUN_MASTER_ADDR: '127.0.0.1',
    DLRUN_MASTER_PORT: '29500',
    DLRUN_GPUS_PER_NODE: '1',
    DLRUN_JOB_DIR: path.join(root, 'job'),
  };
}

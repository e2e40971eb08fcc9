import { spawn } from 'node:child_process';
import type { PlacementGroupsMock } from '../standins/ec2-placement-groups-mock.mjs';
import { CLI_BIN } from './paths.js';

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd: string;
  /** DLRUN_HOME for this run; every end-to-end test uses a temporary one, never the user's. */
  readonly home: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Run the command through this wrapper (e.g. setpriv to drop privileges). */
  readonly wrapper?: readonly string[];
  /** Kill the command after this long, so a hang ends as a failed run (signal SIGKILL) instead of blocking. */
  readonly timeoutMs?: number;
  /** Variables the command must not get at all, not even the defaults above (DLRUN_HOME, to test its default). */
  readonly unset?: readonly string[];
  /**
   * The placement group mock of the test (mockPlacementGroups, test/standins/ec2-client-mocks.ts), installed in the
   * command too (`node --import` of its preload), on the same groups: moto has no placement groups.
   */
  readonly placementGroups?: Pick<PlacementGroupsMock, 'child'>;
}

/** The command line and the environment of a child `dlrun`, as runCli and startCli start it. */
function childCommand(
  args: readonly string[],
  options: CliOptions,
): { command: string[]; env: Record<string, string> } {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.home,
    DLRUN_HOME: options.home,
    ...options.env,
    ...options.placementGroups?.child.env,
  };
  for (const name of options.unset ?? []) delete env[name];
  const execArgv = options.placementGroups?.child.execArgv ?? [];
  return { command: [...(options.wrapper ?? []), process.execPath, ...execArgv, CLI_BIN, ...args], env };
}

/**
 * Run the built `dlrun` in a child process, as a user would, with a clean environment: no colour settings,
 * no cloud credentials from the machine, and this test's DLRUN_HOME.
 */
export function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const { command, env } = childCommand(args, options);
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A dlrun process a test talks to while it runs: read its output as it comes, send it signals. */
export interface RunningCli {
  readonly pid: number;
  output(): { stdout: string; stderr: string };
  /** Resolves when stderr (or stdout) matches; rejects if the process ends first. */
  waitForOutput(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<string>;
  signal(signal: NodeJS.Signals, wholeGroup?: boolean): void;
  readonly exited: Promise<CliResult>;
}

export function startCli(args: readonly string[], options: CliOptions & { detached?: boolean }): RunningCli {
  const { command, env } = childCommand(args, options);
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const buffers = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffers.stdout += chunk;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    buffers.stderr += chunk;
    notify();
  });
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, ...buffers });
      notify();
    });
  });
  let closed = false;
  void exited.then(() => (closed = true));
  return {
    pid: child.pid!,
    output: () => ({ ...buffers }),
    waitForOutput: (pattern, stream = 'stderr') =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(buffers[stream]);
          if (match) {
            listeners.delete(check);
            resolve(match[0]);
          } else if (closed) {
            listeners.delete(check);
            reject(new Error(`dlrun ended before printing ${pattern}; stderr: ${buffers.stderr}`));
          }
        };
        listeners.add(check);
        check();
      }),
    signal: (signal, wholeGroup = false) => process.kill(wholeGroup ? -child.pid! : child.pid!, signal),
    exited,
  };
}

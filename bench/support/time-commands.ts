import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface TimedCommand {
  readonly label: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Checks the output, so a command that fails or prints the wrong thing is never reported as fast. */
  readonly check?: (stdout: string) => void;
}

export interface RoundsOptions {
  readonly warmups: number;
  readonly runs: number;
}

/** A command's output can be large (`status --all --json` over 10,000 jobs is several MB). */
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/**
 * Wall time of each command as a fresh `node` process, from spawn to exit, in ms. The commands take turns
 * (one round runs each once) so that a slow spell of the machine weighs on all of them alike, not on one.
 */
export function timeCommands(commands: readonly TimedCommand[], options: RoundsOptions): Map<string, number[]> {
  const samples = new Map<string, number[]>(commands.map((command) => [command.label, []]));
  for (let round = 0; round < options.warmups + options.runs; round++) {
    for (const command of commands) {
      const ms = timeOnce(command);
      if (round >= options.warmups) samples.get(command.label)!.push(ms);
    }
  }
  return samples;
}

function timeOnce(command: TimedCommand): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, command.args, {
    cwd: command.cwd,
    env: command.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  const ms = performance.now() - start;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`'${command.label}' exited with ${result.status ?? result.signal}:\n${result.stderr}`);
  }
  command.check?.(result.stdout);
  return ms;
}

/** A clean environment, like a user's shell with no dlrun settings: only PATH and what is given (HOME, DLRUN_HOME). */
export function cleanEnv(extra: Readonly<Record<string, string>>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra };
}

import type { Config } from '../config.js';
import type { CliIo } from './io.js';

/** What a command gets: its parsed arguments, where to print, and the configuration. */
export interface CommandInput {
  readonly positionals: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly io: CliIo;
  readonly config: Config;
}

/** A command is a plain async function returning its exit code; errors go to the one boundary in main.ts. */
export interface CommandModule {
  run(input: CommandInput): Promise<number>;
}

export function stringFlag(input: CommandInput, name: string): string | undefined {
  const value = input.flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanFlag(input: CommandInput, name: string): boolean {
  return input.flags[name] === true;
}

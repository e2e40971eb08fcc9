import { parseArgs } from 'node:util';
import { UsageError } from '../base/errors.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { CommandSpec } from './command-table.js';

export interface ParsedArguments {
  readonly positionals: string[];
  readonly flags: Record<string, string | boolean | undefined>;
  readonly help: boolean;
}

/** Parse a command's arguments strictly: an unknown flag or a wrong number of arguments is a usage error (exit 2). */
export function parseCommandArguments(command: CommandSpec, argv: readonly string[]): ParsedArguments {
  const options = {
    help: { type: 'boolean' as const, short: 'h' },
    ...Object.fromEntries(
      Object.entries(command.flags).map(([name, flag]) => [
        name,
        { type: flag.type, ...(flag.short ? { short: flag.short } : {}) },
      ]),
    ),
  };
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFrom(error, command);
  }
  const { help, ...flags } = parsed.values as Record<string, string | boolean | undefined>;
  if (help === true) return { positionals: parsed.positionals, flags, help: true };
  const required = command.args.filter((arg) => !arg.startsWith('[')).length;
  if (parsed.positionals.length < required) {
    throw new UsageError(
      `'dlrun ${command.name}' needs ${command.args.filter((arg) => !arg.startsWith('[')).join(' ')}`,
    );
  }
  if (parsed.positionals.length > command.args.length) {
    const extra = parsed.positionals.slice(command.args.length).join(' ');
    throw new UsageError(
      `'dlrun ${command.name}' takes ${command.args.length === 0 ? 'no arguments' : command.args.join(' ')}; ` +
        `unexpected: ${extra}`,
    );
  }
  return { positionals: parsed.positionals, flags, help: false };
}

function usageErrorFrom(error: unknown, command: CommandSpec): unknown {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'(-{1,2}[^']+)'/.exec(message)?.[1] ?? message;
    const close = didYouMean(flag.replace(/^-+/, ''), ['help', ...Object.keys(command.flags)]);
    return new UsageError(
      `unknown option ${flag} for 'dlrun ${command.name}'${close ? `; did you mean --${close}?` : ''}`,
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new UsageError(message.replace(/\.$/, '').replace(/ <value>/, ''));
  }
  return error;
}

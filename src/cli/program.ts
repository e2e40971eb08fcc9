import { Command, CommanderError, Option } from 'commander';
import { EXIT_CODES, UsageError } from '../base/errors.js';
import { COMMANDS, type CommandSpec, type FlagSpec } from './command-table.js';
import type { CliIo } from './io.js';

/** A command as commander parsed it: its arguments and the options given, by their names in the command table. */
export interface ParsedCommand {
  readonly spec: CommandSpec;
  readonly positionals: string[];
  readonly flags: Record<string, string | boolean>;
}

export interface ProgramHooks {
  readonly version: string;
  /** Commander found the command and is about to parse its options (a usage error then names it). */
  readonly onCommand: (name: string) => void;
  /** The action of every command: load its module and run it (only the command that runs is ever loaded). */
  readonly run: (parsed: ParsedCommand) => Promise<void>;
}

const DESCRIPTION = 'dlrun: run deep-learning training jobs on this machine or in the cloud, and know what they cost';

/** After the general help's lists; 80 columns wide, as commander wraps its own text when not on a terminal. */
const AFTER_HELP = [
  '',
  'Environment: DLRUN_HOME (ledger and job folders, default ~/.dlrun), NO_COLOR;',
  '.env in this folder gives harmless settings and job secrets, and the rest',
  '(credentials, endpoints) once you run dlrun allow here.',
  'Exit codes: 0 success, 1 a failure you can fix, 2 wrong usage, 70 a bug in',
  'dlrun, 130 Ctrl-C.',
].join('\n');

/**
 * The commander program, built from the command table. Nothing exits the process and nothing is printed but through
 * `io`: help and the version go to `io.out` (help after an error to `io.err`), and a usage error is thrown as a
 * CommanderError, which `commanderOutcome` turns into dlrun's own.
 */
export function buildProgram(io: CliIo, hooks: ProgramHooks): Command {
  const program = new Command('dlrun')
    .description(DESCRIPTION)
    .version(hooks.version)
    // Options before the command are dlrun's own (--help, --version); after it, the command's.
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      // The error boundary (render-error.ts) prints usage errors, as text or under --json as the one JSON document.
      outputError: () => {},
      getOutHasColors: () => io.colorOut,
      getErrHasColors: () => io.colorErr,
    })
    .addHelpText('after', AFTER_HELP)
    .hook('preSubcommand', (_program, command) => hooks.onCommand(command.name()));
  // Subcommands copy the settings above (exit override, output) when they are made, so they come last.
  for (const spec of COMMANDS) {
    const command = program.command(spec.name).summary(spec.summary).description(sentence(spec.summary));
    for (const argument of spec.args) command.argument(argument);
    const options = Object.entries(spec.flags).map(([name, flag]) => {
      const option = new Option(optionFlags(name, flag), flag.help);
      command.addOption(option);
      return [name, option] as const;
    });
    command.action(async () => {
      const flags: Record<string, string | boolean> = {};
      for (const [name, option] of options) {
        const value = command.getOptionValue(option.attributeName()) as string | boolean | undefined;
        if (typeof value === 'string') refuseOptionAsValue(command, option, value);
        if (value !== undefined) flags[name] = value;
      }
      await hooks.run({ spec, positionals: [...command.args], flags });
    });
  }
  return program;
}

/**
 * What a CommanderError means for dlrun: help or the version was printed (exit 0); help was printed on stderr because
 * no command was found (`dlrun help nosuch`: wrong usage, exit 2); otherwise wrong usage for the error boundary to
 * print, in commander's words. Undefined for any other error.
 */
export function commanderOutcome(error: unknown): number | UsageError | undefined {
  if (!(error instanceof CommanderError)) return undefined;
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_CODES.success;
  if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT_CODES.success : EXIT_CODES.usage;
  // "error: unknown command 'stauts'\n(Did you mean status?)" -> one line, without commander's prefix.
  return new UsageError(error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '));
}

/**
 * Commander takes the word after `--to` as its value even when it is one of the command's own options: `pull JOB --to
 * --json` would write to a folder named `--json` and print text. That is almost always a forgotten value, so it is
 * refused, with the way to mean it.
 */
function refuseOptionAsValue(command: Command, option: Option, value: string): void {
  const optionWords = [...command.options.flatMap((known) => [known.long, known.short]), '--help', '-h'];
  if (!optionWords.includes(value)) return;
  throw new UsageError(
    `option '${option.flags}' argument missing: '${value}' is an option of 'dlrun ${command.name()}'`,
    { hint: `to mean a file or folder of that name, write ./${value}` },
  );
}

function optionFlags(name: string, flag: FlagSpec): string {
  const value = flag.type === 'string' ? ` <${flag.value ?? 'VALUE'}>` : '';
  return `${flag.short ? `-${flag.short}, ` : ''}--${name}${value}`;
}

/** A command's summary as the first line of its own help: "Check a job file: ... problem." */
function sentence(summary: string): string {
  return `${summary[0]!.toUpperCase()}${summary.slice(1)}.`;
}

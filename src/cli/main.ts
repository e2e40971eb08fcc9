import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError, EXIT_CODES } from '../base/errors.js';
import { didYouMean } from '../util/did-you-mean.js';
import { packageRoot } from '../util/package-root.js';
import { COMMANDS, findCommand } from './command-table.js';
import { commandHelp, generalHelp } from './help.js';
import type { CliIo } from './io.js';
import { parseCommandArguments } from './parse-arguments.js';
import { reportError } from './render-error.js';

/**
 * The dlrun program: find the command, parse its flags, load its code (lazily: help and start-up load no
 * command and no cloud SDK), run it, and turn whatever it throws into a message and an exit code.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  let commandName: string | undefined;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' && rest[0] ? findCommand(rest[0]) : undefined;
      io.out(topic ? commandHelp(topic) : generalHelp());
      return EXIT_CODES.success;
    }
    if (name === '--version' || name === '-V') {
      io.out(version());
      return EXIT_CODES.success;
    }
    const command = findCommand(name);
    if (!command) {
      const close = name.startsWith('-')
        ? undefined
        : didYouMean(
            name,
            COMMANDS.map((candidate) => candidate.name),
          );
      throw new UsageError(
        name.startsWith('-')
          ? `unknown option ${name}`
          : `unknown command '${name}'${close ? `; did you mean '${close}'?` : ''}`,
      );
    }
    commandName = command.name;
    const parsed = parseCommandArguments(command, rest);
    if (parsed.help) {
      io.out(commandHelp(command));
      return EXIT_CODES.success;
    }
    const [{ loadConfig }, { dotenvNotice }, { enableCompileCache }, { ledgerFile }, module] = await Promise.all([
      import('../config.js'),
      import('../trust/dotenv-use.js'),
      import('../util/compile-cache.js'),
      import('../ledger/open-ledger.js'),
      command.load(),
    ]);
    const config = loadConfig(process.env, io.cwd);
    // Once per command, before it speaks: what of .env was left out, by name, and the fix.
    const notice = command.quietAboutDotenv ? undefined : dotenvNotice(config.dotenv);
    if (notice) io.err(notice);
    // The cloud SDKs are most of what a command compiles; the cache lives in the user's own (private) DLRUN_HOME,
    // once dlrun has recorded a job there: `check` and `submit --dry-run` on a new machine promise to create nothing.
    if (existsSync(ledgerFile(config)))
      enableCompileCache(path.join(config.home, 'cache', `v8-${process.versions.v8}`));
    return await module.run({ positionals: parsed.positionals, flags: parsed.flags, io, config });
  } catch (error) {
    // From the raw arguments: a usage error may come before (or from) the parsing of the flags.
    return reportError(error, io, commandName, rest.includes('--json'));
  }
}

function version(): string {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

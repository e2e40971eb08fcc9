import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_CODES } from '../base/errors.js';
import { packageRoot } from '../util/package-root.js';
import type { CliIo } from './io.js';
import { buildProgram, commanderOutcome, type ParsedCommand } from './program.js';

/**
 * The dlrun program: commander parses the command line (program.ts, from the command table); the command's action
 * loads its code (lazily: help and start-up load no command and no cloud SDK) and runs it; whatever is thrown, a
 * usage error of commander's included, becomes a message and an exit code.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let commandName: string | undefined;
  // From the raw arguments until commander has parsed them: a usage error may come before (or from) the parsing.
  let json = argv.slice(1).includes('--json');
  let exitCode: number = EXIT_CODES.success;
  try {
    const program = buildProgram(io, {
      version: version(),
      onCommand: (name) => {
        commandName = name;
      },
      run: async (parsed) => {
        json = parsed.flags.json === true;
        exitCode = await run(parsed, io);
      },
    });
    // `dlrun` alone asks what dlrun does: the general help, on stdout with exit 0 (commander would call it an error).
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_CODES.success;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (thrown) {
    const outcome = commanderOutcome(thrown);
    if (typeof outcome === 'number') return outcome;
    // The error boundary is loaded only when it has something to say.
    const { reportError } = await import('./render-error.js');
    return reportError(outcome ?? thrown, io, commandName, json);
  }
}

async function run({ spec, positionals, flags }: ParsedCommand, io: CliIo): Promise<number> {
  const [{ loadConfig }, { ledgerFile }] = await Promise.all([
    import('../config.js'),
    import('../ledger/open-ledger.js'),
  ]);
  const config = loadConfig(process.env, io.cwd);
  // The cloud SDKs and the command's own code (the shipped bundle's files it loads next) are most of what a command
  // compiles; the cache lives in the user's own (private) DLRUN_HOME, once dlrun keeps something there already (a
  // ledger, or the cache folder where `validate` keeps its checks' results): `check` and `submit --dry-run` on a new
  // machine promise to create nothing. Loaded only then: a new machine's commands need none of it (nor the node:vm
  // and node:crypto it imports).
  const cacheFolder = path.join(config.home, 'cache');
  const ownFolder = path.dirname(fileURLToPath(import.meta.url));
  if (existsSync(ledgerFile(config)) || existsSync(cacheFolder)) {
    const { enableCompileCache } = await import('../util/compile-cache.js');
    enableCompileCache(path.join(cacheFolder, `v8-${process.versions.v8}`), ownFolder);
  } else {
    // A home where dlrun keeps nothing yet: the bundle's own compiled code, shipped with it, read-only.
    const { useShippedCodeCache } = await import('../util/shipped-code-cache.js');
    useShippedCodeCache(ownFolder);
  }
  const [{ dotenvNotice }, module] = await Promise.all([import('../trust/dotenv-use.js'), spec.load()]);
  // Once per command, before it speaks: what of .env was left out, by name, and the fix.
  const notice = spec.quietAboutDotenv ? undefined : dotenvNotice(config.dotenv);
  if (notice) io.err(notice);
  return await module.run({ positionals, flags, io, config });
}

function version(): string {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

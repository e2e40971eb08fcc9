import { checkBackend } from '../../core/check-backends.js';
import { BACKEND_NAMES } from '../../spec/backend-names.js';
import { backendFlag } from '../backend-flag.js';
import { booleanFlag, type CommandInput } from '../command.js';
import { style } from '../style.js';

/**
 * `dlrun check [--backend B]`: which backends are usable from here, and why not. Exit 1 when the one asked about is
 * not, or, without --backend, when none is (a DLRUN_HOME that cannot hold a ledger stops them all).
 */
export async function run(input: CommandInput): Promise<number> {
  const { io, config } = input;
  const only = backendFlag(input);
  const results = await Promise.all((only ? [only] : BACKEND_NAMES).map((name) => checkBackend(name, config)));
  if (booleanFlag(input, 'json')) {
    io.out(JSON.stringify({ backends: results.map(({ backend, usable, checks }) => ({ backend, usable, checks })) }));
  } else {
    const paint = style(io.colorOut);
    for (const result of results) {
      io.out(`${paint.bold(result.backend)}: ${result.usable ? paint.green('usable') : paint.red('not usable')}`);
      for (const item of result.checks) {
        const mark = item.ok ? paint.green('ok  ') : item.required ? paint.red('FAIL') : paint.yellow('note');
        io.out(`  ${mark} ${item.check}: ${item.detail}`);
      }
    }
  }
  return results.some((result) => result.usable) ? 0 : 1;
}

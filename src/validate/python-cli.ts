import type { CliOption, PythonCli } from './external/python-analyser.js';
import type { Word } from './shell/script-model.js';

/** A word on the command line that the script's parser refuses, or an argument it requires that is not there. */
export type CliProblem =
  | { readonly kind: 'unknown'; readonly word: Word; readonly flag: string }
  | { readonly kind: 'missing-option'; readonly option: CliOption }
  | { readonly kind: 'missing-positional'; readonly name: string }
  | { readonly kind: 'extra'; readonly word: Word };

/**
 * The words of a command line as the script's argparse or click parser reads them, as far as the words can be known:
 * an expansion (`$EXTRA_ARGS`, `"$@"`) may be any number of words, so after one nothing is counted (no required
 * argument is missing, no operand is extra), but an option written out that the parser does not have is still one.
 */
export function cliProblems(cli: PythonCli, args: readonly Word[]): CliProblem[] {
  const problems: CliProblem[] = [];
  const seen = new Set<CliOption>();
  const operands: Word[] = [];
  let uncertain = false;
  let onlyOperands = false;
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    const value = word.literal;
    // A typographic dash or an escaped space is another rule's finding; what the script makes of it is not judged.
    if (value === undefined || /^\s*$|^[\u2010-\u2015\u2212]/.test(value)) {
      uncertain = true;
      continue;
    }
    if (onlyOperands || !looksLikeOption(value)) {
      operands.push(word);
      continue;
    }
    if (value === '--') {
      onlyOperands = true;
      continue;
    }
    // `--lr=0.1`, and `-l=0.1` (argparse splits single-dash words at '=' too).
    const inline = value.includes('=');
    const flag = inline ? value.slice(0, value.indexOf('=')) : value;
    const option = resolve(cli, flag) ?? (inline ? resolve(cli, value) : undefined);
    if (option === 'ambiguous' || option === 'attached') {
      uncertain = true;
      continue;
    }
    if (option === undefined) {
      problems.push({ kind: 'unknown', word, flag });
      // Its value, if it has one, would pass for an operand.
      uncertain = true;
      continue;
    }
    seen.add(option);
    if (inline) continue;
    const { values } = option;
    if (values === 'unknown') uncertain = true;
    else if (typeof values === 'number') index += values;
    else {
      // '?', '*', '+': the words up to the next option.
      let taken = 0;
      while (index + 1 < args.length && !(values === '?' && taken === 1)) {
        const next = args[index + 1]!.literal;
        if (next === undefined) uncertain = true;
        else if (looksLikeOption(next)) break;
        index += 1;
        taken += 1;
      }
    }
  }
  if (uncertain) return problems;
  for (const option of cli.options)
    if (option.required && !seen.has(option)) problems.push({ kind: 'missing-option', option });
  const least = cli.positionals.reduce((sum, positional) => sum + positional.min, 0);
  const most = cli.positionals.reduce((sum, positional) => sum + (positional.max ?? Infinity), 0);
  if (operands.length < least) {
    let given = operands.length;
    for (const positional of cli.positionals) {
      if (given < positional.min) {
        problems.push({ kind: 'missing-positional', name: positional.name });
        break;
      }
      given -= Math.min(given, positional.max ?? given);
    }
  } else if (operands.length > most) problems.push({ kind: 'extra', word: operands[most]! });
  return problems;
}

/** argparse reads `-1` and `-.5` as numbers, not options, when no option looks like one. */
function looksLikeOption(value: string): boolean {
  return value.startsWith('-') && value.length > 1 && !/^-\d|^-\.\d/.test(value);
}

/**
 * The option a flag names: exactly, or (argparse with allow_abbrev) as the unique prefix of long options of one
 * option. A single-dash word that starts with a short option may be that option with its value attached (`-n5`) or
 * several short flags (`-vv`): not judged.
 */
function resolve(cli: PythonCli, flag: string): CliOption | 'ambiguous' | 'attached' | undefined {
  const exact = cli.options.find((option) => option.flags.includes(flag));
  if (exact) return exact;
  if (cli.abbrev && flag.length > 2) {
    const matches = new Set(cli.options.filter((option) => option.flags.some((known) => known.startsWith(flag))));
    if (matches.size === 1) return [...matches][0];
    if (matches.size > 1) return 'ambiguous';
  }
  if (!flag.startsWith('--')) {
    const short = flag.slice(0, 2);
    if (cli.options.some((option) => option.flags.includes(short))) return 'attached';
  }
  return undefined;
}

/** Every flag of the interface, for did-you-mean. */
export function cliFlags(cli: PythonCli): string[] {
  return cli.options.flatMap((option) => option.flags);
}

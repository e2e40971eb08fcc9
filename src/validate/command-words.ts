import type { SimpleCommand, Word } from './shell/script-model.js';

/** Commands that run the command that follows them (after their own options). */
const WRAPPERS: Readonly<Record<string, { optionsWithValue: readonly string[] }>> = {
  sudo: { optionsWithValue: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U'] },
  nohup: { optionsWithValue: [] },
  time: { optionsWithValue: ['-f', '-o'] },
  exec: { optionsWithValue: ['-a'] },
  command: { optionsWithValue: [] },
  nice: { optionsWithValue: ['-n'] },
  ionice: { optionsWithValue: ['-c', '-n', '-p'] },
  stdbuf: { optionsWithValue: ['-i', '-o', '-e'] },
  env: { optionsWithValue: ['-u', '-C', '-S'] },
  timeout: { optionsWithValue: ['-s', '-k', '--signal', '--kill-after'] },
  xargs: { optionsWithValue: ['-n', '-P', '-I', '-d', '-L', '-s', '-a', '-E'] },
  taskset: { optionsWithValue: [] },
  setsid: { optionsWithValue: [] },
  srun: {
    optionsWithValue: [
      '-n',
      '-N',
      '-c',
      '-p',
      '-t',
      '--ntasks',
      '--nodes',
      '--cpus-per-task',
      '--partition',
      '--time',
      '--gres',
    ],
  },
};

/** The command a simple command really runs, after wrappers such as `sudo`, `env VAR=x` and `timeout 10`. */
export interface EffectiveCommand {
  readonly name: string;
  readonly nameWord: Word;
  /** The arguments after the name. */
  readonly args: readonly Word[];
  /** The wrappers it ran under, outermost first (`sudo`, `nohup` ...). */
  readonly wrappers: readonly string[];
}

export function effectiveCommand(command: SimpleCommand): EffectiveCommand | undefined {
  const words = command.words;
  const wrappers: string[] = [];
  let index = 0;
  for (;;) {
    const word = words[index];
    const name = word?.literal;
    if (word === undefined || name === undefined) return undefined;
    const wrapper = WRAPPERS[name];
    if (!wrapper || index === words.length - 1) return { name, nameWord: word, args: words.slice(index + 1), wrappers };
    wrappers.push(name);
    index += 1;
    // `timeout 10 cmd`: the duration; `env A=1 cmd`: assignments; options and their values.
    while (index < words.length) {
      const next = words[index]!.literal ?? '';
      if (wrapper.optionsWithValue.includes(next)) index += 2;
      else if (
        next.startsWith('-') ||
        (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(next)) ||
        (name === 'timeout' && /^[0-9.]+[smhd]?$/.test(next)) ||
        (name === 'taskset' && /^(0x)?[0-9a-f,-]+$/i.test(next))
      )
        index += 1;
      else break;
    }
  }
}

/** The literal values of words, with undefined for words holding expansions. */
export function literals(words: readonly Word[]): (string | undefined)[] {
  return words.map((word) => word.literal);
}

/** Arguments that are not options (`-x`, `--flag`), skipping the values of the options listed. */
export function operands(args: readonly Word[], optionsWithValue: readonly string[] = []): Word[] {
  const result: Word[] = [];
  for (let index = 0; index < args.length; index++) {
    const value = args[index]!.literal;
    if (value !== undefined && optionsWithValue.includes(value)) {
      index += 1;
      continue;
    }
    if (value === '--') return [...result, ...args.slice(index + 1)];
    if (value?.startsWith('-') && value !== '-') continue;
    result.push(args[index]!);
  }
  return result;
}

/** bash's long options that take the next word as their value. */
const SHELL_LONG_OPTIONS_WITH_VALUE = new Set(['--rcfile', '--init-file']);

/**
 * What `bash ARGS` / `sh ARGS` runs: a script file at an index of ARGS, or a command string (`-c`), at the index of
 * its text when it can be told.
 */
export type ShellRun =
  | { readonly kind: 'file'; readonly index: number }
  | { readonly kind: 'command'; readonly index: number | undefined };

/**
 * What `bash ARGS` / `sh ARGS` runs, from their arguments (literal values, undefined for expansions), read as bash
 * reads its options: the script file (the first operand), or with `-c` (alone or inside a cluster: `-lc`, `-ec`,
 * `-xec`; before or after other options) the command string, which is the first operand. Undefined when it reads its
 * standard input (`-s`, `-`, no operand) or cannot be told (an expansion where an option or the operand would be).
 * A short cluster with `o` or `O` takes the next word as the option's value (`-eo pipefail`, `-O extglob`);
 * `--rcfile FILE` and `--init-file FILE` take theirs. Words after the operand are the script's own arguments.
 */
export function shellRun(args: readonly (string | undefined)[]): ShellRun | undefined {
  let command = false;
  const stop = (): ShellRun | undefined => (command ? { kind: 'command', index: undefined } : undefined);
  for (let index = 0; index < args.length; index++) {
    const value = args[index];
    if (value === undefined || value === '-') return stop();
    if (value === '--') {
      if (command) return { kind: 'command', index: index + 1 < args.length ? index + 1 : undefined };
      return args[index + 1] === undefined ? undefined : { kind: 'file', index: index + 1 };
    }
    if (value.startsWith('--')) {
      if (SHELL_LONG_OPTIONS_WITH_VALUE.has(value)) index += 1;
      continue;
    }
    if (/^[-+][A-Za-z]+$/.test(value)) {
      const letters = value.slice(1);
      if (value.startsWith('-') && letters.includes('c')) command = true;
      else if (value.startsWith('-') && letters.includes('s') && !command) return undefined;
      index += [...letters].filter((letter) => letter === 'o' || letter === 'O').length;
      continue;
    }
    if (value.startsWith('-') || value.startsWith('+')) return stop();
    return command ? { kind: 'command', index } : { kind: 'file', index };
  }
  return stop();
}

/**
 * `shellRun` as the callers that follow script files want it: the index of the script file, `'command'` when it runs
 * a string, or undefined.
 */
export function shellOperand(args: readonly (string | undefined)[]): number | 'command' | undefined {
  const run = shellRun(args);
  return run?.kind === 'command' ? 'command' : run?.index;
}

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
 * What `bash ARGS` / `sh ARGS` runs, from their arguments (literal values, undefined for expansions): the index of
 * the script file among them, `'command'` when it runs a string (`-c` alone or inside a cluster: `-lc`, `-ec`,
 * `-xec`), or undefined when it reads its standard input (`-s`, `-`, no operand) or cannot be told.
 * A short cluster with `o` or `O` takes the next word as the option's value (`-eo pipefail`, `-O extglob`).
 */
export function shellOperand(args: readonly (string | undefined)[]): number | 'command' | undefined {
  let script: number | undefined;
  for (let index = 0; index < args.length; index++) {
    const value = args[index];
    if (value === undefined) return undefined;
    if (value === '--') {
      script = args[index + 1] === undefined ? undefined : index + 1;
      break;
    }
    if (value === '-') return undefined;
    if (value.startsWith('--')) {
      if (SHELL_LONG_OPTIONS_WITH_VALUE.has(value)) index += 1;
      continue;
    }
    if (/^[-+][A-Za-z]+$/.test(value)) {
      const letters = value.slice(1);
      if (value.startsWith('-') && letters.includes('c')) return 'command';
      if (value.startsWith('-') && letters.includes('s')) return undefined;
      index += [...letters].filter((letter) => letter === 'o' || letter === 'O').length;
      continue;
    }
    if (value.startsWith('-') || value.startsWith('+')) return undefined;
    script = index;
    break;
  }
  // Options after the script's name (`bash train.sh -c x`) are the script's own.
  return script;
}

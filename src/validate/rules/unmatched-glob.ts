import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../base/finding.js';
import { effectiveCommand, operands } from '../command-words.js';
import { pathEffects } from '../path-effects.js';
import { scriptFinding, type Rule, type ValidationContext } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import type { SimpleCommand, Word } from '../shell/script-model.js';
import { normalise } from '../workdir-view.js';

/**
 * A glob that matches nothing on the machine, which bash then passes on as the pattern itself (`python train.py
 * --data data/*.csv` gets the text `data/*.csv`; `for f in data/*.npy` runs once with f=`data/*.npy`). Judged only
 * where what the machine holds is known: a relative pattern whose folder part is literal and shipped, before any
 * command that may write files the validator cannot name (a program of the job, an unpacker, a download), outside
 * anything the job creates and the outputs folder, in a job that never changes globbing (`shopt`, `set -f`).
 */
export const unmatchedGlob: Rule = {
  id: 'unmatched-glob',
  summary: 'a glob that matches nothing in the shipped workdir, so the command gets the pattern itself',
  check(context) {
    if (context.scripts.some(changesGlobbing)) return [];
    const state: State = {
      created: new Set([normalise(context.job.outputs) ?? context.job.outputs]),
      unknown: false,
      entries: new Map(),
      followed: new Map(
        context.scripts.flatMap((script) => (script.calledBy ? [[script.calledBy.command, script] as const] : [])),
      ),
      visiting: new Set(),
    };
    const findings: Finding[] = [];
    for (const script of context.scripts) if (script.origin !== 'file') findings.push(...walk(context, script, state));
    return findings;
  },
};

interface State {
  /** Paths (relative to the workdir) the job has created or named as arguments so far. */
  readonly created: Set<string>;
  /** A command ran that may have written files the validator cannot name: nothing is judged after it. */
  unknown: boolean;
  /** Names in each shipped folder, listed once. */
  readonly entries: Map<string, readonly string[]>;
  /** The script files the job runs, by the command that runs them. */
  readonly followed: ReadonlyMap<SimpleCommand, ScriptInput>;
  readonly visiting: Set<ScriptInput>;
}

/** A script's commands in the order they run, following the script files it runs where they run. */
function walk(context: ValidationContext, script: ScriptInput, state: State): Finding[] {
  const findings: Finding[] = [];
  if (state.visiting.has(script)) return findings;
  state.visiting.add(script);
  const commands = script.parsed.commands;
  const loops = script.parsed.forLists ?? [];
  // A function's body runs where it is called, maybe after the files were made: a script with functions is only
  // followed for what it writes.
  const judging = script.parsed.functions.length === 0;
  let directory: string | undefined = script.directory;
  for (let index = 0; index <= commands.length; index++) {
    // A loop's words are expanded before its body runs.
    for (const loop of loops) {
      if (loop.bodyStart !== index || !judging || directory === undefined || state.unknown) continue;
      const body = commands.slice(loop.bodyStart, loop.bodyEnd);
      if (loop.variable !== undefined && guarded(body, loop.variable)) continue;
      for (const word of loop.words) {
        const finding = judge(context, script, directory, word, state, 'for');
        if (finding) findings.push(finding);
      }
    }
    const command = commands[index];
    if (!command) break;
    if (judging && directory !== undefined && !state.unknown && !command.orElse)
      for (const word of consumedWords(command)) {
        const finding = judge(context, script, directory, word, state, 'command');
        if (finding) findings.push(finding);
      }
    const followed = state.followed.get(command);
    if (followed) {
      findings.push(...walk(context, followed, state));
      // A sourced script's cd is the caller's.
      if (followed.calledBy?.how === 'source' && followed.parsed.commands.some(changesDirectory)) directory = undefined;
      continue;
    }
    if (changesDirectory(command)) directory = undefined;
    else record(command, directory, state);
  }
  state.visiting.delete(script);
  return findings;
}

function changesDirectory(command: SimpleCommand): boolean {
  const name = effectiveCommand(command)?.name;
  return name === 'cd' || name === 'pushd' || name === 'popd';
}

/** What a command writes: its known paths, or, for a command that may write anything, the end of judging. */
function record(command: SimpleCommand, directory: string | undefined, state: State): void {
  const effects = pathEffects(command);
  const effective = effectiveCommand(command);
  // A path an installer or other tool was given may be one it fills (`pip install --target libs`); one a command
  // that only reads or prints was given is not.
  const mentioned =
    effective === undefined || READS_ONLY.has(effective.name)
      ? []
      : effective.args
          .map((arg) => arg.literal?.replace(/^--?[\w-]+=/, ''))
          .filter((value): value is string => value !== undefined && !value.startsWith('-'));
  const named = [
    ...effects.creates.map((made) => ({ made, written: true })),
    ...mentioned.map((made) => ({ made, written: false })),
  ];
  for (const { made, written } of named) {
    if (made.startsWith('/')) continue;
    // After a cd the validator does not follow, a relative path may be anywhere.
    if (directory === undefined) state.unknown = true;
    const relative = directory === undefined ? undefined : normalise(path.posix.join(directory, made));
    // A mere argument `.` (`pip install -e .`, `du -sh .`) is the folder the command is in, not one it fills.
    if (relative !== undefined && (written || relative !== directory)) state.created.add(relative);
  }
  if (effects.createsUnknown || !writesNothingElse(command)) state.unknown = true;
}

/** Commands that only read or print (their redirects aside, which pathEffects names). */
const READS_ONLY = new Set([
  ...'echo printf ls cat head tail wc du df stat test [ [[ realpath readlink basename dirname'.split(' '),
  ...'md5sum sha256sum grep sort uniq tr cut which type nvidia-smi'.split(' '),
]);

/** Commands that write no file beyond what pathEffects names: setup and inspection, not the job's programs. */
const QUIET = new Set([
  'echo',
  'printf',
  'export',
  'unset',
  'set',
  'cd',
  'pushd',
  'popd',
  'mkdir',
  'touch',
  'cp',
  'mv',
  'ln',
  'nvidia-smi',
  'nproc',
  'which',
  'type',
  'command',
  'true',
  'false',
  'sleep',
  'ls',
  'cat',
  'head',
  'wc',
  'date',
  'hostname',
  'df',
  'du',
  'free',
  'uname',
  'printenv',
  'whoami',
  'id',
  'pwd',
  'ulimit',
  'trap',
  'hash',
  'wait',
  'test',
  '[',
  '[[',
  'chmod',
  'apt-get',
  'apt',
  'yum',
  'dnf',
  'continue',
  'break',
  'return',
  'exit',
  ':',
  'shift',
  'declare',
  'readonly',
  'tee',
  'rm',
  'grep',
  'sort',
  'uniq',
  'tr',
  'cut',
  'tail',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'stat',
  'md5sum',
  'sha256sum',
]);

function writesNothingElse(command: SimpleCommand): boolean {
  if (command.words.length === 0) return true;
  const effective = effectiveCommand(command);
  if (!effective) return false;
  const { name, args } = effective;
  const values = args.map((arg) => arg.literal);
  if (QUIET.has(name)) return true;
  if (name === 'pip' || name === 'pip3')
    return ['install', 'uninstall', 'list', 'freeze', 'show'].includes(values[0] ?? '');
  if (/^python(3(\.\d+)?)?$/.test(name))
    return (
      (values[0] === '-m' && ['pip', 'venv', 'virtualenv'].includes(values[1] ?? '')) ||
      values[0] === '--version' ||
      values[0] === '-V'
    );
  if (name === 'uv') return values[0] === 'venv' || (values[0] === 'pip' && values[1] === 'install');
  if (['conda', 'mamba', 'micromamba'].includes(name))
    return ['install', 'create', 'activate', 'deactivate', 'info', 'list', 'config', 'clean'].includes(values[0] ?? '');
  // `source .venv/bin/activate`, conda's hook: environments, not data (workdir scripts are followed).
  if (name === 'source' || name === '.') return /(^|\/)activate$|conda\.sh$/.test(values[0] ?? '');
  return false;
}

/** The words of a command that name files it reads, where a pattern passed on as text is a mistake. */
function consumedWords(command: SimpleCommand): Word[] {
  const effective = effectiveCommand(command);
  if (!effective) return [];
  const { name, args } = effective;
  if (/^python(3(\.\d+)?)?$/.test(name) || ['torchrun', 'deepspeed', 'accelerate'].includes(name)) {
    if (args.some((arg) => arg.literal === '-c' || arg.literal === '-m' || arg.literal === '--module')) return [];
    // After the script: its arguments, except values of options that take a pattern by name (`--include *.json`).
    const script = args.findIndex((arg) => arg.literal?.endsWith('.py'));
    if (script === -1) return [];
    return args
      .slice(script + 1)
      .filter(
        (_, index, rest) =>
          !/pattern|glob|include|exclude|filter|match|regex|ignore/i.test(rest[index - 1]?.literal ?? ''),
      );
  }
  if (['cat', 'wc', 'md5sum', 'sha256sum'].includes(name)) return operands(args);
  if (name === 'cp' || name === 'mv') {
    if (args.some((arg) => arg.literal === '-t' || arg.literal?.startsWith('--target-directory'))) return [];
    return operands(args).slice(0, -1);
  }
  if ((name === 'pip' || name === 'pip3') && args[0]?.literal === 'install')
    return operands(args.slice(1), ['-r', '-c', '-e', '-i', '--index-url', '--extra-index-url', '-f', '--find-links']);
  return [];
}

/** A loop whose body tests its variable (`[ -e "$f" ] || continue`) handles the pattern coming through. */
function guarded(body: readonly SimpleCommand[], variable: string): boolean {
  return body.some((command) => {
    const name = command.words[0]?.literal;
    if (name !== '[' && name !== '[[' && name !== 'test') return false;
    return command.words.some((word) =>
      word.parts.some((part) => part.kind === 'variable' && part.use.name === variable),
    );
  });
}

/** `shopt` (nullglob, failglob, dotglob, globstar ...), `set -f`, `set -o noglob`, GLOBIGNORE: globs mean more. */
function changesGlobbing(script: ScriptInput): boolean {
  return script.parsed.commands.some((command) => {
    const [name, ...args] = command.words.map((word) => word.literal ?? '');
    if (command.assignments.some((assignment) => assignment.name === 'GLOBIGNORE')) return true;
    if (name === 'shopt') return true;
    return name === 'set' && args.some((arg) => /^[-+][a-zA-Z]*f/.test(arg) || arg === 'noglob');
  });
}

/** The finding for one word, when it is a pattern bash will pass on unexpanded. */
function judge(
  context: ValidationContext,
  script: ScriptInput,
  directory: string,
  word: Word,
  state: State,
  where: 'for' | 'command',
): Finding | undefined {
  const pattern = globOf(word);
  if (!pattern) return undefined;
  const slash = pattern.text.lastIndexOf('/');
  if (slash === -1 && where === 'command') return undefined;
  const folderWritten = slash === -1 ? '' : pattern.text.slice(0, slash);
  // Only the last part may hold the pattern: `data/*/x.npy` needs more of the tree than a folder's names.
  if (pattern.globAt <= slash) return undefined;
  const folder = normalise(path.posix.join(directory, folderWritten));
  if (folder === undefined || !context.workdir.isFolder(folder) || touched(folder, state.created)) return undefined;
  const last = pattern.source.slice(pattern.source.lastIndexOf('/') + 1);
  const matcher = globRegExp(last);
  if (!matcher) return undefined;
  const names = entriesOf(context, folder, state);
  if (names.some((name) => matcher.test(name))) return undefined;
  const home = localMatches(context, folder, matcher);
  const what =
    where === 'for' ? `'for' loops once with the pattern itself as its value` : 'the command gets the pattern itself';
  return scriptFinding(script, word.position, {
    rule: 'unmatched-glob',
    severity: 'warning',
    message:
      `${pattern.text} matches nothing in the shipped workdir` +
      (home.length
        ? ` (${home.slice(0, 3).join(', ')} here ${home.length === 1 ? 'is' : 'are'} left home by the ignore rules)`
        : '') +
      `, so bash leaves it as it is: ${what}, not a list of files`,
    hint: home.length
      ? `ship the files (remove the line of ${context.workdir.manifest.ignoreFile ?? '.dlrunignore'} that ` +
        'matches them) or have the job fetch them first'
      : 'check the folder and the pattern against the workdir, fetch the files first, ' +
        'or add shopt -s nullglob if no match is fine',
  });
}

/** A word that is one literal pattern: its text, where its first unquoted glob character is, and the pattern. */
function globOf(word: Word): { text: string; source: string; globAt: number } | undefined {
  let text = '';
  let source = '';
  let globAt = -1;
  for (const part of word.parts) {
    if (part.kind !== 'literal') return undefined;
    for (const character of part.text) {
      if (!part.quoted && '*?['.includes(character) && globAt === -1) globAt = text.length;
      if (!part.quoted && '{}'.includes(character)) return undefined;
      source += part.quoted && '*?[]\\'.includes(character) ? `\\${character}` : character;
      text += character;
    }
  }
  if (globAt === -1 || text.startsWith('/') || text.startsWith('~') || text.startsWith('-') || text.includes('='))
    return undefined;
  // extglob forms and escapes are left to bash.
  if (/[?*+@!]\(/.test(text) || text.includes('\\')) return undefined;
  return { text, source, globAt };
}

/** A glob of one path component as a regular expression, or undefined for one it cannot read. */
function globRegExp(glob: string): RegExp | undefined {
  let expression = '';
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index]!;
    if (character === '\\') {
      expression += escapeCharacter(glob[index + 1] ?? '');
      index += 1;
    } else if (character === '*') expression += '[^/]*';
    else if (character === '?') expression += '[^/]';
    else if (character === '[') {
      const end = glob.indexOf(']', index + 2);
      if (end === -1) return undefined;
      const inside = glob.slice(index + 1, end).replace(/^!/, '^');
      if (inside.includes('[:') || inside.includes('\\')) return undefined;
      expression += `[${inside}]`;
      index = end;
    } else expression += escapeCharacter(character);
  }
  // A name starting with a dot matches only a pattern that starts with one.
  const dot = glob.startsWith('.') ? '' : '(?!\\.)';
  try {
    return new RegExp(`^${dot}${expression}$`);
  } catch {
    return undefined;
  }
}

function escapeCharacter(character: string): string {
  return character.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether a folder is, holds or is inside something the job created (its files are then unknown). */
function touched(folder: string, created: ReadonlySet<string>): boolean {
  for (const made of created) {
    if (made === '' || made === folder || made.startsWith(`${folder}/`) || folder.startsWith(`${made}/`)) return true;
  }
  return false;
}

/** The names (files and folders) directly in a shipped folder. */
function entriesOf(context: ValidationContext, folder: string, state: State): readonly string[] {
  let names = state.entries.get(folder);
  if (!names) {
    const prefix = folder === '' ? '' : `${folder}/`;
    const found = new Set<string>();
    for (const file of context.workdir.manifest.files)
      if (file.path.startsWith(prefix)) found.add(file.path.slice(prefix.length).split('/', 1)[0]!);
    names = [...found];
    state.entries.set(folder, names);
  }
  return names;
}

/** Names in the folder on this machine that match but are not shipped (left home by the ignore rules). */
function localMatches(context: ValidationContext, folder: string, matcher: RegExp): string[] {
  try {
    return readdirSync(path.join(context.workdir.root, folder))
      .filter((name) => matcher.test(name))
      .map((name) => (folder ? `${folder}/${name}` : name))
      .sort();
  } catch {
    return [];
  }
}

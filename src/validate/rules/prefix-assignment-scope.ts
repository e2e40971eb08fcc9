import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import { providedVariables, setsUnknownVariables, variableUses, variablesSet } from '../script-variables.js';
import { inFunctionBodies } from '../shell-structure.js';
import type { Assignment, SimpleCommand, VariableUse } from '../shell/script-model.js';

/** Expansions that give a default or test for a value: the author expects it may be unset. */
const GUARDED = new Set([':-', '-', ':=', '=', ':?', '?', ':+', '+']);
/** Variables machines and images commonly set for every process: an expansion may well see those. */
const ENVIRONMENT = new Set([
  'LD_LIBRARY_PATH',
  'PYTHONPATH',
  'CUDA_HOME',
  'CUDA_PATH',
  'CUDA_VERSION',
  'NVIDIA_VISIBLE_DEVICES',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'TERM',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TZ',
  'CONDA_PREFIX',
  'CONDA_DEFAULT_ENV',
  'VIRTUAL_ENV',
]);

/** Where a variable is given to one command only: `NAME=value cmd` or `env NAME=value cmd`. */
interface PrefixSet {
  readonly name: string;
  readonly command: SimpleCommand;
  readonly index: number;
  readonly text: string;
  /** The command it was given to, in words (`echo`). */
  readonly program: string;
}

/**
 * `DATA=/data/x echo start; python train.py --data $DATA`: an assignment written before a command (or given to
 * `env`) is in that command's environment only, and gone on the next line; the shell expands `$DATA` in the same
 * command's own arguments before it is assigned, too. A variable set only that way, read by the script afterwards,
 * is empty there. Uses inside a function body are left alone (`DATA=/x train_fn` gives it to the function), as are
 * expansions with a default and variables the job, the machine or the image may set.
 */
export const prefixAssignmentScope: Rule = {
  id: 'prefix-assignment-scope',
  summary: 'NAME=value cmd1; cmd2 $NAME: an assignment before a command lasts for that command only',
  check(context) {
    const findings: Finding[] = [];
    const scripts = context.scripts;
    // Most jobs have no prefix assignment at all: nothing else to read.
    if (!scripts.some((script) => script.parsed.commands.some((command, index) => prefixesOf(command, index).length)))
      return findings;
    const followed = new Set(
      context.calls
        .filter((call) => scripts.some((script) => script.origin === 'file' && script.file.endsWith(call.path)))
        .map((call) => call.command),
    );
    // `eval "$(...)"`, `export $(cat .env)`, a sourced file that is not followed: they may set anything.
    if (scripts.some((script) => script.parsed.commands.some((command) => opaque(command, followed)))) return findings;
    const otherwise = new Set([...variablesSet(scripts.map(withoutPrefixes)), ...providedVariables(context)]);
    for (const script of scripts) {
      const commands = script.parsed.commands;
      const prefixes = commands.flatMap((command, index) =>
        prefixesOf(command, index).filter((prefix) => !otherwise.has(prefix.name) && !ENVIRONMENT.has(prefix.name)),
      );
      if (!prefixes.length) continue;
      const reported = new Set<string>();
      const later = laterReads(script, new Set(prefixes.map((prefix) => prefix.name)));
      for (const prefix of prefixes) {
        if (reported.has(prefix.name)) continue;
        const use = firstUseAfter(prefix, later);
        if (!use) continue;
        reported.add(prefix.name);
        const line = script.place(prefix.command.position).line;
        const same = use.command === prefix.command;
        findings.push(
          scriptFinding(script, use.use.position, {
            rule: 'prefix-assignment-scope',
            severity: 'error',
            message: same
              ? `$${prefix.name} is expanded before '${prefix.text}' is assigned: written before the command, ` +
                `it reaches ${prefix.program}'s environment only, not this command's own arguments`
              : `$${prefix.name} is empty here: '${prefix.text}' at line ${line} was written before ` +
                `${prefix.program}, which gives it to that one command only`,
            hint: `set it on a line of its own (export ${prefix.name}=...) before the commands that use it`,
          }),
        );
      }
    }
    return findings;
  },
};

function opaque(command: SimpleCommand, followed: ReadonlySet<SimpleCommand>): boolean {
  if (setsUnknownVariables(command)) return true;
  const effective = effectiveCommand(command);
  if (!(effective?.name === 'source' || effective?.name === '.') || followed.has(command)) return false;
  // A virtualenv's or conda's activation sets their own variables only.
  const file = effective.args[0]?.raw ?? '';
  return !/(\/activate|conda\.sh)["']?$/.test(file);
}

/** The script as if its prefix assignments were not there: what sets the variables by other means. */
function withoutPrefixes(script: ScriptInput): ScriptInput {
  const commands = script.parsed.commands.map((command) =>
    command.words.length
      ? { ...command, assignments: [] as Assignment[], words: withoutEnvAssignments(command) }
      : command,
  );
  return { ...script, parsed: { ...script.parsed, commands } };
}

/** `env A=1 cmd`: the assignments are env's arguments; dropped so that they count as prefixes only. */
function withoutEnvAssignments(command: SimpleCommand): SimpleCommand['words'] {
  if (command.words[0]?.literal !== 'env') return command.words;
  return command.words.filter((word, index) => index === 0 || !/^[A-Za-z_]\w*=/.test(word.raw));
}

function prefixesOf(command: SimpleCommand, index: number): PrefixSet[] {
  if (!command.words.length) return [];
  const effective = effectiveCommand(command);
  const program = effective?.name ?? command.words[0]!.raw;
  const prefixes: PrefixSet[] = command.assignments.map((assignment) => ({
    name: assignment.name,
    command,
    index,
    text: assignment.value?.raw ?? assignment.name,
    program,
  }));
  if (command.words[0]?.literal === 'env')
    for (const word of command.words.slice(1)) {
      const name = /^([A-Za-z_]\w*)=/.exec(word.raw)?.[1];
      if (name) prefixes.push({ name, command, index, text: word.raw, program });
      else if (!(word.literal ?? '').startsWith('-')) break;
    }
  return prefixes;
}

/** Where a script reads the variables asked about, and where plain assignments set them, in command order. */
interface LaterReads {
  readonly uses: ReadonlyMap<string, readonly { readonly index: number; readonly use: VariableUse }[]>;
  readonly plain: ReadonlyMap<string, readonly number[]>;
  readonly commands: readonly SimpleCommand[];
}

/** One pass over a script for the variables given as prefixes (not reads inside a function body). */
function laterReads(script: ScriptInput, names: ReadonlySet<string>): LaterReads {
  const uses = new Map<string, { index: number; use: VariableUse }[]>();
  const plain = new Map<string, number[]>();
  const inFunction = inFunctionBodies(script.parsed);
  script.parsed.commands.forEach((command, index) => {
    if (inFunction[index]) return;
    if (!command.words.length)
      for (const assignment of command.assignments)
        if (names.has(assignment.name)) append(plain, assignment.name, index);
    // Words, assignment values, redirect targets and heredoc bodies (`cat > config.yaml <<EOF ... $DATA`).
    for (const use of variableUses(command)) if (names.has(use.name)) append(uses, use.name, { index, use });
  });
  return { uses, plain, commands: script.parsed.commands };
}

/** The first expansion of the variable after its prefix assignment (or in the same command's words). */
function firstUseAfter(prefix: PrefixSet, later: LaterReads): { command: SimpleCommand; use: VariableUse } | undefined {
  for (const part of prefix.command.words.flatMap((word) => word.parts))
    if (part.kind === 'variable' && usable(part.use, prefix.name)) return { command: prefix.command, use: part.use };
  const read = later.uses.get(prefix.name)?.find((each) => each.index > prefix.index && usable(each.use, prefix.name));
  if (!read) return undefined;
  // Set again by a plain assignment before that (a loop may come back to the prefix): not this rule's to judge.
  if (later.plain.get(prefix.name)?.some((index) => index > prefix.index && index <= read.index)) return undefined;
  return { command: later.commands[read.index]!, use: read.use };
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function usable(use: VariableUse, name: string): boolean {
  return use.name === name && !(use.operator !== undefined && GUARDED.has(use.operator));
}

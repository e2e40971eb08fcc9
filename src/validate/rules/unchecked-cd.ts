import type { Finding, Severity } from '../../base/finding.js';
import { type EffectiveCommand, effectiveCommand, operands } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import { providedVariables, turnsOnNounset, variablesSet } from '../script-variables.js';
import { optionsAt, type ShellOptions } from '../shell-options.js';
import { substitutionCommands } from '../shell-structure.js';
import type { SimpleCommand, Word } from '../shell/script-model.js';

/** Expansions that give a default or stop on an empty value. */
const GUARDED = new Set([':-', '-', ':=', '=', ':?', '?', ':+', '+']);
/** Commands after `cd DIR ||` that do not stop the script: it goes on in the folder it was in. */
const NOT_STOPPING = new Set(['echo', 'printf', 'true', ':', 'logger']);
/** Commands after `cd DIR ||` that stop it. */
const STOPPING = new Set(['exit', 'return', 'die', 'fail', 'fatal', 'abort', 'panic', 'kill', 'false']);

/** A `cd` whose failure (or empty target) leaves the script where it was, and why. */
interface PendingCd {
  readonly command: SimpleCommand;
  /** Commands up to this index are skipped when the cd fails (`cd x && rm -rf *`). */
  readonly safeUntil: number;
  readonly why: string;
  readonly severity: Severity;
  reported: boolean;
}

/**
 * `cd build; rm -rf *`: a destructive command (`rm` of a glob or recursive, `find -delete`, `git clean -f`) whose
 * target is relative to a folder a `cd` before it went to, when nothing stops the script if that cd fails (no `set
 * -e`, `cd x || echo`, `set -e` with `cd x && a; rm ...`, where a failure on the left of `&&` does not stop bash) or
 * when its target is a variable that is never set (`cd $DIR` then goes to the home folder). The rm then deletes the
 * folder the script was in: the workdir, with the job's code and data, or the home folder.
 */
export const uncheckedCd: Rule = {
  id: 'unchecked-cd',
  summary: 'rm -rf * (or find -delete, git clean) after a cd that may fail: it deletes the folder the script was in',
  check(context) {
    const findings: Finding[] = [];
    // What the scripts and the job set, for a `cd $DIR`: read only when one is met.
    let knownSet: Set<string> | undefined;
    const known = () => {
      knownSet ??= new Set([...variablesSet(context.scripts), ...providedVariables(context)]);
      return knownSet;
    };
    const cache = new Map<ScriptInput, Map<SimpleCommand, ShellOptions>>();
    for (const script of context.scripts) {
      const commands = script.parsed.commands;
      if (!commands.some((command) => isCd(command))) continue;
      const options = optionsAt(script, cache);
      const inner = substitutionCommands(script.parsed);
      // A subshell's or a function body's cd does not outlive it: the state at its start comes back at its end.
      const scopes = (script.parsed.compounds ?? []).filter((compound) => compound.kind !== '{');
      const saved = new Map<number, PendingCd | undefined>();
      const starting = new Map<number, number[]>();
      for (const scope of scopes)
        starting.set(scope.bodyStart, [...(starting.get(scope.bodyStart) ?? []), scope.bodyEnd]);
      let pending: PendingCd | undefined;
      let nounset = false;
      /** Folders `mkdir` made (as written): a cd into one just made does not fail. */
      const created = new Set<string>();
      commands.forEach((command, index) => {
        if (saved.has(index)) pending = saved.get(index);
        for (const end of starting.get(index) ?? []) if (!saved.has(end)) saved.set(end, pending);
        if (inner.has(command)) return;
        const effective = effectiveCommand(command);
        if (effective?.name === 'set' && turnsOnNounset(command)) nounset = true;
        if (effective?.name === 'mkdir') for (const made of operands(effective.args)) created.add(made.raw);
        if (effective?.name === 'cd' || effective?.name === 'pushd') {
          pending = cdState(command, index, commands, options.get(command), known, nounset, created);
          return;
        }
        const what =
          pending && effective && index > pending.safeUntil && !pending.reported ? destructive(effective) : undefined;
        if (!pending || !what) return;
        pending.reported = true;
        const cdLine = script.place(pending.command.position).line;
        findings.push(
          scriptFinding(script, command.position, {
            rule: 'unchecked-cd',
            severity: pending.severity,
            message:
              `${what} runs in whatever folder the script is in, and the 'cd' at line ${cdLine} may not have ` +
              `taken it where it looks: ${pending.why}; it would delete the workdir's (or the home folder's) files`,
            hint: "write 'cd DIR || exit 1' (or 'cd DIR && rm ...' on one line), or give rm the full path",
          }),
        );
      });
    }
    return findings;
  },
};

function isCd(command: SimpleCommand): boolean {
  const name = effectiveCommand(command)?.name;
  return name === 'cd' || name === 'pushd';
}

function cdState(
  command: SimpleCommand,
  index: number,
  commands: readonly SimpleCommand[],
  options: ShellOptions | undefined,
  known: () => ReadonlySet<string>,
  nounset: boolean,
  created: ReadonlySet<string>,
): PendingCd | undefined {
  const args = operands(effectiveCommand(command)?.args ?? []);
  const target = args[0];
  // `cd` alone (the home folder), `cd -`: meant.
  if (!target) return undefined;
  const empty = emptyTarget(target, known, nounset);
  if (empty) {
    if (command.orElse || command.condition || command.negated) return undefined;
    return { command, safeUntil: index, why: empty, severity: 'warning', reported: false };
  }
  if (command.condition || command.negated || created.has(target.raw)) return undefined;
  if (command.orElse) {
    const handler = commands[index + 1];
    const name = handler ? effectiveCommand(handler)?.name : undefined;
    if (name && NOT_STOPPING.has(name) && !handler!.andThen && !stopsLater(commands, index + 1))
      return {
        command,
        safeUntil: index,
        why: `'|| ${name}' does not stop the script`,
        severity: 'error',
        reported: false,
      };
    // exit, return, a function of the script (`die`), anything else: taken as handling it.
    return undefined;
  }
  const errexit = options?.errexit ?? true;
  if (command.andThen) {
    let safeUntil = index + 1;
    while (safeUntil < commands.length && !commands[safeUntil]!.endsList) safeUntil += 1;
    const why = errexit
      ? "set -e does not stop the script for a failure on the left of '&&', only the rest of that line is skipped"
      : "nothing stops the script when it fails ('&&' only skips the rest of that line, and set -e is off)";
    return { command, safeUntil, why, severity: 'error', reported: false };
  }
  if (errexit) return undefined;
  return {
    command,
    safeUntil: index,
    why: 'nothing stops the script when it fails (set -e is off here)',
    severity: 'error',
    reported: false,
  };
}

/** `cd x || { echo "no x"; exit 1; }`: the handler's group ends with a command that stops the script. */
function stopsLater(commands: readonly SimpleCommand[], start: number): boolean {
  for (let index = start; index < commands.length && index < start + 4; index++) {
    const command = commands[index]!;
    const name = effectiveCommand(command)?.name;
    if (name && STOPPING.has(name)) return true;
    if (command.endsList && command.position.line !== commands[start]!.position.line) return false;
  }
  return false;
}

/** Why a `cd` target may be empty: a lone `$NAME` that nothing sets (`cd $DIR` then goes home, `cd ""` stays). */
function emptyTarget(target: Word, known: () => ReadonlySet<string>, nounset: boolean): string | undefined {
  const [part, ...rest] = target.parts;
  if (rest.length || part?.kind !== 'variable' || nounset) return undefined;
  const use = part.use;
  if ((use.operator !== undefined && GUARDED.has(use.operator)) || known().has(use.name)) return undefined;
  return part.quoted
    ? `$${use.name} is never set, and 'cd ""' succeeds without moving`
    : `$${use.name} is never set, and 'cd' with no folder goes to the home folder`;
}

/** A command that deletes relative to the current folder: what it is, in words, or undefined. */
function destructive(effective: EffectiveCommand): string | undefined {
  const values = effective.args.map((arg) => arg.literal ?? '');
  // `ls | grep -v '\.zip$' | xargs rm`: names read from a listing of the current folder.
  if (effective.name === 'rm' && effective.wrappers.includes('xargs')) return `'xargs rm'`;
  if (effective.name === 'rm') {
    const recursive = values.some((value) => /^-[a-zA-Z]*[rR]/.test(value) || value === '--recursive');
    const targets = operands(effective.args).filter(relative);
    const globbed = targets.some(hasGlob);
    if (targets.length && (recursive || globbed)) return `'rm ${effective.args.map((arg) => arg.raw).join(' ')}'`;
    return undefined;
  }
  if (effective.name === 'find') {
    const start = effective.args.findIndex((arg) => /^[-(!]/.test(arg.literal ?? arg.raw));
    const paths = effective.args.slice(0, start === -1 ? effective.args.length : start);
    const deletes =
      values.includes('-delete') ||
      values.some((value, at) => (value === '-exec' || value === '-execdir') && values[at + 1] === 'rm');
    if (deletes && (paths.length === 0 || paths.some(relative)))
      return `'find ${paths.map((p) => p.raw).join(' ')}' deleting files`;
    return undefined;
  }
  if (effective.name === 'git' && values[0] === 'clean' && values.some((value) => /^-[a-zA-Z]*f/.test(value)))
    return `'git ${values.join(' ')}'`;
  return undefined;
}

/** A path relative to the current folder (`*`, `./x`, `build`), not absolute, under home, or from a variable. */
function relative(word: Word): boolean {
  const first = word.parts[0];
  if (first?.kind !== 'literal') return false;
  return !/^[/~]/.test(first.text) && first.text !== '-';
}

function hasGlob(word: Word): boolean {
  return word.parts.some((part) => part.kind === 'literal' && !part.quoted && /[*?[]/.test(part.text));
}

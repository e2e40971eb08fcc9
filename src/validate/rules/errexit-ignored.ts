import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import { optionsAt, type ShellOptions } from '../shell-options.js';
import { functionBodies, substitutionCommands } from '../shell-structure.js';
import type { CompoundCommand, SimpleCommand } from '../shell/script-model.js';

/** Commands whose failure nobody counts on to stop a script (or that never fail). */
const QUIET = new Set([
  'echo',
  'printf',
  'local',
  'export',
  'declare',
  'readonly',
  'typeset',
  'return',
  'exit',
  'shift',
  'set',
  'shopt',
  'trap',
  'true',
  'false',
  ':',
  'sleep',
  'unset',
  '[',
  '[[',
  'test',
  'let',
  'wait',
]);

/**
 * `set -e` is off for everything a command in a condition runs: a function (or a `{ ...; }` group, a `( ... )`
 * subshell) called as an `if`/`while` test, after `!`, or on the left of `&&` or `||` (`prepare || exit 1`), and a
 * function called inside `$( ... )` (bash does not pass set -e into it without `shopt -s inherit_errexit`). A
 * failing command in its middle does not stop it: the next one runs, and only the last one's status counts. A
 * warning at the call, naming the function and the first command inside it that was meant to stop it.
 */
export const errexitIgnored: Rule = {
  id: 'errexit-ignored',
  summary: 'set -e is ignored inside a function or group called as a condition (if f, f || exit, ! f, $(f))',
  check({ scripts }) {
    const findings: Finding[] = [];
    const cache = new Map<ScriptInput, Map<SimpleCommand, ShellOptions>>();
    // Functions of a sourced file (`source scripts/common.sh`) are the caller's too.
    const sourced = new Map<string, Defined>();
    for (const script of scripts)
      if (script.calledBy?.how === 'source')
        for (const [name, body] of functionBodies(script.parsed)) sourced.set(name, { script, body });
    for (const script of scripts) {
      const parsed = script.parsed;
      const compounds = parsed.compounds ?? [];
      if (!compounds.length && !sourced.size) continue;
      const commands = parsed.commands;
      const options = optionsAt(script, cache);
      const own = functionBodies(parsed);
      const functions = new Map<string, Defined>([
        ...sourced,
        ...[...own].map(([name, body]): [string, Defined] => [name, { script, body }]),
      ]);
      const inner = substitutionCommands(parsed);
      const inherits = /inherit_errexit/.test(script.text);
      const report = (
        at: SimpleCommand | CompoundCommand,
        what: string,
        defined: Defined,
        where: string,
        expected: boolean,
      ): void => {
        if (!expected) return;
        const { body } = defined;
        const stopper = firstStopper(defined.script.parsed.commands, body, functions);
        if (!stopper) return;
        const placed = defined.script.place(stopper.position).line;
        const line = defined.script === script ? `line ${placed}` : `${defined.script.file}:${placed}`;
        const text = stopper.words.map((word) => word.raw).join(' ');
        findings.push(
          scriptFinding(script, at.position, {
            rule: 'errexit-ignored',
            severity: 'warning',
            message:
              `set -e is ignored inside ${what} here (${where}): if '${shorten(text)}' (${line}) fails, ` +
              `${what} goes on with its next command, and only its last command's status counts`,
            hint:
              body.kind === 'function'
                ? `call ${body.name} on a line of its own, or add '|| return 1' to the commands inside it that must ` +
                  'stop it'
                : "put the commands on lines of their own, or add '|| exit 1' to each that must stop the script",
          }),
        );
      };
      commands.forEach((command, index) => {
        const name = effectiveCommand(command)?.name;
        const defined = name === undefined ? undefined : functions.get(name);
        if (!defined) return;
        const body = defined.body;
        if (defined.script === script && index >= body.bodyStart && index < body.bodyEnd) return;
        const where = conditionOf(command) ?? (inner.has(command) && !inherits ? 'called inside $( ... )' : undefined);
        if (!where) return;
        const errexit = options.get(command)?.errexit ?? true;
        const setsErrexit = defined.script.parsed.commands
          .slice(body.bodyStart, body.bodyEnd)
          .some((inside) => inside.words[0]?.literal === 'set' && /^-[a-z]*e/.test(inside.words[1]?.literal ?? ''));
        report(command, `'${name}'`, defined, where, errexit || setsErrexit);
      });
      for (const compound of compounds) {
        if (compound.kind === 'function' || compound.bodyEnd - compound.bodyStart < 2) continue;
        const where = conditionOf(compound);
        const first = commands[compound.bodyStart];
        // A function's body group (`f() { ...; }`) has none of these: it is judged where the function is called.
        if (!where || !first) continue;
        const errexit = options.get(first)?.errexit ?? true;
        const what = compound.kind === '(' ? 'this ( ... ) subshell' : 'this { ...; } group';
        report(compound, what, { script, body: compound }, where, errexit);
      }
    }
    return findings;
  },
};

/** A function's body, in the script that defines it. */
interface Defined {
  readonly script: ScriptInput;
  readonly body: CompoundCommand;
}

function conditionOf(command: {
  readonly condition?: boolean;
  readonly negated?: boolean;
  readonly andThen?: boolean;
  readonly orElse?: boolean;
}): string | undefined {
  if (command.condition) return 'a condition of if, elif, while or until';
  if (command.negated) return "negated with '!'";
  if (command.orElse) return "on the left of '||'";
  if (command.andThen) return "on the left of '&&'";
  return undefined;
}

/**
 * The first command of a body that set -e was meant to stop on: one that stands at the body's top level, is not its
 * last command (whose status is the body's), is not itself a condition or handled, and can fail in earnest.
 */
function firstStopper(
  commands: readonly SimpleCommand[],
  body: CompoundCommand,
  functions: ReadonlyMap<string, Defined>,
): SimpleCommand | undefined {
  const inside = commands.slice(body.bodyStart, body.bodyEnd);
  if (inside.length < 2) return undefined;
  const top = Math.min(...inside.map((command) => command.depth ?? 0));
  for (const [offset, command] of inside.entries()) {
    if (offset === inside.length - 1) return undefined;
    if ((command.depth ?? 0) !== top || !command.words.length) continue;
    if (command.condition || command.negated || command.andThen || command.orElse || command.pipesInto) continue;
    if (command.background) continue;
    const name = effectiveCommand(command)?.name;
    if (!name || QUIET.has(name) || functions.has(name)) continue;
    // `mkdir -p` fails only on a read-only or full disk, which the next command meets anyway.
    if (name === 'mkdir' && command.words.some((word) => /^-[a-z]*p/.test(word.literal ?? ''))) continue;
    // `cmd; status=$?`: the body reads the status itself.
    const next = inside[offset + 1];
    if (
      next &&
      /\$\?|\$\{\?\}/.test([...next.words, ...next.assignments.map((a) => a.value)].map((w) => w?.raw ?? '').join(' '))
    )
      continue;
    return command;
  }
  return undefined;
}

function shorten(text: string): string {
  return text.length > 50 ? `${text.slice(0, 47)}...` : text;
}

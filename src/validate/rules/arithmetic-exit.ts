import type { Finding } from '../../base/finding.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { ScriptInput } from '../script-input.js';
import { DECLARING_BUILTINS } from '../script-variables.js';
import { optionsAt, optionsAtStart, type ShellOptions } from '../shell-options.js';
import type { ScriptPosition, SimpleCommand } from '../shell/script-model.js';

/**
 * `(( count++ ))` (or `let count++`) where count is 0, under `set -e`, which dlrun's inline setup and run always
 * have: an arithmetic command whose value is 0 returns status 1, and the post-increment's value is the old one, so
 * the script stops there, typically on a loop's first pass after `count=0`. `(( x = 0 ))` does the same. In a
 * condition, or followed by `||`/`&&`, it is a test, not a failure; `(( ++count ))` and `count=$((count + 1))` are
 * the safe spellings.
 */
export const arithmeticExit: Rule = {
  id: 'arithmetic-exit',
  summary: "'(( count++ ))' when count is 0 under set -e (dlrun's setup and run): status 1 stops the script",
  check({ scripts }) {
    const findings: Finding[] = [];
    const cache = new Map<ScriptInput, Map<SimpleCommand, ShellOptions>>();
    for (const script of scripts) {
      const options = optionsAt(script, cache);
      const lines = script.text.split('\n');
      for (const { text, position, spelled } of arithmeticStatements(script)) {
        if (inCondition(lines, position, spelled)) continue;
        if (!errexitAt(script, options, position, cache)) continue;
        const post = /^\s*([A-Za-z_]\w*)\s*(\+\+|--)\s*$/.exec(text);
        const zeroed = /^\s*([A-Za-z_]\w*)\s*=\s*0+\s*$/.exec(text);
        const name = post?.[1] ?? zeroed?.[1];
        if (!name || (post && !zeroBefore(script, name, position))) continue;
        findings.push(
          scriptFinding(script, position, {
            rule: 'arithmetic-exit',
            severity: 'error',
            message:
              `'${spelled === 'let' ? 'let ' : '(('}${text.trim()}${spelled === 'let' ? '' : '))'}' has the value 0 ` +
              `here${post ? ` (${name} is 0, and ${post[2]} after a name gives the old value)` : ''}, so it returns ` +
              'status 1, and set -e stops the script' +
              (script.calledBy ? '' : " (dlrun runs setup and run with 'bash -e')"),
            hint: post
              ? `write ${name}=$((${name} ${post[2] === '++' ? '+' : '-'} 1)), or (( ${post[2]}${name} ))`
              : `write ${name}=0`,
          }),
        );
      }
    }
    return findings;
  },
};

interface Statement {
  readonly text: string;
  readonly position: ScriptPosition;
  readonly spelled: '((' | 'let';
}

/** `(( ... ))` commands and `let EXPR` with one expression. */
function arithmeticStatements(script: ScriptInput): Statement[] {
  const found: Statement[] = (script.parsed.arithmeticCommands ?? []).map((command) => ({
    ...command,
    spelled: '((' as const,
  }));
  for (const command of script.parsed.commands) {
    const [name, expression, extra] = command.words.map((word) => word.literal);
    if (name === 'let' && expression !== undefined && extra === undefined && command.words.length === 2)
      found.push({ text: expression, position: command.position, spelled: 'let' });
  }
  return found;
}

/** In an if/while/until condition, after `!`, or in a list with `&&`/`||`: a test whose status is looked at. */
function inCondition(lines: readonly string[], position: ScriptPosition, spelled: string): boolean {
  const line = lines[position.line - 1] ?? '';
  const before = line.slice(0, position.column - 1).trimEnd();
  if (/(^|[\s;])(if|while|until|elif|!)$|(&&|\|\||\|)$/.test(before)) return true;
  const close = spelled === 'let' ? line.indexOf(' ', position.column + 4) : line.indexOf('))', position.column + 1);
  // An expression that runs over a line end, or a `let` whose end cannot be found: left alone.
  if (spelled === '((' && close < 0) return true;
  const after = close < 0 ? '' : line.slice(close + (spelled === 'let' ? 0 : 2));
  return /^\s*(&&|\|\||\|)/.test(after);
}

/** Whether set -e is on where the statement runs: as the last `set` before it left it. */
function errexitAt(
  script: ScriptInput,
  options: Map<SimpleCommand, ShellOptions>,
  position: ScriptPosition,
  cache: Map<ScriptInput, Map<SimpleCommand, ShellOptions>>,
): boolean {
  let current = optionsAtStart(script, cache).errexit;
  for (const command of script.parsed.commands) {
    if (!before(command.position, position)) break;
    const words = command.words.map((word) => word.literal ?? '');
    if (words[0] !== 'set' || command.nested) continue;
    // The options after this `set`: those of the next command, or worked out again here for the last one.
    const next = script.parsed.commands[script.parsed.commands.indexOf(command) + 1];
    current = next ? (options.get(next)?.errexit ?? current) : current;
  }
  return current;
}

/** Whether the variable's last change before `position` set it to a literal 0 (`count=0`, `local count=0`). */
function zeroBefore(script: ScriptInput, name: string, position: ScriptPosition): boolean {
  let last: { position: ScriptPosition; zero: boolean } | undefined;
  const note = (at: ScriptPosition, zero: boolean): void => {
    if (before(at, position) && (!last || !before(at, last.position))) last = { position: at, zero };
  };
  for (const command of script.parsed.commands) {
    for (const assignment of command.assignments)
      if (assignment.name === name) {
        // The value word is written with its name (`count=0`).
        const value = (assignment.value?.literal ?? '').replace(new RegExp(`^${name}\\+?=`), '');
        note(assignment.position, /^0+$/.test(value));
      }
    const words = command.words.map((word) => word.literal ?? word.raw);
    if (DECLARING_BUILTINS.has(words[0] ?? '') || words[0] === 'read' || words[0] === 'let')
      for (const word of words.slice(1)) {
        const match = /^([A-Za-z_]\w*)(=(.*))?$/.exec(word);
        if (match?.[1] === name) note(command.position, words[0] !== 'read' && /^0+$/.test(match[3] ?? ''));
      }
  }
  for (const command of script.parsed.arithmeticCommands ?? [])
    if (new RegExp(`\\b${name}\\b`).test(command.text) && before(command.position, position))
      note(command.position, /^\s*\w+\s*=\s*0+\s*$/.test(command.text));
  for (const loop of script.parsed.loopVariables)
    if (loop.name === name && before(loop.position, position)) note(loop.position, false);
  return last?.zero ?? false;
}

function before(first: ScriptPosition, second: ScriptPosition): boolean {
  return first.line < second.line || (first.line === second.line && first.column < second.column);
}

import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { Word } from '../shell/script-model.js';

/** Commands that take a path as it is given, with no `~` of their own. */
const FILE_COMMANDS = new Set([
  'cd',
  'cp',
  'mv',
  'ls',
  'cat',
  'rm',
  'mkdir',
  'touch',
  'chmod',
  'ln',
  'tar',
  'unzip',
  'source',
  '.',
  'head',
  'tail',
  'du',
]);

/**
 * A `~` bash does not expand: in quotes (`"~/data"`), or after `=` in an argument (`--data=~/data`). The program
 * gets a path that starts with a folder named `~`, which does not exist. For the shell's file commands (cp, cd,
 * tar ...) that is an error; a program may expand it itself (Python's os.path.expanduser, as some libraries do),
 * so elsewhere it is a warning.
 */
export const tildeNotExpanded: Rule = {
  id: 'tilde-not-expanded',
  summary: 'a \'~\' bash does not expand: in quotes ("~/data") or after = in an argument (--data=~/data)',
  check({ scripts }) {
    const findings: Finding[] = [];
    for (const script of scripts) {
      for (const command of script.parsed.commands) {
        const effective = effectiveCommand(command);
        // What echo and printf print is text: "~/x" there is what the user wants to see.
        if (effective && ['echo', 'printf'].includes(effective.name)) continue;
        const words: { word: Word; assigned: boolean }[] = [
          ...(effective?.args ?? []).map((word) => ({ word, assigned: false })),
          ...command.assignments.flatMap((assignment) =>
            assignment.value ? [{ word: assignment.value, assigned: true }] : [],
          ),
        ];
        for (const { word, assigned } of words) {
          const how = unexpanded(word, assigned);
          if (!how) continue;
          const error = !assigned && effective !== undefined && FILE_COMMANDS.has(effective.name);
          findings.push(
            scriptFinding(script, word.position, {
              rule: 'tilde-not-expanded',
              severity: error ? 'error' : 'warning',
              message:
                `the ~ in '${word.raw}' is not expanded (${how}): ` +
                (assigned
                  ? "the variable holds a path starting with a folder named '~'"
                  : `${error ? effective!.name : 'the program'} gets a path starting with a folder named '~'`),
              hint: 'write "$HOME/..." (it expands in quotes), or leave the ~ unquoted at the start of the word',
            }),
          );
        }
      }
    }
    return findings;
  },
};

/** Why a word's `~/` stays as it is, or undefined when bash expands it (or there is none). */
function unexpanded(word: Word, assigned: boolean): string | undefined {
  const first = word.parts[0];
  if (assigned) {
    // `DATA="~/x"`: the value word holds the name; its first quoted part is the value.
    const value = word.parts.find((part) => part.kind === 'literal' && part.quoted);
    const before = word.raw.slice(0, word.raw.indexOf('='));
    if (value?.kind === 'literal' && /^~\//.test(value.text) && /^[A-Za-z_]\w*\+?$/.test(before))
      return word.raw.slice(before.length + 1).startsWith('"') || word.raw.slice(before.length + 1).startsWith("'")
        ? 'it is in quotes'
        : undefined;
    return undefined;
  }
  if (first?.kind === 'literal' && first.quoted && /^~\//.test(first.text)) return 'it is in quotes';
  if (first?.kind === 'literal' && !first.quoted && /^--?[\w-]+=~\//.test(first.text)) return 'it follows =';
  return undefined;
}

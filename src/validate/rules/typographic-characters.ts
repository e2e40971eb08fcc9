import type { Finding } from '../../base/finding.js';
import { effectiveCommand } from '../command-words.js';
import { scriptFinding, type Rule } from '../rule.js';
import type { Word } from '../shell/script-model.js';

/** Characters pasted from web pages and word processors that look like shell syntax and are not. */
const LOOKALIKES: Readonly<Record<string, { name: string; means: string }>> = {
  '\u201C': { name: 'a typographic opening quote “', means: '"' },
  '\u201D': { name: 'a typographic closing quote ”', means: '"' },
  '\u2018': { name: 'a typographic opening quote ‘', means: "'" },
  '\u2019': { name: 'a typographic closing quote ’', means: "'" },
  '\u201E': { name: 'a typographic low quote „', means: '"' },
  '\u2013': { name: 'an en dash –', means: '-' },
  '\u2014': { name: 'an em dash —', means: '--' },
  '\u2212': { name: 'a minus sign −', means: '-' },
  '\u00A0': { name: 'a non-breaking space', means: ' ' },
  '\u2009': { name: 'a thin space', means: ' ' },
  '\u200B': { name: 'a zero-width space', means: '' },
};

/**
 * Typographic quotes, dashes and spaces outside quotes in a script: `python train.py –epochs 5` passes `–epochs`
 * as a file name, and “quoted” words keep their quote marks. Inside ordinary quotes they are just text.
 */
export const typographicCharacters: Rule = {
  id: 'typographic-characters',
  summary: 'typographic quotes, dashes and spaces pasted from a web page into a command',
  check({ scripts }) {
    const findings: Finding[] = [];
    for (const script of scripts) {
      for (const command of script.parsed.commands) {
        // A dash standing alone among what echo and printf print is punctuation in a message (`echo Done — see logs`),
        // also behind a wrapper (`sudo echo ...`).
        const prose = ['echo', 'printf'].includes(effectiveCommand(command)?.name ?? '');
        for (const word of [
          ...command.words,
          ...command.assignments.flatMap((assignment) => (assignment.value ? [assignment.value] : [])),
        ]) {
          if (prose && /^[\u2013\u2014]$/.test(word.raw)) continue;
          const found = unquotedLookalike(word);
          if (!found) continue;
          const fixed = word.raw.replace(
            /[\u201C\u201D\u2018\u2019\u201E\u2013\u2014\u2212\u00A0\u2009\u200B]/g,
            (character) => LOOKALIKES[character]!.means,
          );
          findings.push(
            scriptFinding(
              script,
              { line: word.position.line, column: word.position.column + found.offset },
              {
                rule: 'typographic-characters',
                severity: 'error',
                message:
                  `${found.name} in '${word.raw}': the shell sees it as an ordinary character, ` +
                  `not as ${found.means === ' ' ? 'a space' : `'${found.means}'`}`,
                suggestion: fixed,
                hint: 'retype it; text copied from web pages and documents often holds these',
              },
            ),
          );
        }
      }
    }
    return findings;
  },
};

function unquotedLookalike(word: Word): { name: string; means: string; offset: number } | undefined {
  for (const part of word.parts) {
    if (part.kind !== 'literal' || part.quoted) continue;
    for (const character of part.text) {
      const lookalike = LOOKALIKES[character];
      if (lookalike) return { ...lookalike, offset: Math.max(0, word.raw.indexOf(character)) };
    }
  }
  return undefined;
}

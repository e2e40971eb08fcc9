import assert from 'node:assert/strict';
import { test } from 'vitest';
import fc from 'fast-check';
import { parseScript } from '../../../src/validate/shell/parser.js';

/** Pieces real scripts are made of, so that generated scripts reach every construct, open and closed. */
const PIECES = [
  'echo hi',
  'if',
  'then',
  'fi',
  'else',
  'elif',
  'for i in 1 2',
  'do',
  'done',
  'while true',
  'case $x in',
  'a)',
  ';;',
  'esac',
  '{',
  '}',
  '(',
  ')',
  '"',
  "'",
  '`',
  '$(',
  '${',
  '}',
  '$((',
  '))',
  '<<EOF',
  'EOF',
  '<<-END',
  'END',
  '&&',
  '||',
  '|',
  ';',
  '&',
  '\n',
  ' ',
  '\\\n',
  '#',
  '[[',
  ']]',
  '=',
  'x=1',
  'arr=(',
  '$HOME',
  '"$A"',
  '> out',
  '2>&1',
  '< in',
  'function f',
  'f()',
  '!',
  'set -u',
  'export A=1',
  '\t',
  '$',
  '\\',
  '\r\n',
];

function lineCount(text: string): number {
  return text.split('\n').length;
}

test('the shell parser never throws, and every position it reports is inside the script', () => {
  fc.assert(
    fc.property(
      fc
        .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 })), { maxLength: 60 })
        .map((pieces) => pieces.join(' ')),
      (text) => {
        const parsed = parseScript(text);
        const lines = lineCount(text);
        const inside = (position: { line: number; column: number }): boolean =>
          position.line >= 1 && position.line <= lines && position.column >= 1;
        if (parsed.syntaxError) assert.ok(inside(parsed.syntaxError.position), JSON.stringify(parsed.syntaxError));
        for (const command of parsed.commands) {
          assert.ok(
            inside(command.position),
            `command at ${JSON.stringify(command.position)} in ${JSON.stringify(text)}`,
          );
          for (const word of command.words) assert.ok(inside(word.position));
        }
      },
    ),
    { seed: 4242, numRuns: 2000 },
  );
});

test('the parser agrees with bash -n on what is a syntax error, for scripts built from whole constructs', async () => {
  const { spawnSync } = await import('node:child_process');
  const constructs = [
    'echo a',
    'if true; then echo b; fi',
    'for i in 1; do echo $i; done',
    'case x in a) echo;; esac',
    'f() { echo; }',
    'x=$(date)',
    'cat <<EOF\nbody\nEOF',
    '( cd / )',
    'echo "q"',
    "echo 'q'",
  ];
  const broken = [
    'if true; then',
    'for i in 1; do',
    'case x in',
    'echo "open',
    "echo 'open",
    'x=$(date',
    '{ echo',
    'fi',
    'done',
    'esac',
  ];
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...constructs), { maxLength: 6 }),
      fc.option(fc.constantFrom(...broken)),
      fc.nat(6),
      (good, bad, at) => {
        const lines = [...good];
        if (bad !== null) lines.splice(Math.min(at, lines.length), 0, bad);
        const text = `${lines.join('\n')}\n`;
        const bash = spawnSync('bash', ['-n'], { input: text });
        const parsed = parseScript(text);
        assert.equal(
          parsed.syntaxError !== undefined,
          bash.status !== 0,
          `${JSON.stringify(text)}: dlrun ${parsed.syntaxError?.message ?? 'ok'}, ` +
            `bash ${bash.stderr.toString().trim() || 'ok'}`,
        );
      },
    ),
    { seed: 77, numRuns: 150 },
  );
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'vitest';
import fc from 'fast-check';
import { DlrunError } from '../../../src/base/errors.js';
import { shellArray, shellQuote } from '../../../adapters/ec2/ec2-shell-quote.js';

// Fixed seed: CI runs the same cases every time; a failure prints its seed and path to replay it.
const RUNS = { numRuns: 200, seed: 20_261_127 } as const;

/** Characters that mean something to bash, and some that mean something to UTF-8. */
const SPECIAL = [
  "'",
  '"',
  '\\',
  '$',
  '`',
  '\n',
  '\r',
  '\t',
  ' ',
  '!',
  '*',
  '?',
  '~',
  '#',
  ';',
  '&',
  '|',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  '<',
  '>',
  '=',
  '%',
  '^',
  'a',
  'é',
  '☃',
  '𝔘',
  '\u2028',
  '\x7f',
  '\x01',
];

/** Any text bash can hold: every code point but NUL, and strings made of nothing but bash's special characters. */
const text = fc
  .oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: fc.constantFrom(...SPECIAL), maxLength: 40 }))
  .filter((value) => !value.includes('\0'));

function bash(script: string): Buffer {
  const result = spawnSync('bash', ['-c', script], { maxBuffer: 16 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr.toString());
  return result.stdout;
}

test("any string round-trips through bash printf '%s', as a word and as an assignment", () => {
  fc.assert(
    fc.property(text, (value) => {
      const quoted = shellQuote(value);
      assert.deepEqual(bash(`printf '%s' ${quoted}`), Buffer.from(value), quoted);
      assert.deepEqual(bash(`value=${quoted}\nprintf '%s' "$value"`), Buffer.from(value), quoted);
    }),
    RUNS,
  );
});

test('any list of strings round-trips as a bash array, empty entries included', () => {
  fc.assert(
    fc.property(fc.array(fc.option(text, { nil: null }), { maxLength: 8 }), (values) => {
      const script = `values=${shellArray(values)}\nfor value in "\${values[@]}"; do printf '%s\\0' "$value"; done`;
      assert.deepEqual(bash(script), Buffer.from(values.map((value) => `${value ?? ''}\0`).join('')), script);
    }),
    RUNS,
  );
});

test('a NUL is refused: no shell variable can hold one', () => {
  assert.throws(
    () => shellQuote('a\0b', 'env value X'),
    (error) => error instanceof DlrunError && /env value X holds a NUL/.test(error.message),
  );
});

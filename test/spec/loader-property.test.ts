import assert from 'node:assert/strict';
import { test } from 'vitest';
import fc from 'fast-check';
import { hasErrors } from '../../src/base/finding.js';
import { parseJobText } from '../../src/spec/parse-job-text.js';
import { generatedJobText } from '../support/job-arbitraries.js';
import { parse } from '../support/job-text.js';

// Fixed seeds: CI runs the same cases every time; a failure prints its seed and path to replay it.
const READ_BACK = { numRuns: 400, seed: 20_261_126 } as const;
const MUTATE = { numRuns: 600, seed: 42_424_242 } as const;

test('a valid job written as YAML is read back with the same values and every default', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(generatedJobText, ({ job, text }) => {
      const { job: read, findings } = parse(text);
      assert.deepEqual(findings, [], text);
      assert.ok(read, text);
      const { source, ...content } = read;
      assert.deepEqual(content, job.expected, text);
      assert.equal(source.file, 'job.yaml');
    }),
    READ_BACK,
  );
});

/** One edit to a job text. Positions are fractions of the text (or of its lines), so every edit lands inside it. */
type Mutation =
  | { readonly kind: 'delete-character' | 'duplicate-character' | 'swap-characters'; readonly at: number }
  | { readonly kind: 'insert-text'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete-line' | 'duplicate-line'; readonly at: number }
  | { readonly kind: 'swap-lines'; readonly at: number; readonly other: number }
  | { readonly kind: 'insert-line'; readonly at: number; readonly text: string };

const SNIPPETS = [
  '\t',
  '"',
  "'",
  ':',
  ': ',
  ' :',
  '[',
  ']',
  '{',
  '}',
  '*alias',
  ' *a',
  '&anchor ',
  '&a ',
  '<<: ',
  '<<: *a',
  '#',
  '- ',
  '|',
  '>',
  '?',
  '!',
  '!!str ',
  '%',
  '@',
  '`',
  ',',
  '\n',
  '\r',
  '\r\n',
  ' ',
  '  ',
  '\\',
  '\u00e9',
  '\uFEFF',
  '\u0000',
  '\u2028',
  '...',
  '---',
];
const LINES = [
  '<<: *a',
  'x: &a {cpus: 2}',
  'resources: &a',
  '  <<: *a',
  '  - item',
  '---',
  '...',
  'key:value',
  '\tcpus: 4',
  '  gpu: T4 x 2',
  'name: again',
  'run: |',
  '  run: |',
  '[',
  '{',
  '"',
  "'",
  '# comment',
  '? complex',
  ': orphan',
  '&a',
  '*a',
  'env:',
  '  A: *a',
  'limits: {max_runtime: 90}',
];

const position = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete-character', 'duplicate-character', 'swap-characters'), at: position }),
  fc.record({
    kind: fc.constant('insert-text'),
    at: position,
    text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 4 })),
  }),
  fc.record({ kind: fc.constantFrom('delete-line', 'duplicate-line'), at: position }),
  fc.record({ kind: fc.constant('swap-lines'), at: position, other: position }),
  fc.record({ kind: fc.constant('insert-line'), at: position, text: fc.constantFrom(...LINES) }),
) as fc.Arbitrary<Mutation>;

function mutate(text: string, change: Mutation): string {
  const index = Math.floor(change.at * (text.length + 1));
  const lines = text.split('\n');
  const line = Math.floor(change.at * lines.length);
  switch (change.kind) {
    case 'delete-character':
      return text.slice(0, index) + text.slice(index + 1);
    case 'duplicate-character':
      return text.slice(0, index) + text.slice(index, index + 1) + text.slice(index);
    case 'swap-characters':
      return (
        text.slice(0, index) + text.slice(index + 1, index + 2) + text.slice(index, index + 1) + text.slice(index + 2)
      );
    case 'insert-text':
      return text.slice(0, index) + change.text + text.slice(index);
    case 'delete-line':
      return [...lines.slice(0, line), ...lines.slice(line + 1)].join('\n');
    case 'duplicate-line':
      return [...lines.slice(0, line + 1), ...lines.slice(line)].join('\n');
    case 'swap-lines': {
      const other = Math.floor(change.other * lines.length);
      const swapped = [...lines];
      [swapped[line], swapped[other]] = [lines[other]!, lines[line]!];
      return swapped.join('\n');
    }
    case 'insert-line':
      return [...lines.slice(0, line), change.text, ...lines.slice(line)].join('\n');
  }
}

test('a mutated job text never throws: it gives a job, or errors that point into the text', {
  timeout: 120_000,
}, () => {
  const file = 'mutated.yaml';
  fc.assert(
    fc.property(generatedJobText, fc.array(mutation, { minLength: 1, maxLength: 6 }), ({ text }, changes) => {
      const mutated = changes.reduce(mutate, text);
      const { job, findings } = parseJobText(mutated, { path: `jobs/${file}`, dir: '/jobs', file });
      const context = `${JSON.stringify(mutated)}\n${JSON.stringify(findings, null, 2)}`;
      if (job) assert.ok(!hasErrors(findings), `a job and errors: ${context}`);
      else assert.ok(hasErrors(findings), `neither a job nor an error: ${context}`);
      const lines = mutated.split('\n');
      for (const finding of findings) {
        assert.equal(finding.file, file, context);
        assert.ok(
          Number.isInteger(finding.line) && finding.line >= 1 && finding.line <= lines.length + 1,
          `line ${finding.line} of ${lines.length}: ${context}`,
        );
        assert.ok(
          finding.column === null || (Number.isInteger(finding.column) && finding.column >= 1),
          `column ${finding.column}: ${context}`,
        );
        // Stricter than "a column": the place must exist in that line (or just past its end).
        const line = lines[finding.line - 1] ?? '';
        assert.ok(
          finding.column === null || finding.column <= line.length + 1,
          `column ${finding.column} past the end of ${JSON.stringify(line)}: ${context}`,
        );
        assert.ok(finding.message.length > 0, context);
      }
    }),
    MUTATE,
  );
});

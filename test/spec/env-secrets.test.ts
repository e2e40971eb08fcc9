import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { jobOf, testRefusals, withLines, MINIMAL } from '../support/job-text.js';

describe('env values are kept exactly as written', () => {
  // YAML would read these as numbers or booleans and print them back differently ("1.10" as 1.1).
  const plain: [string, string][] = [
    ['10', '10'],
    ['1e-3', '1e-3'],
    ['1.10', '1.10'],
    ['true', 'true'],
    ['False', 'False'],
    ['0x1F', '0x1F'],
    ['0o17', '0o17'],
    ['010', '010'],
    ['+12', '+12'],
    ['-0', '-0'],
    ['1_000', '1_000'],
    ['.inf', '.inf'],
    ['yes', 'yes'],
    ['hello world', 'hello world'],
    ['"quoted: text"', 'quoted: text'],
    ['"1.10"', '1.10'],
    ["'it''s'", "it's"],
    ['""', ''],
    ['"tab\\there"', 'tab\there'],
  ];
  for (const [written, kept] of plain) {
    test(`${written} -> ${JSON.stringify(kept)}`, () => {
      assert.deepEqual(jobOf(withLines('env:', `  VALUE: ${written}`)).env, { VALUE: kept });
    });
  }
  test('block scalars keep their lines', () => {
    const job = jobOf(
      withLines('env:', '  LITERAL: |', '    line one', '    line two', '  FOLDED: >', '    folded', '    words'),
    );
    assert.deepEqual(job.env, { LITERAL: 'line one\nline two\n', FOLDED: 'folded words\n' });
  });
  test('an alias keeps the anchored value as written', () => {
    const job = jobOf('name: a\nrun: x\nenv:\n  FIRST: &version 1.10\n  SECOND: *version\n');
    assert.deepEqual(job.env, { FIRST: '1.10', SECOND: '1.10' });
  });
  test('merge keys bring in another mapping, and keys written beside them win', () => {
    const job = jobOf('name: a\nrun: x\nenv:\n  <<: &defaults {EPOCHS: 10, LR: 1e-3}\n  LR: 3e-4\n');
    assert.deepEqual(job.env, { EPOCHS: '10', LR: '3e-4' });
  });
  test('env is optional; an empty env: counts as absent', () => {
    assert.equal(jobOf(MINIMAL).env, undefined);
    assert.equal(jobOf(withLines('env:')).env, undefined);
    assert.deepEqual(jobOf(withLines('env: {}')).env, {});
  });
  test('names of Object.prototype members are variables like any other', () => {
    const job = jobOf(withLines('env:', '  __proto__: 1', '  constructor: 2', 'secrets: [toString, valueOf]'));
    assert.deepEqual(Object.entries(job.env ?? {}), [
      ['__proto__', '1'],
      ['constructor', '2'],
    ]);
    assert.deepEqual(job.secrets, ['toString', 'valueOf']);
  });
  test('key names: letters, digits and _, not starting with a digit', () => {
    assert.deepEqual(jobOf(withLines('env:', '  _private: 1', '  lower_case: 2', '  CUDA_VISIBLE_DEVICES: 0,1')).env, {
      _private: '1',
      lower_case: '2',
      CUDA_VISIBLE_DEVICES: '0,1',
    });
  });
});

describe('env refusals', () => {
  testRefusals(
    [
      {
        text: withLines('env:', '  1ST: x'),
        line: 4,
        column: 3,
        rule: 'invalid-key',
        message: /'1ST' is not a variable name/,
      },
      { text: withLines('env:', '  MY-VAR: x'), line: 4, column: 3, rule: 'invalid-key' },
      { text: withLines('env:', '  "A B": x'), line: 4, column: 3, rule: 'invalid-key' },
      {
        text: withLines('env:', '  DLRUN_JOB_ID: mine'),
        line: 4,
        column: 3,
        rule: 'invalid-key',
        message: /DLRUN_\* names are reserved/,
      },
      {
        text: withLines('env:', '  DLRUN_OUTPUT_DIR: /tmp'),
        line: 4,
        column: 3,
        rule: 'invalid-key',
        message: /reserved/,
      },
      { text: withLines('env:', '  EMPTY:'), line: 4, column: 9, rule: 'invalid-type', hint: /EMPTY: ""/ },
      { text: withLines('env:', '  NOTHING: null'), line: 4, column: 12, rule: 'invalid-type' },
      { text: withLines('env:', '  LIST: [1, 2]'), line: 4, column: 9, rule: 'invalid-type', message: /found a list/ },
      {
        text: withLines('env:', '  MAP: {a: 1}'),
        line: 4,
        column: 8,
        rule: 'invalid-type',
        message: /found a mapping/,
      },
      { text: withLines('env: [A, B]'), line: 3, column: 6, rule: 'invalid-type' },
      { text: withLines('env: EPOCHS=10'), line: 3, column: 6, rule: 'invalid-type' },
    ],
    (text) => `refuses ${JSON.stringify(text.slice(MINIMAL.length))}`,
  );
});

describe('secrets', () => {
  test('a list of variable names, kept in order', () => {
    assert.deepEqual(jobOf(withLines('secrets: [WANDB_API_KEY, HF_TOKEN]')).secrets, ['WANDB_API_KEY', 'HF_TOKEN']);
    assert.deepEqual(jobOf(withLines('secrets:', '  - AWS_SECRET', '  - _x')).secrets, ['AWS_SECRET', '_x']);
    assert.deepEqual(jobOf(withLines('secrets: []')).secrets, []);
    assert.equal(jobOf(MINIMAL).secrets, undefined);
  });
  test('a secret may share nothing with env but can sit beside it', () => {
    const job = jobOf(withLines('env:', '  EPOCHS: 3', 'secrets: [TOKEN]'));
    assert.deepEqual([job.env, job.secrets], [{ EPOCHS: '3' }, ['TOKEN']]);
  });
  testRefusals(
    [
      {
        text: withLines('secrets: [TOKEN, TOKEN]'),
        line: 3,
        column: 18,
        rule: 'duplicate-value',
        message: /'TOKEN' is listed twice/,
      },
      { text: withLines('secrets:', '  - TOKEN', '  - "TOKEN"'), line: 5, column: 5, rule: 'duplicate-value' },
      {
        text: withLines('secrets: [1TOKEN]'),
        line: 3,
        column: 11,
        rule: 'invalid-value',
        message: /not a variable name/,
      },
      { text: withLines('secrets: [DLRUN_TOKEN]'), line: 3, column: 11, rule: 'invalid-value', message: /reserved/ },
      { text: withLines('secrets: TOKEN'), line: 3, column: 10, rule: 'invalid-type', message: /expected a list/ },
      { text: withLines('secrets: [[A]]'), line: 3, column: 11, rule: 'invalid-type' },
      {
        text: withLines('env:', '  TOKEN: abc', 'secrets: [TOKEN]'),
        line: 5,
        column: 1,
        rule: 'invalid-value',
        message: /'TOKEN' is both in env and in secrets/,
        hint: /remove TOKEN from env/,
      },
    ],
    (text) => `refuses ${JSON.stringify(text.slice(MINIMAL.length))}`,
  );
});

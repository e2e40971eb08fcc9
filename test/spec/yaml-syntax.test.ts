import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { assertFinding, jobOf, onlyError, parse, type ExpectedFinding } from '../support/job-text.js';

/** The first error of a text (YAML mistakes can cause a second, consequential one). */
function firstError(text: string, expected: ExpectedFinding): void {
  const { job, findings } = parse(text);
  assert.equal(job, undefined);
  const first = findings.find((finding) => finding.severity === 'error');
  assert.ok(first, `expected an error from:\n${text}`);
  assertFinding(first, expected, text);
}

describe('unclosed quotes and brackets are reported where they open', () => {
  const cases: [string, ExpectedFinding][] = [
    ['name: a\nrun: "python train.py\nenv:\n  A: 1\n', { line: 2, column: 6, message: /Missing closing "quote/ }],
    ["name: a\nrun: 'python train.py\nenv:\n  A: 1\n", { line: 2, column: 6, message: /Missing closing 'quote/ }],
    ['name: a\nrun: x\nenv:\n  A: "1\n  B: 2\n', { line: 4, column: 6 }],
    ['name: a\nrun: x\nsecrets: [A, B\nenv:\n  C: 1\n', { line: 3, column: 10, message: /Flow sequence/ }],
    ['name: a\nrun: x\nsecrets: [A, B', { line: 3, column: 10 }],
    ['name: a\nrun: x\nsecrets: [A, [B, C]\n', { line: 3, column: 10 }],
    ['name: a\nrun: x\nsecrets: [A, [B, C]', { line: 3, column: 10 }],
    ['name: a\nrun: x\nenv: {A: 1\nlimits:\n  max_cost: 1\n', { line: 3, column: 6, message: /Flow map/ }],
    ['name: a\nrun: x\nresources: {cpus: 2, memory: {x: 1}\n', { line: 3, column: 12 }],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => {
      firstError(text, { rule: 'yaml-syntax', hint: /opened here and never closed/, ...expected });
    });
  }
  test('a quote left open inside a list points at the quote, and the list at its bracket', () => {
    const { findings } = parse('name: a\nrun: x\nsecrets: [A, "B\n');
    assert.deepEqual(
      findings.map((finding) => [finding.line, finding.column, /quote/.test(finding.message) ? 'quote' : 'bracket']),
      [
        [3, 14, 'quote'],
        [3, 10, 'bracket'],
      ],
    );
  });
});

describe('indentation and key: value mistakes', () => {
  const cases: [string, ExpectedFinding][] = [
    ['name: a\nrun: x\nresources:\n\tcpus: 4\n', { line: 4, column: 1, message: /Tabs/, hint: /indent with spaces/ }],
    ['name: a\n\trun: x\n', { line: 2, column: 1, hint: /tabs/ }],
    [
      'name: a\nrun: x\nresources:\n  cpus: 4\n memory: 4GB\n',
      { line: 5, column: 2, message: /same column/, hint: /same column/ },
    ],
    ['name: a\nrun: x\nresources:\n    cpus: 4\n  memory: 4GB\n', { line: 5, column: 3 }],
    ['name:a\nrun: x\n', { line: 1, column: 1, hint: /space missing after ':'/ }],
    ['name: a\nrun: x\nresources:\n  cpus:4\n  memory: 4GB\n', { line: 4, column: 3, hint: /space missing after ':'/ }],
    ['name: a\nrun: x\nbackend:local\n', { line: 3, column: 1, hint: /space after ':'/ }],
    ['name: a\nrun: x\nresources:\n  memory: 4GB\n  cpus:4\n', { line: 5, column: 3, hint: /space after ':'/ }],
    ['name: a\nrun: python train.py --opt key: value\n', { line: 2, column: 6, hint: /must be quoted/ }],
    ['name: a\nrun: echo "a: b"\n', { line: 2, column: 6, hint: /must be quoted/ }],
    ['name: a\nrun: |\npython train.py\n', { line: 3, column: 1 }],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => {
      firstError(text, { rule: 'yaml-syntax', ...expected });
    });
  }
  test('a key:value without a space inside a mapping reads as text, and the message says to add the space', () => {
    onlyError('name: a\nrun: x\nresources:\n  cpus:4\n', {
      line: 4,
      column: 3,
      rule: 'invalid-type',
      hint: /put a space after each ':'/,
    });
  });
  test('a value that contains ": " is fine when quoted or written as a block', () => {
    assert.equal(jobOf('name: a\nrun: "python train.py --opt key: value"\n').run, 'python train.py --opt key: value');
    assert.equal(jobOf('name: a\nrun: |\n  echo "a: b"\n').run, 'echo "a: b"\n');
  });
});

test('after a syntax error, later lines keep their numbers', () => {
  // The parser skips the line breaks inside the text it cannot read; positions must not drift after it.
  const { findings } = parse('  run: |\nname: demo\nrun: |\n  python train.py\nbackends: {}\n');
  const backends = findings.find((finding) => finding.message.includes('"backends"'));
  assert.ok(backends, JSON.stringify(findings));
  assert.deepEqual([backends.line, backends.column], [5, 1]);
});

describe('the shape of the file', () => {
  const cases: [string, ExpectedFinding][] = [
    [
      'name: a\nrun: x\n---\nname: b\nrun: y\n',
      { line: 3, column: 1, rule: 'yaml-syntax', message: /one YAML document/, hint: /remove the '---' line/ },
    ],
    [
      '---\nname: a\nrun: x\n...\n---\nname: b\n',
      { line: 5, column: 1, rule: 'yaml-syntax', message: /a second one starts here/ },
    ],
    ['- name: a\n  run: x\n', { line: 1, column: 1, rule: 'invalid-type', message: /holds a list/ }],
    ['just some text\n', { line: 1, column: 1, rule: 'invalid-type', message: /holds the text 'just some text'/ }],
    ['42\n', { line: 1, column: 1, rule: 'invalid-type', message: /holds the number 42/ }],
    ['', { line: 1, column: 1, rule: 'invalid-type', message: /the job file is empty/ }],
    ['\n\n   \n', { line: 1, column: 1, rule: 'invalid-type', message: /empty/ }],
    ['# a job\n\n# nothing yet\n', { line: 1, column: 1, rule: 'invalid-type', hint: /'name' and 'run'/ }],
    ['---\n', { line: 1, column: 1, rule: 'invalid-type', message: /holds no settings/ }],
    ['~\n', { line: 1, column: 1, rule: 'invalid-type', message: /holds no settings/ }],
    ['name: a\n', { line: 1, column: 1, rule: 'missing-field', message: /missing 'run'/ }],
    ['name: a\nrun:\n', { line: 2, column: 1, rule: 'missing-field', message: /'run' is empty/ }],
    ['name: a\nrun: ""\n', { line: 2, column: 1, rule: 'invalid-value', message: /script is empty/ }],
    ['name: a\nrun: "   "\n', { line: 2, column: 1, rule: 'invalid-value', message: /script is empty/ }],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => {
      onlyError(text, expected);
    });
  }
  test('neither name nor run: both are missing, at the top of the mapping', () => {
    const { findings } = parse('env:\n  A: 1\n');
    assert.deepEqual(
      findings.map((finding) => [finding.rule, finding.line, finding.column, finding.message.slice(0, 14)]),
      [
        ['missing-field', 1, 1, "missing 'name'"],
        ['missing-field', 1, 1, "missing 'run':"],
      ],
    );
  });
  test('a document start marker and comments around a job are fine', () => {
    assert.equal(jobOf('# my job\n---\nname: a  # the name\nrun: x\n...\n').name, 'a');
  });
  test('Windows line ends are read like Unix ones', () => {
    const job = jobOf('name: a\r\nrun: |\r\n  python train.py\r\nenv:\r\n  A: 1\r\n');
    assert.equal(job.run, 'python train.py\n');
    assert.deepEqual(job.source.positions['env.A'], { line: 5, column: 6 });
  });
});

describe('anchors and aliases', () => {
  test('an alias with no anchor is an error at the alias', () => {
    firstError('name: a\nrun: x\nenv:\n  A: *nothing\n', { line: 4, column: 6, rule: 'yaml-syntax' });
  });
  test('a merge key needs a mapping', () => {
    onlyError('name: a\nrun: &r x\nresources:\n  <<: *r\n', {
      line: 4,
      column: 3,
      rule: 'invalid-type',
      message: /merge key '<<' needs a mapping/,
    });
  });
  test('merge keys work in every mapping, nested merges included, and written keys win', () => {
    const job = jobOf(
      [
        'name: a',
        'run: x',
        'resources:',
        '  <<: [{cpus: 1, <<: {memory: 1GB, disk: 2GB}}, {cpus: 2, memory: 2GB, nodes: 3}]',
        '  disk: 10GB',
        '',
      ].join('\n'),
    );
    assert.deepEqual(job.resources, { cpus: 1, memory: 1, disk: 10, nodes: 3, spot: false });
  });
  test('a mapping that merges itself is read once', () => {
    assert.deepEqual(jobOf('name: a\nrun: x\nresources: &r\n  <<: *r\n  cpus: 2\n').resources, {
      cpus: 2,
      nodes: 1,
      spot: false,
    });
  });
  test('a self-referencing alias is an error, not a loop', () => {
    onlyError('name: a\nrun: x\nenv: &e\n  A: *e\n', {
      line: 4,
      column: 3,
      rule: 'invalid-type',
      message: /env.A: expected a single value, found a mapping/,
    });
  });
});

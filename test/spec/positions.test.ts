import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { assertFinding, jobOf, onlyError, parse, withLines, type ExpectedFinding } from '../support/job-text.js';

describe('unknown keys, at every level, at the key', () => {
  const cases: [string, ExpectedFinding][] = [
    [withLines('nmae: x'), { line: 3, column: 1, message: /unknown key 'nmae' at the top level/, suggestion: 'name' }],
    [withLines('Resources: {}'), { line: 3, column: 1, suggestion: 'resources' }],
    [withLines('framwork: jax==0.4.30'), { line: 3, column: 1, suggestion: 'framework' }],
    [withLines('secret: [A]'), { line: 3, column: 1, suggestion: 'secrets' }],
    [
      withLines('colour: blue'),
      { line: 3, column: 1, suggestion: undefined, hint: /allowed here: name, workdir, setup, run, env/ },
    ],
    [
      withLines('resources:', '  cpu: 4'),
      { line: 4, column: 3, message: /unknown key 'cpu' in 'resources'/, suggestion: 'cpus' },
    ],
    [withLines('resources:', '  gpus: T4'), { line: 4, column: 3, suggestion: 'gpu' }],
    [
      withLines('resources:', '  mem: 4GB'),
      { line: 4, column: 3, suggestion: undefined, hint: /allowed here: gpu, cpus, memory, disk, nodes, spot/ },
    ],
    [
      withLines('limits:', '  max_runtim: 4h'),
      { line: 4, column: 3, message: /in 'limits'/, suggestion: 'max_runtime' },
    ],
    [withLines('limits:', '  maxcost: 4'), { line: 4, column: 3, suggestion: 'max_cost' }],
    [
      withLines('backends:', '  ec2:', '    instance_typ: g4dn.xlarge'),
      { line: 5, column: 5, message: /in 'backends.ec2'/, suggestion: 'instance_type' },
    ],
    [
      withLines('backends:', '  vertex:', '    machinetype: n1-standard-4'),
      { line: 5, column: 5, suggestion: 'machine_type' },
    ],
    [withLines('backends:', '  rescale:', '    coretype: emerald'), { line: 5, column: 5, suggestion: 'core_type' }],
    [withLines('backends:', '  local:', '    hourly: 1'), { line: 5, column: 5, message: /in 'backends.local'/ }],
    [withLines('backends:', '  ec3: {}'), { line: 4, column: 3, suggestion: 'ec2' }],
    [withLines('resources: {gpu: T4, cpu: 2}'), { line: 3, column: 22, suggestion: 'cpus' }],
    // Names of Object.prototype's members are keys like any other, not fields the schema happens to have.
    [withLines('__proto__: {}'), { line: 3, column: 1, message: /unknown key '__proto__'/ }],
    [
      withLines('resources:', '  toString: 1'),
      { line: 4, column: 3, message: /unknown key 'toString' in 'resources'/ },
    ],
    [
      withLines('backends:', '  constructor: {}'),
      { line: 4, column: 3, message: /unknown key 'constructor' in 'backends'/ },
    ],
    [withLines('limits:', '  hasOwnProperty: 1'), { line: 4, column: 3 }],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text.split('\n').slice(2).join(' / ')), () => {
      onlyError(text, { rule: 'unknown-key', ...expected });
    });
  }
});

describe('keys at the wrong level say where they belong', () => {
  const cases: [string, string][] = [
    ['gpu: T4', 'resources'],
    ['cpus: 4', 'resources'],
    ['memory: 16GB', 'resources'],
    ['nodes: 2', 'resources'],
    ['spot: true', 'resources'],
    ['max_runtime: 4h', 'limits'],
    ['max_cost: 10', 'limits'],
    ['ec2: {}', 'backends'],
    ['vertex: {}', 'backends'],
    ['local: {}', 'backends'],
    ['instance_type: g4dn.xlarge', 'backends.ec2'],
    ['hourly_rate: 0.3', 'backends.local'],
    ['core_type: emerald', 'backends.rescale'],
    ['staging_bucket: gs://b', 'backends.vertex'],
  ];
  for (const [line, place] of cases) {
    const key = line.split(':')[0]!;
    test(`${key} -> ${place}`, () => {
      onlyError(withLines(line), {
        line: 3,
        column: 1,
        rule: 'unknown-key',
        suggestion: undefined,
        hint: new RegExp(`^'${key}' belongs under '${place.replace('.', '\\.')}'$`),
      });
    });
  }
});

describe('duplicate keys are reported at the second occurrence', () => {
  const cases: [string, ExpectedFinding][] = [
    ['name: a\nrun: x\nname: b\n', { line: 3, column: 1, message: /duplicate key name/ }],
    ['name: a\nrun: x\n"name": b\n', { line: 3, column: 1, message: /duplicate key "name"/ }],
    [
      withLines('resources:', '  cpus: 1', '  memory: 2GB', '  cpus: 2'),
      { line: 6, column: 3, message: /duplicate key cpus/ },
    ],
    [withLines('env:', '  A: 1', '  A: 2'), { line: 5, column: 3, message: /duplicate key A/ }],
    [
      withLines('backends:', '  ec2:', '    region: us-east-1', '    region: us-east-2'),
      { line: 6, column: 5, message: /duplicate key region/ },
    ],
    [withLines('resources: {cpus: 1, cpus: 2}'), { line: 3, column: 22, message: /duplicate key cpus/ }],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => {
      onlyError(text, { rule: 'duplicate-key', hint: /keep one of the two/, ...expected });
    });
  }
  test('the rest of the file is still checked', () => {
    const { job, findings } = parse('name: a\nrun: x\nname: b\nresources:\n  cpu: 2\n');
    assert.equal(job, undefined);
    assert.deepEqual(
      findings.map((finding) => [finding.rule, finding.line, finding.column]),
      [
        ['duplicate-key', 3, 1],
        ['unknown-key', 5, 3],
      ],
    );
  });
});

describe('values are reported where the value starts', () => {
  const cases: [string, ExpectedFinding][] = [
    [withLines('resources:', '  gpu:   T4 x 2'), { line: 4, column: 10 }],
    [withLines('resources:', '  gpu: &card T4 x 2'), { line: 4, column: 14 }],
    [withLines('resources: {cpus: 1, gpu: T4 x 2}'), { line: 3, column: 27 }],
    [withLines('limits:', '  max_runtime: "90"'), { line: 4, column: 16 }],
    [withLines('limits:', '  max_runtime:', '    90'), { line: 5, column: 5 }],
    [withLines('secrets:', '  - A', '  - 1B'), { line: 5, column: 5 }],
    [withLines('backend: ec3  # comment'), { line: 3, column: 10 }],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text.split('\n').slice(2).join(' / ')), () => {
      onlyError(text, expected);
    });
  }
  test('an alias is reported where its anchor wrote the value', () => {
    onlyError('name: demo\nrun: &card T4 x 2\nresources:\n  gpu: *card\n', {
      line: 2,
      column: 12,
      rule: 'invalid-value',
      suggestion: 'T4:2',
    });
  });
  test('several problems each get their own place', () => {
    const { findings } = parse(withLines('resources:', '  cpus: 0', '  memory: 4', 'limits:', '  max_runtime: 90'));
    const places = findings.map((finding) => [finding.line, finding.column]);
    assert.deepEqual(places, [
      [4, 9],
      [5, 11],
      [7, 16],
    ]);
    for (const finding of findings) assertFinding(finding, { line: finding.line, column: finding.column });
  });
});

describe('source.positions', () => {
  test('maps every field written to its value', () => {
    const job = jobOf(
      [
        'name: demo', //                          1
        'run: python train.py', //                 2
        'env:', //                                 3
        '  EPOCHS: 10', //                         4
        'secrets: [TOKEN, KEY]', //                5
        'resources:', //                           6
        '    gpu: V100:4', //                      7
        'limits: {max_runtime: 4h}', //            8
        'backends:', //                            9
        '  ec2:', //                               10
        '    security_groups:', //                 11
        '      - sg-0123abcd', //                  12
        '',
      ].join('\n'),
    );
    const positions = job.source.positions;
    assert.deepEqual(positions.name, { line: 1, column: 7 });
    assert.deepEqual(positions.run, { line: 2, column: 6 });
    assert.deepEqual(positions.env, { line: 4, column: 3 });
    assert.deepEqual(positions['env.EPOCHS'], { line: 4, column: 11 });
    assert.deepEqual(positions.secrets, { line: 5, column: 10 });
    assert.deepEqual(positions['secrets[0]'], { line: 5, column: 11 });
    assert.deepEqual(positions['secrets[1]'], { line: 5, column: 18 });
    assert.deepEqual(positions.resources, { line: 7, column: 5 });
    assert.deepEqual(positions['resources.gpu'], { line: 7, column: 10 });
    assert.deepEqual(positions.limits, { line: 8, column: 9 });
    assert.deepEqual(positions['limits.max_runtime'], { line: 8, column: 23 });
    assert.deepEqual(positions['backends.ec2.security_groups[0]'], { line: 12, column: 9 });
  });
  test('fields left to their defaults have no position', () => {
    const positions = jobOf('name: demo\nrun: x\n').source.positions;
    assert.deepEqual(Object.keys(positions).sort(), ['name', 'run']);
  });
});

describe('source.scripts', () => {
  test('a literal block maps script line 1 to the line after the |, at its indentation', () => {
    const job = jobOf(
      'name: demo\nsetup: |\n    pip install -r requirements.txt\nrun: |\n  python train.py\n  echo done\n',
    );
    assert.deepEqual(job.source.scripts.setup, { line: 3, column: 5, exact: true });
    assert.deepEqual(job.source.scripts.run, { line: 5, column: 3, exact: true });
  });
  test('a literal block with a comment or a chomping indicator on the | line', () => {
    assert.deepEqual(jobOf('name: demo\nrun: |-  # the job\n   python train.py\n').source.scripts.run, {
      line: 3,
      column: 4,
      exact: true,
    });
  });
  test('blank lines at the top of a literal block count as script lines', () => {
    assert.deepEqual(jobOf('name: demo\nrun: |\n\n  python train.py\n').source.scripts.run, {
      line: 3,
      column: 3,
      exact: true,
    });
  });
  test('a one-line run starts at its value', () => {
    assert.deepEqual(jobOf('name: demo\nrun:   python train.py\n').source.scripts.run, {
      line: 2,
      column: 8,
      exact: true,
    });
  });
  test('a quoted run starts after the quote', () => {
    assert.deepEqual(jobOf('name: demo\nrun: "python train.py"\n').source.scripts.run, {
      line: 2,
      column: 7,
      exact: true,
    });
    assert.deepEqual(jobOf("name: demo\nrun: 'python train.py'\n").source.scripts.run, {
      line: 2,
      column: 7,
      exact: true,
    });
  });
  test('a folded block maps only its first line', () => {
    // With the lines as written, where the rules see what YAML joined (folded-script).
    assert.deepEqual(jobOf('name: demo\nrun: >\n  python\n  train.py\n').source.scripts.run, {
      line: 3,
      column: 3,
      exact: false,
      written: { style: 'folded', lines: ['  python', '  train.py', ''] },
    });
  });
  test('a quoted script over several lines maps only its first line', () => {
    assert.deepEqual(jobOf('name: demo\nrun: "python train.py\\n  echo done"\n').source.scripts.run, {
      line: 2,
      column: 7,
      exact: false,
    });
  });
  test('no setup, no setup source', () => {
    assert.equal(jobOf('name: demo\nrun: x\n').source.scripts.setup, undefined);
  });
});

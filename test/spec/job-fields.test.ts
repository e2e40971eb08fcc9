import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { jobOf, parse, testRefusals, withLines, JOB_DIR, MINIMAL } from '../support/job-text.js';

// The top-level fields of JOB-SPEC.md section 1, each with the texts it accepts and the ones it refuses
// (ESLint-rule style). Resources, limits, env and the backend blocks have files of their own.

describe('name', () => {
  const valid = ['mnist-cnn', 'a', 'a7', 'resnet50-v2', 'a--b', 'x'.repeat(40), '"123"'];
  for (const name of valid) {
    test(`accepts ${name}`, () => {
      assert.equal(jobOf(`name: ${name}\nrun: x\n`).name, name.replaceAll('"', ''));
    });
  }
  testRefusals([
    {
      text: 'name: Mnist_CNN\nrun: x\n',
      line: 1,
      column: 7,
      rule: 'invalid-value',
      message: /lowercase letters, digits and '-'/,
      suggestion: 'mnist-cnn',
    },
    { text: 'name: my job\nrun: x\n', line: 1, column: 7, suggestion: 'my-job' },
    { text: 'name: -abc\nrun: x\n', line: 1, column: 7, suggestion: 'abc' },
    { text: 'name: héllo\nrun: x\n', line: 1, column: 7, suggestion: 'h-llo' },
    { text: 'name: ___\nrun: x\n', line: 1, column: 7, suggestion: undefined },
    {
      text: `name: ${'a'.repeat(41)}\nrun: x\n`,
      line: 1,
      column: 7,
      message: /41 characters long \(at most 40\)/,
      suggestion: 'a'.repeat(40),
    },
    {
      text: `name: ${'Ab'.repeat(25)}\nrun: x\n`,
      line: 1,
      column: 7,
      message: /50 characters/,
      suggestion: 'ab'.repeat(20),
    },
    { text: 'name: 123\nrun: x\n', line: 1, column: 7, rule: 'invalid-type', hint: /quotes/ },
    { text: 'name: [a]\nrun: x\n', line: 1, column: 7, rule: 'invalid-type', message: /found a list/ },
    { text: 'name: ""\nrun: x\n', line: 1, column: 7, rule: 'invalid-value' },
    { text: 'run: x\n', line: 1, column: 1, rule: 'missing-field', message: /missing 'name'/ },
    { text: 'name:\nrun: x\n', line: 1, column: 1, rule: 'missing-field', message: /'name' is empty/ },
  ]);
});

describe('workdir', () => {
  test('defaults to the folder holding the job file', () => {
    assert.equal(jobOf(MINIMAL).workdir, JOB_DIR);
  });
  const resolved: [string, string][] = [
    ['.', JOB_DIR],
    ['src', `${JOB_DIR}/src`],
    ['./src/', `${JOB_DIR}/src`],
    ['..', '/jobs'],
    ['../shared/code', '/jobs/shared/code'],
    ['/data/project', '/data/project'],
  ];
  for (const [written, absolute] of resolved) {
    test(`resolves ${written} against the job file's folder`, () => {
      assert.equal(jobOf(withLines(`workdir: ${written}`)).workdir, absolute);
    });
  }
  test('an empty workdir: counts as absent', () => {
    assert.equal(jobOf(withLines('workdir:')).workdir, JOB_DIR);
  });
  testRefusals([
    { text: withLines('workdir: 5'), line: 3, column: 10, rule: 'invalid-type' },
    { text: withLines('workdir: [a, b]'), line: 3, column: 10, rule: 'invalid-type' },
  ]);
});

describe('setup and run', () => {
  test('run is kept as written, with its lines', () => {
    const job = jobOf('name: a\nrun: |\n  python train.py \\\n    --epochs 3\n  echo "done: $?"\n');
    assert.equal(job.run, 'python train.py \\\n  --epochs 3\necho "done: $?"\n');
  });
  test('setup is optional, and kept as written when given', () => {
    assert.equal(jobOf(MINIMAL).setup, undefined);
    assert.equal(
      jobOf(withLines('setup: |', '  pip install -r requirements.txt')).setup,
      'pip install -r requirements.txt\n',
    );
    assert.equal(jobOf(withLines('setup:')).setup, undefined);
  });
  test('a one-line and a quoted run', () => {
    assert.equal(jobOf('name: a\nrun: python train.py --lr 0.1\n').run, 'python train.py --lr 0.1');
    assert.equal(jobOf('name: a\nrun: "python train.py: go"\n').run, 'python train.py: go');
  });
  testRefusals([
    { text: 'name: a\n', line: 1, column: 1, rule: 'missing-field', message: /missing 'run'/ },
    { text: 'name: a\nrun:\n', line: 2, column: 1, rule: 'missing-field', message: /'run' is empty/ },
    { text: 'name: a\nrun: ""\n', line: 2, column: 1, message: /run: the script is empty/ },
    { text: 'name: a\nrun: |\n\nenv: {}\n', line: 2, column: 1, message: /run: the script is empty/ },
    { text: 'name: a\nrun: 42\n', line: 2, column: 6, rule: 'invalid-type', hint: /quotes/ },
    { text: 'name: a\nrun: [python, train.py]\n', line: 2, column: 6, rule: 'invalid-type', message: /found a list/ },
    {
      text: 'name: a\nrun: x\nsetup: {pip: install}\n',
      line: 3,
      column: 8,
      rule: 'invalid-type',
      message: /setup: .*found a mapping/,
    },
  ]);
});

describe('framework', () => {
  const valid: [string, string, string][] = [
    ['pytorch==2.3.1', 'pytorch', '2.3.1'],
    ['tensorflow==2.16.1', 'tensorflow', '2.16.1'],
    ['jax==0.4.30', 'jax', '0.4.30'],
    ['pytorch==2.3.1+cu121', 'pytorch', '2.3.1+cu121'],
    ['jax==0.4.30rc1', 'jax', '0.4.30rc1'],
  ];
  for (const [written, name, version] of valid) {
    test(`accepts ${written}`, () => {
      assert.deepEqual(jobOf(withLines(`framework: ${written}`)).framework, { name, version });
    });
  }
  test('is optional', () => {
    assert.equal(jobOf(MINIMAL).framework, undefined);
  });
  const at = { line: 3, column: 12, rule: 'invalid-value' } as const;
  testRefusals([
    {
      text: withLines('framework: torch==2.3.1'),
      ...at,
      message: /'torch' is not how dlrun names the framework; write 'pytorch'/,
      suggestion: 'pytorch==2.3.1',
    },
    {
      text: withLines('framework: tf==2.16.1'),
      ...at,
      message: /write 'tensorflow'/,
      suggestion: 'tensorflow==2.16.1',
    },
    { text: withLines('framework: PyTorch==2.3.1'), ...at, suggestion: 'pytorch==2.3.1' },
    { text: withLines('framework: pytroch==2.3.1'), ...at, suggestion: 'pytorch==2.3.1' },
    {
      text: withLines('framework: pytorch>=2.0'),
      ...at,
      message: /is a range; pin the exact version/,
      suggestion: 'pytorch==2.0',
    },
    { text: withLines('framework: pytorch~=2.3'), ...at, message: /is a range/, suggestion: 'pytorch==2.3' },
    { text: withLines('framework: tensorflow<3'), ...at, message: /is a range/, suggestion: 'tensorflow==3' },
    { text: withLines('framework: pytorch'), ...at, message: /gives no version/, suggestion: 'pytorch==2.3.1' },
    { text: withLines('framework: jax=='), ...at, message: /gives no version/, suggestion: 'jax==0.4.30' },
    { text: withLines('framework: pytorch=2.3.1'), ...at, message: /NAME==VERSION/, suggestion: 'pytorch==2.3.1' },
    { text: withLines('framework: pytorch 2.3.1'), ...at, message: /NAME==VERSION/, suggestion: 'pytorch==2.3.1' },
    {
      text: withLines('framework: mxnet==1.9'),
      ...at,
      message: /'mxnet' is not a framework dlrun knows/,
      suggestion: undefined,
    },
    { text: withLines('framework: 2.3'), line: 3, column: 12, rule: 'invalid-type' },
  ]);
});

describe('outputs', () => {
  test('defaults to outputs', () => {
    assert.equal(jobOf(MINIMAL).outputs, 'outputs');
  });
  const normalised: [string, string][] = [
    ['outputs/', 'outputs'],
    ['results', 'results'],
    ['./results//', 'results'],
    ['runs/latest/', 'runs/latest'],
    ['a/../b', 'b'],
    ['runs\\\\win', 'runs/win'],
  ];
  for (const [written, folder] of normalised) {
    test(`keeps ${written} as ${folder}`, () => {
      assert.equal(jobOf(withLines(`outputs: "${written}"`)).outputs, folder);
    });
  }
  const at = { line: 3, column: 10, rule: 'invalid-value' } as const;
  testRefusals([
    { text: withLines('outputs: /tmp/out'), ...at, message: /is an absolute path/ },
    { text: withLines('outputs: "C:\\\\out"'), ...at, message: /is an absolute path/ },
    { text: withLines('outputs: "\\\\out"'), ...at, message: /is an absolute path/ },
    { text: withLines('outputs: ../out'), ...at, message: /is outside the workdir/ },
    { text: withLines('outputs: a/../../out'), ...at, message: /is outside the workdir/ },
    { text: withLines('outputs: ..'), ...at, message: /is outside the workdir/ },
    { text: withLines('outputs: .'), ...at, message: /is the workdir itself/ },
    { text: withLines('outputs: ./'), ...at, message: /is the workdir itself/ },
    { text: withLines('outputs: a/..'), ...at, message: /is the workdir itself/ },
    { text: withLines('outputs: ""'), ...at, message: /is the workdir itself/ },
    { text: withLines('outputs: 7'), line: 3, column: 10, rule: 'invalid-type' },
  ]);
});

describe('backend', () => {
  test('defaults to local', () => {
    assert.equal(jobOf(MINIMAL).backend, 'local');
  });
  for (const backend of ['local', 'ec2', 'vertex', 'rescale']) {
    test(`accepts ${backend}`, () => {
      assert.equal(jobOf(withLines(`backend: ${backend}`)).backend, backend);
    });
  }
  const at = { line: 3, column: 10, rule: 'invalid-value' } as const;
  testRefusals([
    {
      text: withLines('backend: ec3'),
      ...at,
      message: /'ec3' is not one of local, ec2, vertex, rescale/,
      suggestion: 'ec2',
    },
    { text: withLines('backend: EC2'), ...at, suggestion: 'ec2' },
    { text: withLines('backend: vertx'), ...at, suggestion: 'vertex' },
    { text: withLines('backend: rescal'), ...at, suggestion: 'rescale' },
    { text: withLines('backend: gcp'), ...at, suggestion: undefined },
    { text: withLines('backend: [ec2]'), line: 3, column: 10, rule: 'invalid-type' },
  ]);
});

test('a job has every default applied when only name and run are given', () => {
  const { job } = parse(MINIMAL);
  assert.ok(job);
  const { source, ...content } = job;
  assert.deepEqual(content, {
    name: 'demo',
    run: 'python train.py',
    workdir: JOB_DIR,
    resources: { nodes: 1, spot: false },
    limits: { max_runtime: 86_400 },
    outputs: 'outputs',
    backend: 'local',
  });
  assert.equal(source.file, 'job.yaml');
  assert.equal(source.dir, JOB_DIR);
});

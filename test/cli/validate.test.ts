import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const BROKEN = [
  'name: typo-job',
  'run: python3 train.py',
  'backends:',
  '  ec2:',
  '    instance_typ: g4dn.xlarge',
  '',
].join('\n');

test('validate prints findings like a compiler: place, severity, rule, message, the line and a marker', async (t) => {
  const root = tempDir(t);
  mkdirSync(path.join(root, 'project'));
  writeFileSync(path.join(root, 'project', 'job.yaml'), BROKEN);
  const result = await runCli(['validate', 'project/job.yaml'], { cwd: root, home: root });
  assert.equal(result.code, 1);
  const lines = result.stdout.split('\n');
  assert.equal(
    lines[0],
    "project/job.yaml:5:5 error unknown-key unknown key 'instance_typ' in 'backends.ec2'; " +
      "did you mean 'instance_type'?",
  );
  assert.equal(lines[1], '    5 |     instance_typ: g4dn.xlarge');
  assert.equal(lines[2], '      |     ^~~~~~~~~~~~');
  assert.match(result.stderr, /project\/job\.yaml: 1 error/);
});

test(
  'validate --json prints one document as JOB-SPEC.md section 3 says, ' + 'file relative to the job folder',
  async (t) => {
    const root = tempDir(t);
    mkdirSync(path.join(root, 'project'));
    writeFileSync(path.join(root, 'project', 'job.yaml'), BROKEN);
    const result = await runCli(['validate', 'project/job.yaml', '--json'], { cwd: root, home: root });
    assert.equal(result.code, 1);
    assert.deepEqual(JSON.parse(result.stdout), {
      ok: false,
      findings: [
        {
          rule: 'unknown-key',
          severity: 'error',
          file: 'job.yaml',
          line: 5,
          column: 5,
          message: "unknown key 'instance_typ' in 'backends.ec2'",
          suggestion: 'instance_type',
        },
      ],
    });
  },
);

test('validate of a correct job exits 0 with nothing on stdout, and NO_COLOR output has no escape codes', async (t) => {
  const root = tempDir(t);
  writeFileSync(path.join(root, 'job.yaml'), 'name: fine\nrun: echo hello\n');
  const ok = await runCli(['validate', 'job.yaml'], { cwd: root, home: tempDir(t), env: { NO_COLOR: '1' } });
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout, '');
  assert.match(ok.stderr, /job\.yaml: no problems found/);
  writeFileSync(path.join(root, 'job.yaml'), BROKEN);
  const broken = await runCli(['validate', 'job.yaml'], { cwd: root, home: tempDir(t), env: { NO_COLOR: '1' } });
  assert.doesNotMatch(broken.stdout + broken.stderr, /\u001b\[/);
});

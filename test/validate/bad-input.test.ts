import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { findingsFor } from './rule-table.js';
import { tempDir } from '../support/temp-dir.js';
import { runCli } from '../support/run-cli.js';

test('a binary file run as a script is a clear finding', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'model.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]));
  const findings = await findingsFor({ name: 'binary', job: 'name: binary\nrun: bash model.bin\n', expect: [] }, dir);
  assert.ok(
    findings.some(
      (finding) => finding.rule === 'not-a-script' && finding.severity === 'error' && finding.file === 'model.bin',
    ),
    JSON.stringify(findings),
  );
});

test('a script file in another encoding is a clear finding', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'run.sh'), Buffer.from('echo caf\xe9\n', 'latin1'));
  const findings = await findingsFor({ name: 'latin', job: 'name: latin\nrun: bash run.sh\n', expect: [] }, dir);
  assert.ok(
    findings.some((finding) => finding.rule === 'encoding' && finding.file === 'run.sh'),
    JSON.stringify(findings),
  );
});

test('a 10 MB script file is not read as a script, and says so', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'big.sh'), 'echo hello\n'.repeat(1_000_000));
  const findings = await findingsFor({ name: 'huge', job: 'name: huge\nrun: bash big.sh\n', expect: [] }, dir);
  assert.ok(
    findings.some((finding) => finding.rule === 'script-not-checked' && /too large/.test(finding.message)),
    JSON.stringify(findings),
  );
});

test('scripts that run each other, and one that sources itself, are each followed once', {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const files = { 'a.sh': 'source a.sh\nbash b.sh\n', 'b.sh': 'bash a.sh\npyhton3 -V\n' };
  const findings = await findingsFor(
    { name: 'cycle', job: 'name: cycle\nrun: bash a.sh\n', files, backend: 'ec2', expect: [] },
    dir,
  );
  assert.deepEqual(
    findings.filter((finding) => finding.rule === 'command-typo').map((finding) => `${finding.file}:${finding.line}`),
    ['b.sh:2'],
  );
});

test('a script nested thousands of levels deep is a finding, not a crash', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const deep = `${'if true; then\n'.repeat(3000)}echo\n${'fi\n'.repeat(3000)}`;
  const findings = await findingsFor(
    { name: 'deep', job: 'name: deep\nrun: bash deep.sh\n', files: { 'deep.sh': deep }, expect: [] },
    dir,
  );
  assert.ok(
    findings.some((finding) => finding.rule === 'shell-syntax' && /nests more than/.test(finding.message)),
    JSON.stringify(findings.slice(0, 3)),
  );
});

test('dlrun validate on a binary job file or a deeply nested one gives a clear error, exit 1, no stack', {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'job.yaml'), Buffer.from([0x00, 0x01, 0x02, 0xff]));
  const binary = await runCli(['validate', 'job.yaml'], { cwd: dir, home: tempDir(t) });
  assert.equal(binary.code, 1);
  assert.match(binary.stderr, /binary file/);
  assert.doesNotMatch(binary.stderr, /\n\s+at /);
  writeFileSync(path.join(dir, 'job.yaml'), `name: deep\nrun: |\n${'  if true; then\n'.repeat(2000)}`);
  const deep = await runCli(['validate', 'job.yaml', '--json'], { cwd: dir, home: tempDir(t) });
  assert.equal(deep.code, 1);
  const report = JSON.parse(deep.stdout) as { ok: boolean; findings: { rule: string }[] };
  assert.equal(report.ok, false);
  assert.ok(report.findings.some((finding) => finding.rule === 'shell-syntax'));
});

test('files the job reads that are FIFOs or links to /dev/zero are noted, never read: validate finishes', {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const outside = tempDir(t);
  execFileSync('mkfifo', [path.join(dir, 'pipe.sh'), path.join(outside, 'fifo')]);
  mkdirSync(path.join(dir, 'scripts'));
  symlinkSync('/dev/zero', path.join(dir, 'scripts', 'train.sh'));
  symlinkSync(path.join(outside, 'fifo'), path.join(dir, 'env.sh'));
  symlinkSync('/dev/zero', path.join(dir, 'requirements.txt'));
  symlinkSync('/dev/zero', path.join(dir, 'train.py'));
  symlinkSync('/dev/zero', path.join(dir, 'runme'));
  writeFileSync(
    path.join(dir, 'job.yaml'),
    [
      'name: special',
      'setup: pip install -r requirements.txt',
      'run: |',
      '  source env.sh',
      '  bash scripts/train.sh',
      '  bash pipe.sh',
      '  ./runme',
      '  python train.py',
      '',
    ].join('\n'),
  );
  // A child process with a deadline: a read that never ends fails the test instead of hanging the suite.
  const result = await runCli(['validate', 'job.yaml', '--json'], { cwd: dir, home: tempDir(t), timeoutMs: 60_000 });
  assert.equal(result.signal, null, 'validate was killed: it hung on a special file');
  const report = JSON.parse(result.stdout) as {
    findings: { rule: string; severity: string; file: string; line: number; message: string }[];
  };
  const notRegular = report.findings.filter((finding) => finding.rule === 'not-a-regular-file');
  assert.deepEqual(
    notRegular.map((finding) => [finding.file, finding.severity]),
    [
      ['env.sh', 'warning'],
      ['pipe.sh', 'info'],
      ['requirements.txt', 'warning'],
      ['runme', 'warning'],
      ['scripts/train.sh', 'warning'],
      ['train.py', 'warning'],
    ],
  );
  assert.match(
    notRegular.find((finding) => finding.file === 'scripts/train.sh')!.message,
    /not a regular file \(a link to \/dev\/zero, a character device\), so it was not checked/,
  );
  assert.match(notRegular.find((finding) => finding.file === 'env.sh')!.message, /a named pipe \(FIFO\)/);
  // The FIFO itself is not shipped: running it is a missing input, said for what it is.
  const missing = report.findings.find((finding) => finding.rule === 'missing-input');
  assert.match(missing?.message ?? '', /'pipe\.sh' is a named pipe \(FIFO\), not a regular file: it is not shipped/);
  assert.equal(result.code, 1);
  // The human output shows each finding's line from its file: that must not read the FIFO or /dev/zero either.
  const human = await runCli(['validate', 'job.yaml'], { cwd: dir, home: tempDir(t), timeoutMs: 60_000 });
  assert.equal(human.signal, null, 'printing the findings hung');
  assert.match(human.stdout, /^scripts\/train\.sh:1 warning not-a-regular-file /m);
  assert.doesNotMatch(human.stderr, /internal error|\n\s+at /);
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { BAD_JOB_FILES } from '../support/bad-job-files.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

// A hang must fail the test rather than block the suite: the command is killed past this.
const CLI_TIMEOUT_MS = 60_000;

describe('dlrun validate refuses bad input files: exit 1, one paragraph on stderr naming the file, no stack', () => {
  let root = '';
  let home = '';
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'dlrun-bad-input-'));
    home = mkdtempSync(path.join(os.tmpdir(), 'dlrun-bad-input-home-'));
    for (const bad of BAD_JOB_FILES) bad.write(root);
  });
  afterAll(() => {
    for (const folder of [root, home]) rmSync(folder, { recursive: true, force: true });
  });
  for (const bad of BAD_JOB_FILES) {
    test(bad.label, { timeout: CLI_TIMEOUT_MS + 5_000 }, async () => {
      const result = await runCli(['validate', bad.jobPath], { cwd: root, home, timeoutMs: CLI_TIMEOUT_MS });
      assert.equal(result.signal, null, `killed after ${CLI_TIMEOUT_MS} ms`);
      assert.equal(result.code, 1, result.stderr);
      assert.ok(result.stderr.includes(bad.jobPath), `stderr names the file: ${result.stderr}`);
      assert.match(result.stderr, bad.stderr);
      assert.doesNotMatch(result.stderr.trim(), /\n\s*\n/, 'one paragraph');
      assert.ok(result.stderr.length < 1_000, `a short message, not ${result.stderr.length} characters`);
      assert.doesNotMatch(result.stderr, /internal error/);
      for (const output of [result.stdout, result.stderr]) assert.doesNotMatch(output, /\n {4}at /, 'no stack trace');
    });
  }
});

test('dlrun validate accepts a job file that starts with a UTF-8 byte-order mark', async (t) => {
  const root = tempDir(t);
  writeFileSync(path.join(root, 'job.yaml'), '\uFEFFname: demo\nrun: python train.py\n');
  writeFileSync(path.join(root, 'train.py'), 'print("training")\n');
  const result = await runCli(['validate', 'job.yaml'], { cwd: root, home: tempDir(t), timeoutMs: CLI_TIMEOUT_MS });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, 'job.yaml: no problems found\n');
});

test('dlrun validate prints each finding as FILE:LINE:COLUMN, and --json the same places', async (t) => {
  const root = tempDir(t);
  writeFileSync(path.join(root, 'job.yaml'), 'name: demo\nrun: x\nresources:\n  cpu: 4\nbackend: ec3\n');
  const text = await runCli(['validate', 'job.yaml'], { cwd: root, home: tempDir(t), timeoutMs: CLI_TIMEOUT_MS });
  assert.equal(text.code, 1);
  assert.match(
    text.stdout,
    /^job\.yaml:4:3 error unknown-key unknown key 'cpu' in 'resources'; did you mean 'cpus'\?$/m,
  );
  assert.match(
    text.stdout,
    new RegExp(
      /^job\.yaml:5:10 error invalid-value backend: /.source +
        /'ec3' is not one of local, ec2, vertex, rescale; did you mean 'ec2'\?$/.source,
      'm',
    ),
  );
  assert.equal(text.stderr, 'job.yaml: 2 errors\n');
  const json = await runCli(['validate', 'job.yaml', '--json'], {
    cwd: root,
    home: tempDir(t),
    timeoutMs: CLI_TIMEOUT_MS,
  });
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as {
    ok: boolean;
    findings: { line: number; column: number | null; suggestion?: string }[];
  };
  assert.equal(report.ok, false);
  assert.deepEqual(
    report.findings.map((finding) => [finding.line, finding.column, finding.suggestion]),
    [
      [4, 3, 'cpus'],
      [5, 10, 'ec2'],
    ],
  );
});

test('dlrun validate --json on a Latin-1 file gives the place of the bad byte', async (t) => {
  const root = tempDir(t);
  writeFileSync(path.join(root, 'job.yaml'), Buffer.from('name: demo\nrun: echo caf\xe9\n', 'latin1'));
  const result = await runCli(['validate', 'job.yaml', '--json'], {
    cwd: root,
    home: tempDir(t),
    timeoutMs: CLI_TIMEOUT_MS,
  });
  assert.equal(result.code, 1);
  const report = JSON.parse(result.stdout) as {
    ok: boolean;
    findings: { rule: string; file: string; line: number; column: number }[];
  };
  assert.deepEqual(
    report.findings.map(({ rule, file, line, column }) => ({ rule, file, line, column })),
    [{ rule: 'encoding', file: 'job.yaml', line: 2, column: 14 }],
  );
});

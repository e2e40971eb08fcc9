import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { JobFileError } from '../../src/base/errors.js';
import { loadJobFile } from '../../src/spec/load-job-file.js';
import { BAD_JOB_FILES } from '../support/bad-job-files.js';
import { loadInWorker } from '../support/load-in-worker.js';
import { tempDir } from '../support/temp-dir.js';

// Each case runs the loader in a worker thread: it is synchronous, so only a worker can be stopped if it hangs.
const LOAD_TIMEOUT_MS = 60_000;

describe('loadJobFile refuses bad input files with a JobFileError that names the file', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'dlrun-bad-input-'));
    for (const bad of BAD_JOB_FILES) bad.write(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const bad of BAD_JOB_FILES) {
    test(bad.label, { timeout: LOAD_TIMEOUT_MS + 5_000 }, async () => {
      const answer = await loadInWorker(bad.jobPath, root, LOAD_TIMEOUT_MS);
      assert.equal(answer.outcome, 'job-file-error', JSON.stringify(answer));
      const error = {
        jobPath: answer.jobPath!,
        message: answer.message!,
        hint: answer.hint,
        findings: answer.findings!,
      };
      assert.equal(error.jobPath, bad.jobPath);
      assert.ok(error.message.includes(bad.jobPath), `the message names the file: ${error.message}`);
      for (const finding of error.findings) {
        assert.equal(finding.file, path.basename(bad.jobPath));
        assert.ok(Number.isInteger(finding.line) && finding.line >= 1, `line ${finding.line}`);
        assert.ok(
          finding.column === null || (Number.isInteger(finding.column) && finding.column >= 1),
          `column ${finding.column}`,
        );
      }
      bad.check(error);
    });
  }
});

test("the errors are JobFileErrors in the caller's thread too", (t) => {
  const root = tempDir(t);
  writeFileSync(path.join(root, 'empty.yaml'), '');
  assert.throws(
    () => loadJobFile('empty.yaml', root),
    (error) => error instanceof JobFileError && error.audience === 'user',
  );
  assert.throws(() => loadJobFile(path.join(root, 'missing.yaml')), JobFileError);
});

test('a UTF-8 byte-order mark is accepted, and positions ignore it', (t) => {
  const root = tempDir(t);
  writeFileSync(path.join(root, 'bom.yaml'), '\uFEFFname: demo\nrun: python train.py\n');
  const { job } = loadJobFile('bom.yaml', root);
  assert.equal(job.name, 'demo');
  assert.deepEqual(job.source.positions.name, { line: 1, column: 7 });
  writeFileSync(path.join(root, 'bom-bad.yaml'), '\uFEFFname: Demo\nrun: x\n');
  assert.throws(
    () => loadJobFile('bom-bad.yaml', root),
    (error) => {
      assert.ok(error instanceof JobFileError);
      assert.deepEqual([error.findings[0]?.line, error.findings[0]?.column], [1, 7]);
      return true;
    },
  );
});

test('a valid job file: workdir defaults to its folder, and source names it', (t) => {
  const root = tempDir(t);
  writeFileSync(path.join(root, 'job.yaml'), 'name: demo\nrun: python train.py\n');
  const { job, findings } = loadJobFile('job.yaml', root);
  assert.deepEqual(findings, []);
  assert.equal(job.workdir, root);
  assert.deepEqual([job.source.path, job.source.dir, job.source.file], ['job.yaml', root, 'job.yaml']);
});

test("a relative workdir is resolved against the job file's folder, not the working folder", (t) => {
  const root = tempDir(t);
  const jobs = path.join(root, 'jobs');
  mkdirSync(path.join(jobs, 'code'), { recursive: true });
  writeFileSync(path.join(jobs, 'job.yaml'), 'name: demo\nrun: x\nworkdir: code\n');
  assert.equal(loadJobFile('jobs/job.yaml', root).job.workdir, path.join(jobs, 'code'));
  writeFileSync(path.join(jobs, 'up.yaml'), 'name: demo\nrun: x\nworkdir: ..\n');
  assert.equal(loadJobFile(path.join(jobs, 'up.yaml'), '/').job.workdir, root);
});

test('a byte that is not UTF-8 is reported at its line and column, after any text before it', (t) => {
  const root = tempDir(t);
  const cases: [string, Buffer, number, number, string][] = [
    ['Windows-1252 quotes', Buffer.from('name: demo\nrun: echo \x93hi\x94\n', 'latin1'), 2, 11, '0x93'],
    [
      'after UTF-8 on earlier lines',
      Buffer.concat([Buffer.from('name: grüße\nenv:\n  A: "ü'), Buffer.from([0xe9, 0x22, 0x0a])]),
      3,
      8,
      '0xe9',
    ],
    [
      'a stray continuation byte',
      Buffer.concat([Buffer.from('name: demo\nrun: x'), Buffer.from([0x80, 0x0a])]),
      2,
      7,
      '0x80',
    ],
    [
      'a character cut off at the end of the file',
      Buffer.concat([Buffer.from('name: demo\nrun: x '), Buffer.from([0xe2, 0x82])]),
      2,
      8,
      '0xe2',
    ],
    [
      'a byte that is never UTF-8',
      Buffer.concat([Buffer.from('name: demo\n\n\nrun: '), Buffer.from([0xff])]),
      4,
      6,
      '0xff',
    ],
  ];
  for (const [label, bytes, line, column, byte] of cases) {
    writeFileSync(path.join(root, 'job.yaml'), bytes);
    assert.throws(
      () => loadJobFile('job.yaml', root),
      (error) => {
        assert.ok(error instanceof JobFileError, label);
        assert.deepEqual(
          error.findings.map((finding) => [finding.rule, finding.line, finding.column, finding.message]),
          [['encoding', line, column, `byte ${byte} is not valid UTF-8`]],
          label,
        );
        return true;
      },
    );
  }
});

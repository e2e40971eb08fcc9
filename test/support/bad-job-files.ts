import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JobFileError } from '../../src/base/errors.js';

/**
 * Files that are not job files, or broken ones, each in a folder of its own (so that a did-you-mean for a
 * missing file only sees the names the case means it to see). Shared by the loader and the CLI tests.
 */
export interface BadJobFile {
  readonly label: string;
  /** The path given to the loader or to `dlrun validate`, relative to the folder the files are written in. */
  readonly jobPath: string;
  write(root: string): void;
  /** What the loader's error must say, beyond what every case checks. */
  check(error: LoaderError): void;
  /** What `dlrun validate` must print on stderr, beyond naming the file. */
  readonly stderr: RegExp;
}

function file(root: string, relative: string, content: string | Buffer): void {
  const absolute = path.join(root, relative);
  mkdirSync(path.dirname(absolute), { recursive: true });
  writeFileSync(absolute, content);
}

const VALID = 'name: demo\nrun: python train.py\n';

/** "Billion laughs": ten levels of ten aliases, which would expand to 10^10 items if anything expanded them. */
function laughs(): string {
  const lines = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]', 'm0: &m0 {k0: lol}'];
  for (let level = 1; level <= 9; level++) {
    lines.push(
      `l${level}: &l${level} [${Array(10)
        .fill(`*l${level - 1}`)
        .join(', ')}]`,
    );
    lines.push(
      `m${level}: &m${level} {<<: [${Array(10)
        .fill(`*m${level - 1}`)
        .join(', ')}], k${level}: lol}`,
    );
  }
  return `${lines.join('\n')}\nname: demo\nrun: x\nsecrets: *l9\nenv: {X: *l9}\nresources: {<<: *m9}\n`;
}

/** The parts of a JobFileError the checks read (the loader may run in a worker, which sends a copy). */
export type LoaderError = Pick<JobFileError, 'jobPath' | 'message' | 'hint' | 'findings'>;

function findingRules(error: LoaderError): string[] {
  return error.findings.map((finding) => finding.rule);
}

export const BAD_JOB_FILES: readonly BadJobFile[] = [
  {
    label: 'a missing file with a close name beside it',
    jobPath: 'typo/jbo.yaml',
    write: (root) => file(root, 'typo/job.yaml', VALID),
    check: (error) => {
      assert.match(error.message, /^no job file at typo\/jbo\.yaml$/);
      assert.match(error.hint ?? '', /did you mean .*typo\/job\.yaml\?/);
    },
    stderr: /no job file at typo\/jbo\.yaml\n {2}hint: did you mean .*typo\/job\.yaml\?/,
  },
  {
    label: 'a missing file with nothing close',
    jobPath: 'lonely/training.yaml',
    write: (root) => file(root, 'lonely/README.md', '# notes\n'),
    check: (error) => {
      assert.match(error.message, /no job file at lonely\/training\.yaml/);
      assert.match(error.hint ?? '', /check the path/);
    },
    stderr: /no job file at lonely\/training\.yaml\n {2}hint: check the path/,
  },
  {
    label: 'a file in a folder that does not exist',
    jobPath: 'nowhere/job.yaml',
    write: () => undefined,
    check: (error) => assert.match(error.hint ?? '', /the folder .*nowhere does not exist either/),
    stderr: /no job file at nowhere\/job\.yaml/,
  },
  {
    label: 'a folder holding a job.yaml',
    jobPath: 'project',
    write: (root) => file(root, 'project/job.yaml', VALID),
    check: (error) => {
      assert.match(error.message, /project is a folder, not a job file/);
      assert.equal(error.hint, 'did you mean project/job.yaml?');
    },
    stderr: /project is a folder, not a job file\n {2}hint: did you mean project\/job\.yaml\?/,
  },
  {
    label: 'a folder without a job file',
    jobPath: 'empty-folder',
    write: (root) => mkdirSync(path.join(root, 'empty-folder')),
    check: (error) => assert.match(error.hint ?? '', /give the path of a job\.yaml file/),
    stderr: /empty-folder is a folder, not a job file/,
  },
  {
    label: 'an empty file',
    jobPath: 'empty.yaml',
    write: (root) => file(root, 'empty.yaml', ''),
    check: (error) => assert.match(error.message, /empty\.yaml is empty/),
    stderr: /empty\.yaml is empty/,
  },
  {
    label: 'a binary file (NUL bytes)',
    jobPath: 'model.yaml',
    write: (root) =>
      file(root, 'model.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d])),
    check: (error) => assert.match(error.message, /model\.yaml is a binary file \(it holds a NUL byte at offset 8\)/),
    stderr: /model\.yaml is a binary file/,
  },
  {
    label: 'a UTF-16 (little-endian) file',
    jobPath: 'utf16le.yaml',
    write: (root) =>
      file(root, 'utf16le.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID, 'utf16le')])),
    check: (error) => assert.match(error.message, /utf16le\.yaml is saved as UTF-16; dlrun reads UTF-8/),
    stderr: /utf16le\.yaml is saved as UTF-16/,
  },
  {
    label: 'a UTF-16 (big-endian) file',
    jobPath: 'utf16be.yaml',
    write: (root) =>
      file(root, 'utf16be.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(VALID, 'utf16le').swap16()])),
    check: (error) => assert.match(error.message, /saved as UTF-16/),
    stderr: /utf16be\.yaml is saved as UTF-16/,
  },
  {
    label: 'Latin-1 bytes',
    jobPath: 'latin1.yaml',
    write: (root) => file(root, 'latin1.yaml', Buffer.from('name: demo\nrun: echo caf\xe9\n', 'latin1')),
    check: (error) => {
      assert.match(error.message, /latin1\.yaml is not valid UTF-8/);
      assert.equal(error.findings.length, 1);
      assert.deepEqual(
        { ...error.findings[0] },
        {
          rule: 'encoding',
          severity: 'error',
          file: 'latin1.yaml',
          line: 2,
          column: 14,
          message: 'byte 0xe9 is not valid UTF-8',
          hint: 'save the file as UTF-8 (it looks like Latin-1 or Windows-1252)',
        },
      );
    },
    stderr: /latin1\.yaml: 1 error/,
  },
  {
    label: 'Latin-1 bytes after UTF-8 text on the same line',
    jobPath: 'mixed.yaml',
    // The column counts characters, so the two bytes of 'ü' are one column.
    write: (root) =>
      file(
        root,
        'mixed.yaml',
        Buffer.concat([
          Buffer.from('name: demo\nrun: x\nenv:\n  GREETING: "grüß ', 'utf8'),
          Buffer.from([0xe9, 0x22, 0x0a]),
        ]),
      ),
    check: (error) => assert.deepEqual([error.findings[0]?.line, error.findings[0]?.column], [4, 19]),
    stderr: /mixed\.yaml: 1 error/,
  },
  {
    label: 'a 10 MB file',
    jobPath: 'huge.yaml',
    write: (root) => file(root, 'huge.yaml', `${VALID}# ${'x'.repeat(10 * 1024 * 1024)}\n`),
    check: (error) => assert.match(error.message, /huge\.yaml is 10\.0 MiB; a job file is at most 1\.0 MiB/),
    stderr: /huge\.yaml is 10\.0 MiB/,
  },
  {
    label: 'YAML nested 100,000 deep',
    jobPath: 'deep.yaml',
    write: (root) => file(root, 'deep.yaml', `${'['.repeat(100_000)}\n`),
    check: (error) => {
      assert.ok(error.findings.length >= 1 && error.findings.length <= 50, `${error.findings.length} findings`);
      assert.ok(error.findings.every((finding) => finding.rule === 'yaml-syntax' && finding.line === 1));
    },
    stderr: /deep\.yaml: \d+ errors?/,
  },
  {
    label: 'anchors that would expand without end (billion laughs)',
    jobPath: 'laughs.yaml',
    write: (root) => file(root, 'laughs.yaml', laughs()),
    check: (error) => {
      assert.ok(findingRules(error).includes('unknown-key'));
      assert.ok(error.findings.some((finding) => /^secrets\[0\]: expected a variable name/.test(finding.message)));
      assert.ok(
        error.findings.some((finding) => /^env\.X: expected a single value, found a list/.test(finding.message)),
      );
    },
    stderr: /laughs\.yaml: \d+ errors/,
  },
  {
    label: 'a self-referencing alias',
    jobPath: 'self.yaml',
    write: (root) => file(root, 'self.yaml', 'name: demo\nrun: x\nbackends: &b\n  local: *b\n'),
    check: (error) =>
      assert.deepEqual(
        error.findings.map((finding) => [finding.rule, finding.line, finding.column]),
        [['unknown-key', 4, 3]],
      ),
    stderr: /self\.yaml: 1 error/,
  },
  {
    label: 'a file of 100,000 aliases',
    jobPath: 'aliases.yaml',
    write: (root) =>
      file(root, 'aliases.yaml', `name: &n demo\nrun: x\nsecrets: [${Array(100_000).fill('*n').join(', ')}]\n`),
    check: (error) => assert.equal(error.findings.length, 50),
    stderr: /aliases\.yaml: 50 errors/,
  },
  {
    label: 'a job with no run',
    jobPath: 'norun.yaml',
    write: (root) => file(root, 'norun.yaml', 'name: demo\nsetup: pip install torch\n'),
    check: (error) =>
      assert.deepEqual(
        error.findings.map((finding) => [finding.rule, finding.line, finding.column]),
        [['missing-field', 1, 1]],
      ),
    stderr: /norun\.yaml: 1 error/,
  },
  {
    label: 'a workdir that does not exist',
    jobPath: 'workdir/job.yaml',
    write: (root) => file(root, 'workdir/job.yaml', `${VALID}workdir: ./src\n`),
    check: (error) => {
      const [finding] = error.findings;
      assert.deepEqual(
        [finding?.rule, finding?.file, finding?.line, finding?.column],
        ['missing-workdir', 'job.yaml', 3, 10],
      );
      assert.match(finding?.message ?? '', /workdir: the folder .*workdir\/src does not exist/);
    },
    stderr: /workdir\/job\.yaml: 1 error/,
  },
  {
    label: 'a workdir that is a file',
    jobPath: 'workfile/job.yaml',
    write: (root) => {
      file(root, 'workfile/job.yaml', `${VALID}workdir: train.py\n`);
      file(root, 'workfile/train.py', 'print(1)\n');
    },
    check: (error) => assert.match(error.findings[0]?.message ?? '', /workdir: .*train\.py is a file, not a folder/),
    stderr: /workfile\/job\.yaml: 1 error/,
  },
];

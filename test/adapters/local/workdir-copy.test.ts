import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { LARGE_WORKDIR_BYTES, listWorkdir } from '../../../src/util/workdir-files.js';
import { assertNoStack, ended, jobFolder, submitAndWait } from '../../support/local-jobs.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';

/** Write files under `root` (folders made as needed). */
function files(root: string, contents: Readonly<Record<string, string>>): string {
  for (const [name, content] of Object.entries(contents)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

const shipped = (root: string): string[] => listWorkdir(root).files.map((file) => file.path);

test('.dlrunignore wins over .gitignore: only its rules apply when both exist', (t) => {
  const root = files(tempDir(t), {
    '.gitignore': 'model.pt\n',
    '.dlrunignore': 'data/\n*.log\n',
    'train.py': 'print(1)\n',
    'model.pt': 'weights',
    'run.log': 'noise',
    'data/train.csv': 'a,b\n',
    'data/test.csv': 'a,b\n',
  });
  const manifest = listWorkdir(root);
  assert.equal(manifest.ignoreFile, '.dlrunignore');
  assert.deepEqual(
    manifest.files.map((file) => file.path),
    ['.dlrunignore', '.gitignore', 'model.pt', 'train.py'],
  );
  assert.deepEqual(manifest.leftOut, ['data/', 'run.log'], 'a left-out folder is listed once, not file by file');
});

test('.gitignore is used when there is no .dlrunignore; with neither, everything but .git/ ships', (t) => {
  const withGitignore = files(tempDir(t), {
    '.gitignore': '__pycache__/\n*.ckpt\n',
    'train.py': '',
    'last.ckpt': 'x',
    '__pycache__/train.pyc': 'x',
  });
  const manifest = listWorkdir(withGitignore);
  assert.equal(manifest.ignoreFile, '.gitignore');
  assert.deepEqual(
    manifest.files.map((file) => file.path),
    ['.gitignore', 'train.py'],
  );
  assert.deepEqual(manifest.leftOut, ['__pycache__/', 'last.ckpt']);

  const bare = files(tempDir(t), { 'train.py': '', 'last.ckpt': 'x', '.git/HEAD': 'ref: refs/heads/main\n' });
  assert.equal(listWorkdir(bare).ignoreFile, null);
  assert.deepEqual(shipped(bare), ['last.ckpt', 'train.py']);
  assert.deepEqual(listWorkdir(bare).leftOut, ['.git/']);
});

test(".git/ is never shipped, whatever the ignore file says, nor a nested repository's", (t) => {
  const root = files(tempDir(t), {
    '.dlrunignore': '!.git/\n!.git\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.git/objects/ab/cdef': 'blob',
    'vendor/lib/.git/HEAD': 'ref: refs/heads/main\n',
    'vendor/lib/lib.py': '',
    'train.py': '',
  });
  assert.deepEqual(shipped(root), ['.dlrunignore', 'train.py', 'vendor/lib/lib.py']);
  assert.deepEqual(listWorkdir(root).leftOut, ['.git/', 'vendor/lib/.git/']);
});

test('symbolic links are listed as links, never followed, and count no bytes', (t) => {
  const outside = files(tempDir(t), { 'dataset/huge.bin': 'x'.repeat(10_000) });
  const root = files(tempDir(t), { 'train.py': 'print(1)\n' });
  symlinkSync(path.join(outside, 'dataset'), path.join(root, 'dataset'));
  symlinkSync('train.py', path.join(root, 'main.py'));
  symlinkSync('does-not-exist', path.join(root, 'dangling'));
  const manifest = listWorkdir(root);
  assert.deepEqual(manifest.files, [
    { path: 'dangling', bytes: 0, symlink: true },
    { path: 'dataset', bytes: 0, symlink: true },
    { path: 'main.py', bytes: 0, symlink: true },
    { path: 'train.py', bytes: 9, symlink: false },
  ]);
  assert.equal(manifest.bytes, 9);
});

test('a workdir above 100 MB is counted as such (what submit warns about), files left out do not count', (t) => {
  const root = files(tempDir(t), { '.dlrunignore': 'checkpoints/\n', 'train.py': '', 'checkpoints/big.pt': '' });
  truncateSync(path.join(root, 'checkpoints', 'big.pt'), LARGE_WORKDIR_BYTES + 1);
  assert.ok(listWorkdir(root).bytes <= LARGE_WORKDIR_BYTES, 'left out: no warning');
  writeFileSync(path.join(root, '.dlrunignore'), '');
  assert.equal(listWorkdir(root).bytes, LARGE_WORKDIR_BYTES + 1);
});

test(
  'submit ships the workdir as listed: ' + 'prints the size and what stayed home, copies links as links, no .git/',
  async (t) => {
    const home = tempDir(t);
    const outside = files(tempDir(t), { 'shared/vocab.txt': 'a b c\n' });
    const dir = files(tempDir(t), {
      'job.yaml': 'name: shipping\nrun: ls -A\n',
      '.dlrunignore': 'data/\nsecret.env\n',
      '.gitignore': 'train.py\n',
      'train.py': 'print("train")\n',
      'data/big.csv': 'x'.repeat(5000),
      'secret.env': 'TOKEN=1\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    symlinkSync(path.join(outside, 'shared'), path.join(dir, 'shared'));
    const result = await submitAndWait(t, path.join(dir, 'job.yaml'), home, dir);
    assert.equal(result.code, 0, result.stderr);
    assertNoStack(result);
    assert.match(
      result.stderr,
      /^shipping 5 files \(\d+ B\) from \.; left home \(\.dlrunignore\): \.git\/, data\/, secret\.env$/m,
    );
    assert.doesNotMatch(result.stderr, /warning: the workdir is/);
    const { jobId } = result;
    assert.equal((await ended(jobId, home)).state, 'succeeded');

    const copy = path.join(jobFolder(home, jobId), 'workdir');
    assert.equal(
      readFileSync(path.join(copy, 'train.py'), 'utf8'),
      'print("train")\n',
      '.gitignore did not apply: there is a .dlrunignore',
    );
    for (const leftHome of ['data', 'secret.env', '.git'])
      assert.equal(existsSync(path.join(copy, leftHome)), false, `${leftHome} stayed home`);
    assert.ok(lstatSync(path.join(copy, 'shared')).isSymbolicLink(), 'the link was shipped as a link');
    assert.equal(readlinkSync(path.join(copy, 'shared')), path.join(outside, 'shared'));
    assert.equal(existsSync(path.join(copy, 'shared', 'vocab.txt')), true, 'and still leads where it led');
  },
);

test('submit warns when the workdir is above 100 MB', async (t) => {
  const home = tempDir(t);
  const dir = files(tempDir(t), { 'job.yaml': 'name: heavy\nrun: "true"\n', 'weights.bin': '' });
  // Sparse here; the copy in the job folder is written out, which is quick for 100 MB.
  truncateSync(path.join(dir, 'weights.bin'), LARGE_WORKDIR_BYTES + 1024 * 1024);
  const result = await submitAndWait(t, path.join(dir, 'job.yaml'), home, dir);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /^shipping 2 files \(101\.0 MiB\) from \.$/m);
  assert.match(
    result.stderr,
    new RegExp(
      /^warning: the workdir is 101\.0 MiB; list data and build output in \.dlrunignore, /.source +
        /and have the job download large data instead$/.source,
      'm',
    ),
  );
});

test('submit keeps secrets and FIFOs home and says so: the dry run too, and the job folder has neither', {
  timeout: 120_000,
}, async (t) => {
  const home = tempDir(t);
  const dir = files(tempDir(t), {
    'job.yaml': 'name: secrets-stay\nrun: ls -A\n',
    'train.py': 'print("train")\n',
    '.env': 'WANDB_API_KEY=hunter2\n',
    '.env.example': 'WANDB_API_KEY=\n',
    'deploy/id_rsa': 'PRIVATE\n',
  });
  execFileSync('mkfifo', [path.join(dir, 'pipe')]);
  const dry = await runCli(['submit', '--dry-run', 'job.yaml'], { cwd: dir, home, timeoutMs: 60_000 });
  assert.equal(dry.signal, null, 'the dry run hung on the FIFO');
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^shipping 3 files \(\d+ B\) from \.$/m);
  assert.match(
    dry.stdout,
    /^kept home: \.env \(secrets\), deploy\/id_rsa \(a private key\); re-include one with !PATH in \.dlrunignore$/m,
  );
  assert.match(dry.stdout, /^not shipped \(not regular files\): pipe \(a named pipe \(FIFO\)\)$/m);
  const json = await runCli(['submit', '--dry-run', '--json', 'job.yaml'], { cwd: dir, home, timeoutMs: 60_000 });
  const plan = JSON.parse(json.stdout) as {
    shipped: { kept_home: { path: string }[]; not_shipped: { path: string }[] };
  };
  assert.deepEqual(
    plan.shipped.kept_home.map((kept) => kept.path),
    ['.env', 'deploy/id_rsa'],
  );
  assert.deepEqual(
    plan.shipped.not_shipped.map((special) => special.path),
    ['pipe'],
  );

  rmSync(path.join(dir, 'deploy'), { recursive: true });
  const result = await submitAndWait(t, path.join(dir, 'job.yaml'), home, dir);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /^kept home: \.env \(secrets; re-include with !\.env in \.dlrunignore\)$/m);
  const copy = path.join(jobFolder(home, result.jobId), 'workdir');
  assert.equal(existsSync(path.join(copy, '.env')), false, '.env stayed home');
  assert.equal(existsSync(path.join(copy, 'pipe')), false);
  assert.equal(readFileSync(path.join(copy, '.env.example'), 'utf8'), 'WANDB_API_KEY=\n', 'the template is shipped');

  // Shipped on purpose: a !rule in .dlrunignore, and submit warns.
  writeFileSync(path.join(dir, '.dlrunignore'), '!.env\n');
  const chosen = await submitAndWait(t, path.join(dir, 'job.yaml'), home, dir);
  assert.equal(chosen.code, 0, chosen.stderr);
  assert.match(
    chosen.stderr,
    /^warning: shipping \.env \(secrets\) because \.dlrunignore line 1 re-includes it \(!\.env\)$/m,
  );
  assert.equal(existsSync(path.join(jobFolder(home, chosen.jobId), 'workdir', '.env')), true);
});

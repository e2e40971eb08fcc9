import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { assertNoStack, ended, submitted } from '../support/local-jobs.js';
import { writeJob } from '../support/job-files.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

/** A job whose outputs hold a file, a folder, a link (to a file outside) and a FIFO. */
const TRICKY_OUTPUTS = [
  'name: tricky-outputs',
  'run: |',
  '  echo weights > "$DLRUN_OUTPUT_DIR/model.txt"',
  '  mkdir -p "$DLRUN_OUTPUT_DIR/eval"',
  '  echo 0.9 > "$DLRUN_OUTPUT_DIR/eval/metrics.txt"',
  '  ln -s /etc/hostname "$DLRUN_OUTPUT_DIR/host"',
  '  mkfifo "$DLRUN_OUTPUT_DIR/pipe"',
  '',
].join('\n');

test('pull copies links as links, skips a FIFO with a note, and never writes through a link already in DIR', {
  timeout: 180_000,
}, async (t) => {
  const home = tempDir(t);
  const cwd = tempDir(t);
  const victim = tempDir(t);
  writeFileSync(path.join(victim, 'precious.txt'), 'keep me\n');
  const { jobPath } = writeJob(tempDir(t), TRICKY_OUTPUTS);
  const jobId = await submitted(t, jobPath, home);
  assert.equal((await ended(jobId, home)).state, 'succeeded');

  const pulled = await runCli(['pull', jobId, '--to', 'out'], { cwd, home, timeoutMs: 60_000 });
  assert.equal(pulled.signal, null, 'pull hung on the FIFO');
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stderr, /^not pulled: pipe \(a named pipe \(FIFO\)\)$/m);
  assert.match(pulled.stderr, /pulled 3 files/);
  const out = path.join(cwd, 'out');
  assert.equal(readlinkSync(path.join(out, 'host')), '/etc/hostname', 'a link is copied as the link it is');
  assert.equal(existsSync(path.join(out, 'pipe')), false);

  // A link in DIR where the outputs have a file: the link is replaced, what it points at is untouched.
  mkdirSync(path.join(cwd, 'again'));
  symlinkSync(path.join(victim, 'precious.txt'), path.join(cwd, 'again', 'model.txt'));
  const replaced = await runCli(['pull', jobId, '--to', 'again'], { cwd, home, timeoutMs: 60_000 });
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.equal(readFileSync(path.join(victim, 'precious.txt'), 'utf8'), 'keep me\n', 'not written through the link');
  assert.equal(lstatSync(path.join(cwd, 'again', 'model.txt')).isFile(), true);
  assert.equal(readFileSync(path.join(cwd, 'again', 'model.txt'), 'utf8'), 'weights\n');

  // A link in DIR where the outputs have a folder: refused before anything is written.
  mkdirSync(path.join(cwd, 'trap'));
  symlinkSync(victim, path.join(cwd, 'trap', 'eval'));
  const refused = await runCli(['pull', jobId, '--to', 'trap'], { cwd, home, timeoutMs: 60_000 });
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(
    refused.stderr,
    /trap\/eval is a link \(to .*\); dlrun does not write through links, so nothing was pulled/,
  );
  assertNoStack(refused);
  assert.deepEqual(readdirSync(victim), ['precious.txt'], 'nothing written where the link leads');
  assert.deepEqual(readdirSync(path.join(cwd, 'trap')), ['eval'], 'nothing written at all');
});

test('pull --to DIR where DIR is a link: the outputs go where it points (the user made it)', {
  timeout: 180_000,
}, async (t) => {
  const home = tempDir(t);
  const cwd = tempDir(t);
  const bigDisk = tempDir(t);
  symlinkSync(bigDisk, path.join(cwd, 'results'));
  const { jobPath } = writeJob(tempDir(t), 'name: plain-outputs\nrun: echo weights > "$DLRUN_OUTPUT_DIR/model.txt"\n');
  const jobId = await submitted(t, jobPath, home);
  assert.equal((await ended(jobId, home)).state, 'succeeded');
  const pulled = await runCli(['pull', jobId, '--to', 'results', '--json'], { cwd, home, timeoutMs: 60_000 });
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.deepEqual(JSON.parse(pulled.stdout), {
    job_id: jobId,
    destination: realpathSync(bigDisk),
    files: 1,
    bytes: 8,
  });
  assert.equal(readFileSync(path.join(bigDisk, 'model.txt'), 'utf8'), 'weights\n');
  assert.equal(lstatSync(path.join(cwd, 'results')).isSymbolicLink(), true, 'the link is left as it was');

  writeFileSync(path.join(cwd, 'a-file'), '');
  const onFile = await runCli(['pull', jobId, '--to', 'a-file/out'], { cwd, home, timeoutMs: 60_000 });
  assert.equal(onFile.code, 1);
  assert.match(onFile.stderr, /cannot make .*a-file\/out: .*a-file is a file, not a folder/);
  assertNoStack(onFile);
});

test('pull of a job that replaced its outputs folder with a link follows nothing', { timeout: 180_000 }, async (t) => {
  const home = tempDir(t);
  const cwd = tempDir(t);
  const { jobPath } = writeJob(
    tempDir(t),
    'name: linked-outputs\nrun: |\n  rmdir "$DLRUN_OUTPUT_DIR"\n  ln -s /etc "$DLRUN_OUTPUT_DIR"\n',
  );
  const jobId = await submitted(t, jobPath, home);
  assert.equal((await ended(jobId, home)).state, 'succeeded');
  const pulled = await runCli(['pull', jobId], { cwd, home, timeoutMs: 60_000 });
  assert.equal(pulled.code, 1);
  assert.match(
    pulled.stderr,
    /the job replaced its outputs folder with a link .*; dlrun does not follow it, so nothing was pulled/,
  );
  assertNoStack(pulled);
  assert.deepEqual(readdirSync(cwd), [], 'no copy of /etc, and no empty folder left');
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { writeJob } from '../support/job-files.js';
import { assertNoStack } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

interface FindingJson {
  readonly rule: string;
  readonly severity: string;
  readonly message: string;
}

test("a .env PATH reaches neither the validator's checkers nor the commands a local job is checked against", {
  timeout: 60_000,
}, async (t) => {
  const home = tempDir(t);
  const project = tempDir(t);
  // A folder with the job's own command in it, and checkers that would leave a mark if they ever ran.
  const planted = path.join(project, 'bin');
  const marker = path.join(project, 'planted-checker-ran');
  mkdirSync(planted);
  writeFileSync(path.join(planted, 'mytool'), '#!/bin/sh\n', { mode: 0o755 });
  for (const checker of ['bash', 'python3', 'shellcheck'])
    writeFileSync(path.join(planted, checker), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
  writeFileSync(path.join(project, '.env'), `PATH=${planted}\n`);
  const { jobPath } = writeJob(
    tempDir(t),
    'name: planted-path\nbackend: local\nrun: |\n  mytool --prepare\n  python3 train.py\n',
    { 'train.py': 'print(1)\n' },
  );

  // A shell without PATH, the one case where the shell does not win over .env anyway.
  const validated = await runCli(['validate', '--json', jobPath], { cwd: project, home, unset: ['PATH'] });
  const findings = (JSON.parse(validated.stdout) as { findings: FindingJson[] }).findings;
  assert.ok(
    findings.some(
      (finding) => finding.rule === 'command-typo' && /'mytool' is not on this machine's PATH/.test(finding.message),
    ),
    `mytool is judged against the PATH local jobs get, not .env's: ${JSON.stringify(findings)}`,
  );
  assert.equal(existsSync(marker), false, 'no planted checker ran');
  assert.match(validated.stderr, /ignored from \.env: PATH;/);
});

test(
  'dlrun allow records the real folder and its .env hash in a private file; ' +
    'deny removes it; mistakes get a clear error',
  async (t) => {
    const home = tempDir(t);
    const project = realpathSync(tempDir(t));
    writeFileSync(path.join(project, '.env'), 'AWS_PROFILE=lab\n');
    const link = path.join(tempDir(t), 'link-to-project');
    symlinkSync(project, link);

    const allowed = await runCli(['allow', link], { cwd: home, home });
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.stdout, `${project}\n`, 'the real path, not the link');
    assert.match(
      allowed.stderr,
      /^allowed: dlrun now reads every setting of .*\.env, including AWS_PROFILE\. When the file changes/,
    );
    const list = path.join(home, 'allowed-folders.json');
    assert.equal(statSync(list).mode & 0o777, 0o600);
    const entries = (JSON.parse(readFileSync(list, 'utf8')) as { folders: { folder: string }[] }).folders;
    assert.deepEqual(
      entries.map((entry) => entry.folder),
      [project],
    );
    // Allowing again replaces the entry; the folder is allowed from inside it too.
    assert.equal((await runCli(['allow'], { cwd: project, home })).code, 0);
    assert.equal((JSON.parse(readFileSync(list, 'utf8')) as { folders: unknown[] }).folders.length, 1);
    const quiet = await runCli(['status'], { cwd: link, home, env: {} });
    assert.doesNotMatch(quiet.stderr, /ignored/, 'through the link it is the same, allowed folder');

    const denied = await runCli(['deny'], { cwd: project, home });
    assert.equal(denied.code, 0, denied.stderr);
    assert.match(denied.stderr, /^denied: /);
    assert.deepEqual((JSON.parse(readFileSync(list, 'utf8')) as { folders: unknown[] }).folders, []);
    const again = await runCli(['deny', '--json'], { cwd: project, home });
    assert.equal((JSON.parse(again.stdout) as { was_allowed: boolean }).was_allowed, false);

    const bare = tempDir(t);
    const none = await runCli(['allow', bare], { cwd: home, home });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /there is no \.env in /);
    const missing = await runCli(['allow', path.join(bare, 'nope')], { cwd: home, home });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /does not exist/);
    for (const result of [none, missing]) assertNoStack(result);
  },
);

test(
  "a trust list others could have written, or one that is not dlrun's, allows nothing, " +
    'and allow will not overwrite it',
  async (t) => {
    const home = tempDir(t);
    const project = realpathSync(tempDir(t));
    writeFileSync(path.join(project, '.env'), 'AWS_PROFILE=lab\n');
    assert.equal((await runCli(['allow'], { cwd: project, home })).code, 0);
    const list = path.join(home, 'allowed-folders.json');
    chmodSync(list, 0o666);
    const widened = await runCli(['status'], { cwd: project, home });
    assert.match(widened.stderr, /the trust list .* is not used \(others can write it\), so no folder is allowed/);
    assert.match(widened.stderr, /ignored from \.env: AWS_PROFILE;/);

    chmodSync(list, 0o600);
    writeFileSync(list, '{"folders": "everything"}');
    const foreign = await runCli(['status'], { cwd: project, home });
    assert.match(foreign.stderr, /is not used \(it is not a list dlrun wrote\)/);
    const refused = await runCli(['allow'], { cwd: project, home });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /hint: look at it, then delete it/);
    assert.equal(readFileSync(list, 'utf8'), '{"folders": "everything"}', 'left as it was');
  },
);

test('a .env that is a FIFO, a link to /dev/zero or a huge file is not read, ' +
  'and dlrun neither hangs nor fills its memory', {
  timeout: 60_000,
}, async (t) => {
  const home = tempDir(t);
  const fifo = tempDir(t);
  assert.equal(spawnSync('mkfifo', [path.join(fifo, '.env')]).status, 0);
  const zero = tempDir(t);
  symlinkSync('/dev/zero', path.join(zero, '.env'));
  const huge = tempDir(t);
  writeFileSync(path.join(huge, '.env'), `AWS_PROFILE=lab\n${'# padding\n'.repeat(120_000)}`);
  for (const [cwd, reason] of [
    [fifo, 'it is a named pipe (FIFO), not a regular file'],
    [zero, 'it is a link to /dev/zero, a character device, not a regular file'],
    [huge, 'it is larger than 1 MiB'],
  ] as const) {
    const status = await runCli(['status'], { cwd, home, timeoutMs: 30_000 });
    assert.equal(status.code, 0, `${cwd}: ${status.stderr}`);
    assert.match(status.stderr, /^dlrun: .*\.env was not read: /m);
    assert.ok(status.stderr.includes(`.env was not read: ${reason}\n`), status.stderr);
    const allowed = await runCli(['allow'], { cwd, home, timeoutMs: 30_000 });
    assert.equal(allowed.code, 1);
    assert.ok(allowed.stderr.includes(`cannot be allowed: ${reason}\n`), allowed.stderr);
  }
});

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { obeyFilePermissions } from '../support/drop-privileges.js';
import { assertNoStack } from '../support/local-jobs.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

/** A failure the user can fix: exit 1, a message, no stack, not taken for a bug. */
function assertCleanFailure(result: CliResult, message: RegExp, label: string): void {
  assert.equal(result.signal, null, `${label}: killed`);
  assert.equal(result.code, 1, `${label}: ${result.stderr}${result.stdout}`);
  assert.match(`${result.stderr}${result.stdout}`, message, label);
  assert.doesNotMatch(result.stderr, /internal error/, label);
  assertNoStack(result);
}

test('a DLRUN_HOME that is a file: every command that opens the ledger or writes there exits 1 with the fix', {
  timeout: 300_000,
}, async (t) => {
  const dir = tempDir(t);
  const home = path.join(dir, 'dlrun-home');
  writeFileSync(home, 'not a folder\n');
  const project = path.join(dir, 'project');
  mkdirSync(project);
  writeFileSync(path.join(project, 'job.yaml'), 'name: demo\nrun: echo hi\n');
  const commands = [
    ['submit', 'project/job.yaml'],
    ['submit', '--dry-run', 'project/job.yaml'],
    ['status'],
    ['status', 'demo'],
    ['logs', 'demo'],
    ['cancel', 'demo'],
    ['bill', 'demo'],
    ['pull', 'demo'],
    ['gc'],
  ];
  for (const args of commands) {
    const result = await runCli(args, { cwd: dir, home, env: { HOME: dir }, timeoutMs: 60_000 });
    assertCleanFailure(
      result,
      /DLRUN_HOME \(.*dlrun-home\) is a file, not a folder\n {2}hint: point DLRUN_HOME at a folder/,
      args.join(' '),
    );
  }
  // check says which backends are usable: none is, with the reason on the ledger's line.
  const check = await runCli(['check'], {
    cwd: dir,
    home,
    env: { HOME: dir, AWS_EC2_METADATA_DISABLED: 'true' },
    timeoutMs: 60_000,
  });
  assertCleanFailure(check, /FAIL ledger: DLRUN_HOME \(.*dlrun-home\) is a file, not a folder/, 'check');
  // A DLRUN_HOME below a file cannot be made either.
  const below = await runCli(['submit', 'project/job.yaml'], {
    cwd: dir,
    home: path.join(home, 'sub'),
    env: { HOME: dir },
    timeoutMs: 60_000,
  });
  assertCleanFailure(
    below,
    /DLRUN_HOME \(.*dlrun-home\/sub\) cannot be a folder: .*dlrun-home is a file/,
    'a DLRUN_HOME below a file',
  );
});

test('dlrun init into a folder it cannot write, or below a file: exit 1, what is wrong, nothing written', {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const home = tempDir(t);
  const readOnly = path.join(dir, 'read-only');
  mkdirSync(readOnly);
  chmodSync(readOnly, 0o555);
  // Tests run as root, which ignores permissions: the command runs without that privilege.
  const refused = await runCli(['init', 'read-only'], {
    cwd: dir,
    home,
    wrapper: obeyFilePermissions(),
    timeoutMs: 60_000,
  });
  assertCleanFailure(
    refused,
    /cannot write .*read-only\/job\.yaml: permission denied\n {2}hint: choose a folder you can write to/,
    'read-only folder',
  );
  assert.deepEqual(readdirSync(readOnly), []);
  const inside = await runCli(['init', 'read-only/new'], {
    cwd: dir,
    home,
    wrapper: obeyFilePermissions(),
    timeoutMs: 60_000,
  });
  assertCleanFailure(inside, /cannot write .*read-only\/new: permission denied/, 'a new folder in a read-only one');

  writeFileSync(path.join(dir, 'notes.txt'), 'a file\n');
  const belowFile = await runCli(['init', 'notes.txt/job'], { cwd: dir, home, timeoutMs: 60_000 });
  assertCleanFailure(belowFile, /cannot make .*notes\.txt\/job: .*notes\.txt is a file, not a folder/, 'below a file');
  const isFile = await runCli(['init', 'notes.txt'], { cwd: dir, home, timeoutMs: 60_000 });
  assertCleanFailure(isFile, /notes\.txt is a file, not a folder/, 'a file');
  assert.equal(existsSync(path.join(dir, 'job.yaml')), false);
});

test('a workdir holding a folder dlrun may not read: validate and submit exit 1 and say which, or leave it home', {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const home = tempDir(t);
  writeFileSync(path.join(dir, 'job.yaml'), 'name: locked\nrun: echo hi\n');
  mkdirSync(path.join(dir, 'private'));
  chmodSync(path.join(dir, 'private'), 0o000);
  chmodSync(dir, 0o755);
  for (const args of [
    ['validate', 'job.yaml'],
    ['submit', '--dry-run', 'job.yaml'],
  ]) {
    const result = await runCli(args, { cwd: dir, home, wrapper: obeyFilePermissions(), timeoutMs: 60_000 });
    assertCleanFailure(
      result,
      new RegExp(
        /cannot read the folder .*private of the workdir: permission denied\n {2}/.source +
          /hint: make it readable, or leave it home with the line private\/ in \.dlrunignore/.source,
      ),
      args.join(' '),
    );
  }
  writeFileSync(path.join(dir, '.dlrunignore'), 'private/\n');
  const ignored = await runCli(['validate', 'job.yaml'], {
    cwd: dir,
    home,
    wrapper: obeyFilePermissions(),
    timeoutMs: 60_000,
  });
  assert.equal(ignored.code, 0, ignored.stderr);
});

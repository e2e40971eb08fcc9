import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import type { Finding } from '../../src/base/finding.js';
import { loadConfig } from '../../src/config.js';
import { checkJob } from '../../src/core/check-job.js';
import { writeJob } from '../support/job-files.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

/** The workdir-bounds findings for a job file written at `jobDir` (relative to `root`), with `home` as $HOME. */
async function bounds(root: string, jobDir: string, yaml: string, home: string): Promise<Finding[]> {
  const { job } = writeJob(path.join(root, jobDir), yaml);
  const config = loadConfig(
    { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, DLRUN_HOME: path.join(home, '.dlrun') },
    root,
  );
  return (await checkJob(job, config, 'local', false)).findings.filter((finding) => finding.rule === 'workdir-bounds');
}

const NO_HOME = '/nonexistent-home';
const JOB = 'name: b\nrun: echo\n';

test(
  'a workdir inside the git project of the job file is fine, ' + 'one above it is an error on the workdir line',
  async (t) => {
    const root = tempDir(t);
    mkdirSync(path.join(root, 'project', '.git'), { recursive: true });
    mkdirSync(path.join(root, 'project', 'code'), { recursive: true });
    assert.deepEqual(await bounds(root, 'project/jobs', `${JOB}workdir: ..\n`, NO_HOME), []);
    assert.deepEqual(await bounds(root, 'project/jobs', `${JOB}workdir: ../code\n`, NO_HOME), []);
    const outside = await bounds(root, 'project/jobs', `${JOB}workdir: ../..\n`, NO_HOME);
    assert.deepEqual(
      outside.map((finding) => [finding.severity, finding.line, finding.column]),
      [['error', 3, 10]],
    );
    assert.match(
      outside[0]!.message,
      /workdir: \S+ is outside the job file's project .*project \(the folder holding \.git\)/,
    );
    assert.match(outside[0]!.hint ?? '', /such as \.\./);
  },
);

test('a .git file (a git worktree or submodule) marks the project too', async (t) => {
  const root = tempDir(t);
  mkdirSync(path.join(root, 'worktree'), { recursive: true });
  writeFileSync(path.join(root, 'worktree', '.git'), 'gitdir: /elsewhere/.git/worktrees/w\n');
  assert.deepEqual(await bounds(root, 'worktree/jobs', `${JOB}workdir: ..\n`, NO_HOME), []);
});

test("outside any git repository, the project is the job file's own folder", async (t) => {
  const root = tempDir(t);
  const up = await bounds(root, 'jobs', `${JOB}workdir: ..\n`, NO_HOME);
  assert.equal(up.length, 1);
  assert.match(
    up[0]!.message,
    /outside the job file's folder .* \(it is in no git repository, so that is its project\)/,
  );
  assert.deepEqual(await bounds(root, 'jobs', JOB, NO_HOME), []);
});

test('a workdir that is the home folder, or holds it, is an error even inside a project', async (t) => {
  const root = tempDir(t);
  const home = path.join(root, 'me');
  mkdirSync(path.join(home, '.git'), { recursive: true }); // a dotfiles repository makes the home folder a project
  const isHome = await bounds(root, 'me', JOB, home);
  assert.equal(isHome.length, 1);
  assert.deepEqual([isHome[0]!.line, isHome[0]!.column], [1, null], 'workdir left to its default: the first line');
  assert.match(
    isHome[0]!.message,
    /the workdir \(the job file's folder, by default\) is your home folder: it would ship ~\/\.ssh, ~\/\.aws/,
  );
  assert.match(isHome[0]!.hint ?? '', /folder of their own/);
  const holdsHome = await bounds(root, 'me/projects/x', `${JOB}workdir: ../../..\n`, home);
  assert.equal(holdsHome.length, 1);
  assert.match(holdsHome[0]!.message, /is a folder that holds your home folder/);
  assert.deepEqual(await bounds(root, 'me/projects/x', JOB, home), [], 'a project inside the home folder is fine');
});

test('/ is an error, also through a link to it, and the workdir is never listed', async (t) => {
  const root = tempDir(t);
  mkdirSync(path.join(root, '.git'));
  const slash = await bounds(root, 'jobs', `${JOB}workdir: /\n`, NO_HOME);
  assert.equal(slash.length, 1);
  assert.match(slash[0]!.message, /workdir: \/ is the whole filesystem/);
  assert.match(slash[0]!.hint ?? '', /use workdir: \.\./);
  symlinkSync('/', path.join(root, 'everything'));
  const linked = await bounds(root, 'jobs', `${JOB}workdir: ../everything\n`, NO_HOME);
  assert.match(linked[0]?.message ?? '', /workdir: \S+everything \(\/, following links\) is the whole filesystem/);
});

// Through the built CLI: a hang (listing /) fails the test instead of blocking the suite.
const CLI_TIMEOUT_MS = 60_000;

test('dlrun validate and submit refuse workdir: / and a home workdir: exit 1, the fix, no stack, nothing created', {
  timeout: 5 * CLI_TIMEOUT_MS,
}, async (t) => {
  const dir = tempDir(t);
  const dlrunHome = tempDir(t);
  writeFileSync(path.join(dir, 'job.yaml'), 'name: everything\nworkdir: /\nrun: echo\n');
  for (const args of [
    ['validate', 'job.yaml'],
    ['submit', 'job.yaml'],
    ['submit', '--dry-run', 'job.yaml'],
  ]) {
    const result = await runCli(args, {
      cwd: dir,
      home: dlrunHome,
      env: { HOME: '/nonexistent-home' },
      timeoutMs: CLI_TIMEOUT_MS,
    });
    assert.equal(result.signal, null, `${args.join(' ')} was killed: it hung`);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      `${result.stdout}${result.stderr}`,
      /job\.yaml:2:10 error workdir-bounds workdir: \/ is the whole filesystem/,
    );
    assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
  }
  // The job file in the home folder, workdir left to its default: submit ships nothing and records nothing.
  writeFileSync(path.join(dir, 'job.yaml'), 'name: home\nrun: echo\n');
  const home = await runCli(['submit', 'job.yaml'], {
    cwd: dir,
    home: dlrunHome,
    env: { HOME: dir },
    timeoutMs: CLI_TIMEOUT_MS,
  });
  assert.equal(home.code, 1, home.stderr);
  assert.match(home.stderr, /is your home folder: it would ship ~\/\.ssh, ~\/\.aws/);
  assert.deepEqual(
    readdirSync(dlrunHome).filter((name) => name !== 'cache'),
    [],
    'no ledger, no job folder',
  );
});

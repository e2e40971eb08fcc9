import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'vitest';
import { CLOUD_SDKS, importLogEnv, loggedImports } from '../support/import-log.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

test('dlrun --help lists the commands on stdout and exits 0', async (t) => {
  const home = tempDir(t);
  const result = await runCli(['--help'], { cwd: home, home });
  assert.equal(result.code, 0);
  for (const command of ['validate', 'status', 'init', 'schema'])
    assert.match(result.stdout, new RegExp(`^  ${command}\\b`, 'm'));
  assert.equal(result.stderr, '');
});

test('dlrun --help loads no cloud SDK, no command module, no ledger and no YAML parser', async (t) => {
  const home = tempDir(t);
  const log = path.join(home, 'imports.log');
  const result = await runCli(['--help'], { cwd: home, home, env: importLogEnv(log) });
  assert.equal(result.code, 0, result.stderr);
  const loaded = loggedImports(log);
  assert.ok(
    loaded.some((url) => url.endsWith('/cli/main.js')),
    'the hook saw the CLI load',
  );
  for (const url of loaded) {
    for (const sdk of CLOUD_SDKS) assert.ok(!url.includes(`/node_modules/${sdk}`), `--help loaded ${url}`);
    assert.ok(!url.includes('/cli/commands/'), `--help loaded a command: ${url}`);
    assert.ok(!url.includes('better-sqlite3') && !url.includes('/node_modules/yaml/'), `--help loaded ${url}`);
  }
});

test('each command has --help, printed on stdout with exit 0', async (t) => {
  const home = tempDir(t);
  for (const command of ['validate', 'status', 'init', 'schema']) {
    const result = await runCli([command, '--help'], { cwd: home, home });
    assert.equal(result.code, 0);
    assert.match(result.stdout, new RegExp(`^Usage: dlrun ${command}`));
  }
});

test('wrong usage exits 2 with a did-you-mean, never a stack trace', async (t) => {
  const home = tempDir(t);
  const cases: [string[], RegExp][] = [
    [['stauts'], /unknown command 'stauts'; did you mean 'status'\?/],
    [['status', '--jsn'], /unknown option --jsn for 'dlrun status'; did you mean --json\?/],
    [['validate'], /'dlrun validate' needs JOB\.yaml/],
    [['schema', 'extra'], /unexpected: extra/],
    [['validate', 'job.yaml', '--backend', 'ec3'], /unknown backend 'ec3'; did you mean 'ec2'\?/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(args, { cwd: home, home });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(result.stdout, '');
  }
});

test('--version prints the package version', async (t) => {
  const home = tempDir(t);
  const result = await runCli(['--version'], { cwd: home, home });
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/);
});

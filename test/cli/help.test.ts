import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'vitest';
import { CLOUD_SDKS, importLogEnv, loggedImports } from '../support/import-log.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

/** The general help's last lines, as one paragraph (commander's help is wrapped at 80 columns off a terminal). */
const ENVIRONMENT_AND_EXIT_CODES =
  'Environment: DLRUN_HOME (ledger and job folders, default ~/.dlrun), NO_COLOR; .env in this folder gives harmless ' +
  'settings and job secrets, and the rest (credentials, endpoints) once you run dlrun allow here. ' +
  'Exit codes: 0 success, 1 a failure you can fix, 2 wrong usage, 70 a bug in dlrun, 130 Ctrl-C.';

const oneParagraph = (text: string): string => text.replace(/\s+/g, ' ');

test('dlrun --help lists the commands on stdout and exits 0', async (t) => {
  const home = tempDir(t);
  const result = await runCli(['--help'], { cwd: home, home });
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^Usage: dlrun \[options\] \[command\]\n/);
  for (const command of ['validate', 'status', 'init', 'schema'])
    assert.match(result.stdout, new RegExp(`^  ${command}\\b`, 'm'));
  assert.match(result.stdout, /^ {2}validate \[options\] <JOB\.yaml> +check a job file/m);
  assert.match(result.stdout, /^ {2}status \[options\] \[JOB_ID\] +jobs and their state/m);
  assert.match(result.stdout, /^ {2}help \[command\] +display help for command$/m);
  assert.match(result.stdout, /^ {2}-V, --version +output the version number$/m);
  assert.match(result.stdout, /^ {2}-h, --help +display help for command$/m);
  assert.ok(oneParagraph(result.stdout).endsWith(` ${ENVIRONMENT_AND_EXIT_CODES} `), result.stdout);
  assert.ok(
    result.stdout.split('\n').every((line) => line.length <= 80),
    'wrapped at 80 columns off a terminal',
  );
  assert.equal(result.stderr, '');
});

test('dlrun alone and dlrun help print the same help as --help, on stdout with exit 0', async (t) => {
  const home = tempDir(t);
  const help = await runCli(['--help'], { cwd: home, home });
  for (const args of [[], ['help'], ['-h']]) {
    const result = await runCli(args, { cwd: home, home });
    assert.equal(result.code, 0, args.join(' '));
    assert.equal(result.stdout, help.stdout, args.join(' '));
    assert.equal(result.stderr, '');
  }
});

test('dlrun help COMMAND is its help; help with an unknown name is the general help on stderr, exit 2', async (t) => {
  const home = tempDir(t);
  const status = await runCli(['help', 'status'], { cwd: home, home });
  assert.equal(status.code, 0);
  assert.equal(status.stdout, (await runCli(['status', '--help'], { cwd: home, home })).stdout);
  assert.match(status.stdout, /^Usage: dlrun status \[options\] \[JOB_ID\]\n/);
  const unknown = await runCli(['help', 'nosuch'], { cwd: home, home });
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stdout, '');
  assert.match(unknown.stderr, /^Usage: dlrun \[options\] \[command\]\n/);
  assert.match(unknown.stderr, /^ {2}status \[options\] \[JOB_ID\]/m);
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
    assert.match(result.stdout, /^ {2}-h, --help +display help for command$/m);
    assert.equal(result.stderr, '');
  }
  const validate = await runCli(['validate', '--help', 'extra', 'words'], { cwd: home, home });
  assert.equal(validate.code, 0, 'help wins over wrong arguments');
  assert.equal(
    validate.stdout,
    [
      'Usage: dlrun validate [options] <JOB.yaml>',
      '',
      'Check a job file: every setting, with file, line and column for each problem.',
      '',
      'Options:',
      '  --backend <B>  check for this backend (default: the backends the file names)',
      '  --json         print one JSON document on stdout',
      '  -h, --help     display help for command',
      '',
    ].join('\n'),
  );
  const submit = await runCli(['submit', '-h'], { cwd: home, home });
  assert.match(submit.stdout, /^ {2}-y, --yes +do not ask before launching/m);
  assert.match(submit.stdout, /^ {2}-w, --wait +follow the job to its end/m);
  assert.match(submit.stdout, /^ {2}--dry-run +print the plan/m);
});

test('wrong usage exits 2 with a did-you-mean, never a stack trace', async (t) => {
  const home = tempDir(t);
  const cases: [string[], RegExp][] = [
    [
      ['stauts'],
      /^dlrun: error: unknown command 'stauts' \(Did you mean status\?\)\n {2}run 'dlrun --help' for usage\n$/,
    ],
    [
      ['status', '--jsn'],
      /^dlrun: error: unknown option '--jsn' \(Did you mean --json\?\)\n {2}run 'dlrun status --help' for usage\n$/,
    ],
    [['submit', 'job.yaml', '--dryrun'], /unknown option '--dryrun' \(Did you mean --dry-run\?\)/],
    [['status', '-x'], /^dlrun: error: unknown option '-x'\n/],
    [['--jsn'], /^dlrun: error: unknown option '--jsn'\n {2}run 'dlrun --help' for usage\n$/],
    // Options before the command are dlrun's own; after it, the command's.
    [['status', '--version'], /unknown option '--version'/],
    [['--json', 'status'], /unknown option '--json'/],
    [
      ['validate'],
      /^dlrun: error: missing required argument 'JOB\.yaml'\n {2}run 'dlrun validate --help' for usage\n$/,
    ],
    [['logs'], /missing required argument 'JOB_ID'/],
    [['schema', 'extra'], /too many arguments for 'schema'\. Expected 0 arguments but got 1\./],
    [['validate', 'a.yaml', 'b.yaml'], /too many arguments for 'validate'\. Expected 1 argument but got 2\./],
    [['status', 'a', 'b'], /too many arguments for 'status'\. Expected 1 argument but got 2\./],
    [['quote', 'job.yaml', '--backend'], /^dlrun: error: option '--backend <B>' argument missing\n/],
    [['submit', 'job.yaml', '--json=1'], /unknown option '--json=1'/],
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

test('--version and -V print the package version', async (t) => {
  const home = tempDir(t);
  for (const flag of ['--version', '-V']) {
    const result = await runCli([flag], { cwd: home, home });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/);
    assert.equal(result.stderr, '');
  }
});

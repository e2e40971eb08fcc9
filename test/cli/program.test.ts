import assert from 'node:assert/strict';
import { test } from 'vitest';
import { EXIT_CODES, UsageError } from '../../src/base/errors.js';
import { COMMANDS } from '../../src/cli/command-table.js';
import type { CliIo } from '../../src/cli/io.js';
import { buildProgram, commanderOutcome, type ParsedCommand } from '../../src/cli/program.js';

interface Run {
  readonly parsed: ParsedCommand[];
  readonly named: string[];
  readonly out: string;
  readonly err: string;
  readonly thrown: unknown;
}

/** Parse `argv` with the real program, an io that records, and an action that records instead of loading. */
async function parse(argv: readonly string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = {
    cwd: '/nowhere',
    stdoutIsTerminal: false,
    stderrIsTerminal: false,
    colorOut: false,
    colorErr: false,
    out: (text) => (out += text),
    err: (text) => (err += text),
  };
  const parsed: ParsedCommand[] = [];
  const named: string[] = [];
  const program = buildProgram(io, {
    version: '9.8.7',
    onCommand: (name) => named.push(name),
    run: async (command) => void parsed.push(command),
  });
  let thrown: unknown;
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    thrown = error;
  }
  return { parsed, named, out, err, thrown };
}

async function parsedCommand(argv: readonly string[]): Promise<ParsedCommand> {
  const run = await parse(argv);
  assert.equal(run.thrown, undefined, `${argv.join(' ')}: ${String(run.thrown)}`);
  assert.equal(run.parsed.length, 1);
  return run.parsed[0]!;
}

test('every command of the table is a command of the program, with its arguments and options', async () => {
  const program = buildProgram({} as CliIo, { version: '0.0.0', onCommand: () => {}, run: async () => {} });
  assert.deepEqual(
    program.commands.map((command) => command.name()),
    COMMANDS.map((spec) => spec.name),
  );
  for (const spec of COMMANDS) {
    const command = program.commands.find((candidate) => candidate.name() === spec.name)!;
    assert.equal(command.summary(), spec.summary);
    assert.deepEqual(
      command.registeredArguments.map((argument) =>
        argument.required ? `<${argument.name()}>` : `[${argument.name()}]`,
      ),
      spec.args,
    );
    assert.deepEqual(
      command.options.map((option) => option.long),
      Object.keys(spec.flags).map((name) => `--${name}`),
    );
  }
});

test('options reach the command under their names in the table, only when given', async () => {
  const submit = await parsedCommand(['submit', 'job.yaml', '--dry-run', '-yw', '--backend=ec2']);
  assert.equal(submit.spec.name, 'submit');
  assert.deepEqual(submit.positionals, ['job.yaml']);
  assert.deepEqual(submit.flags, { backend: 'ec2', 'dry-run': true, yes: true, wait: true });
  const quote = await parsedCommand(['quote', '--runtime', '2h', 'job.yaml', '--backend', 'local', '--json']);
  assert.deepEqual(quote.positionals, ['job.yaml']);
  assert.deepEqual(quote.flags, { runtime: '2h', backend: 'local', json: true });
  const status = await parsedCommand(['status']);
  assert.deepEqual(status.positionals, [], 'an optional argument not given is absent');
  assert.deepEqual(status.flags, {});
  // The last of a repeated option wins; `--` ends the options.
  assert.deepEqual((await parsedCommand(['pull', 'a-job', '--to', 'one', '--to', 'two'])).flags, { to: 'two' });
  assert.deepEqual((await parsedCommand(['validate', '--', '--odd-name.yaml'])).positionals, ['--odd-name.yaml']);
  // A value may start with a dash, unless it is one of the command's own options (a forgotten value).
  assert.deepEqual((await parsedCommand(['pull', 'a-job', '--to', '-out'])).flags, { to: '-out' });
  for (const option of ['--json', '--to', '-h']) {
    const refused = await parse(['pull', 'a-job', '--to', option]);
    assert.deepEqual(refused.parsed, [], `--to ${option} runs nothing`);
    assert.ok(refused.thrown instanceof UsageError, `--to ${option} is wrong usage`);
    assert.match(refused.thrown.message, new RegExp(`'${option}' is an option of 'dlrun pull'`));
  }
  // An empty argument is an argument: the command decides what it means (`a job id cannot be empty`).
  assert.deepEqual((await parsedCommand(['logs', ''])).positionals, ['']);
});

test('the program names the command before parsing its options, so a usage error can point at its help', async () => {
  const run = await parse(['status', '--jsn']);
  assert.deepEqual(run.named, ['status']);
  assert.deepEqual(run.parsed, [], 'no action runs after a usage error');
  assert.equal((await parse(['stauts'])).named.length, 0);
});

test('help and the version go to io.out and end the parse with exit 0; nothing is printed for an error', async () => {
  const help = await parse(['validate', '--help']);
  assert.match(help.out, /^Usage: dlrun validate \[options\] <JOB\.yaml>\n/);
  assert.equal(commanderOutcome(help.thrown), EXIT_CODES.success);
  const general = await parse(['help']);
  assert.match(general.out, /^Usage: dlrun \[options\] \[command\]\n/);
  assert.match(general.out, /Exit codes: 0 success/);
  assert.equal(commanderOutcome(general.thrown), EXIT_CODES.success);
  const version = await parse(['-V']);
  assert.equal(version.out, '9.8.7\n');
  assert.equal(commanderOutcome(version.thrown), EXIT_CODES.success);
  const wrong = await parse(['status', '--jsn']);
  assert.equal(wrong.out + wrong.err, '', 'the error boundary, not commander, prints usage errors');
  const unknownTopic = await parse(['help', 'nosuch']);
  assert.equal(unknownTopic.out, '');
  assert.match(unknownTopic.err, /^Usage: dlrun \[options\] \[command\]\n/);
  assert.equal(commanderOutcome(unknownTopic.thrown), EXIT_CODES.usage);
});

test("commander's usage errors become dlrun's UsageError, one line, without commander's prefix", async () => {
  const cases: [string[], string][] = [
    [['stauts'], "unknown command 'stauts' (Did you mean status?)"],
    [['qoute', 'job.yaml'], "unknown command 'qoute' (Did you mean quote?)"],
    [['zzz'], "unknown command 'zzz'"],
    [['status', '--jsn'], "unknown option '--jsn' (Did you mean --json?)"],
    [['init', '--forse'], "unknown option '--forse' (Did you mean --force?)"],
    [['validate'], "missing required argument 'JOB.yaml'"],
    [['schema', 'extra'], "too many arguments for 'schema'. Expected 0 arguments but got 1."],
    [['pull', 'a-job', '--to'], "option '--to <DIR>' argument missing"],
  ];
  for (const [argv, message] of cases) {
    const outcome = commanderOutcome((await parse(argv)).thrown);
    assert.ok(outcome instanceof UsageError, argv.join(' '));
    assert.equal(outcome.message, message);
  }
  assert.equal(commanderOutcome(new Error('a bug')), undefined, 'any other error is left to the error boundary');
});

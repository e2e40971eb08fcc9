import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { assertNoStack } from '../support/local-jobs.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

interface JsonError {
  readonly error: {
    readonly message: string;
    readonly hint: string | null;
    readonly exit_code: number;
    readonly findings?: unknown[];
  };
}

/** With --json, a failure is exactly one JSON document on stdout, and the same words as text on stderr. */
function jsonError(result: CliResult, exitCode: number): JsonError['error'] {
  assert.equal(result.code, exitCode, result.stderr);
  assert.ok(
    result.stdout.endsWith('}\n') && result.stdout.indexOf('\n') === result.stdout.length - 1,
    `one JSON document on one line: ${result.stdout}`,
  );
  const parsed = JSON.parse(result.stdout) as JsonError;
  assert.deepEqual(Object.keys(parsed), ['error']);
  assert.equal(parsed.error.exit_code, exitCode);
  assert.ok(result.stderr.includes(`dlrun: error: ${parsed.error.message}`), `stderr says it too: ${result.stderr}`);
  assertNoStack(result);
  return parsed.error;
}

test('--json: a user error (an unknown job) is {"error": {message, hint, exit_code}} on stdout, exit 1', async (t) => {
  const home = tempDir(t);
  for (const command of ['status', 'cancel', 'bill', 'pull']) {
    const error = jsonError(await runCli([command, 'nobody-20200101-0000-abcd', '--json'], { cwd: home, home }), 1);
    assert.equal(error.message, "no job 'nobody-20200101-0000-abcd' in the ledger");
    assert.equal(error.hint, "'dlrun status' lists jobs");
  }
});

test('--json: wrong usage (empty job id, bad flag value, unknown flag or command): a JSON error, exit 2', async (t) => {
  const home = tempDir(t);
  assert.equal(
    jsonError(await runCli(['status', '', '--json'], { cwd: home, home }), 2).message,
    'a job id cannot be empty',
  );
  writeFileSync(path.join(home, 'job.yaml'), 'name: fine\nrun: echo hi\n');
  const badBackend = jsonError(
    await runCli(['quote', 'job.yaml', '--backend', 'ec3', '--json'], { cwd: home, home }),
    2,
  );
  assert.match(badBackend.message, /ec3/);
  const unknownFlag = jsonError(await runCli(['gc', '--jsno', '--json'], { cwd: home, home }), 2);
  assert.equal(unknownFlag.message, "unknown option '--jsno' (Did you mean --json?)");
  assert.equal(unknownFlag.hint, null);
  // Commander's usage errors take the same path: an unknown command, a missing or an extra argument.
  assert.equal(
    jsonError(await runCli(['stauts', '--json'], { cwd: home, home }), 2).message,
    "unknown command 'stauts' (Did you mean status?)",
  );
  assert.equal(
    jsonError(await runCli(['validate', '--json'], { cwd: home, home }), 2).message,
    "missing required argument 'JOB.yaml'",
  );
  assert.equal(
    jsonError(await runCli(['cancel', 'a', 'b', '--json'], { cwd: home, home }), 2).message,
    "too many arguments for 'cancel'. Expected 1 argument but got 2.",
  );
});

test('--json: an invalid job file carries its findings in the error document', async (t) => {
  const dir = tempDir(t);
  const jobPath = path.join(dir, 'job.yaml');
  writeFileSync(jobPath, 'name: broken\nrun: echo hi\nresources:\n  gpus: 1\n');
  const error = jsonError(await runCli(['submit', jobPath, '--json'], { cwd: dir, home: dir }), 1);
  assert.equal(error.message, `${jobPath} is not a valid job file`);
  assert.ok(Array.isArray(error.findings) && error.findings.length > 0, 'the findings are in the document');
  assert.match(JSON.stringify(error.findings), /unknown-key/);
});

test('without --json, an error prints nothing on stdout', async (t) => {
  const home = tempDir(t);
  const result = await runCli(['status', 'nobody-20200101-0000-abcd'], { cwd: home, home });
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
});

test('--json right after an option that needs a value: wrong usage (exit 2), as the one JSON document', async (t) => {
  const home = tempDir(t);
  // A forgotten value, not a folder named --json: the --json the user typed still asks for the JSON error.
  const result = await runCli(['pull', 'nobody-20200101-0000-abcd', '--to', '--json'], { cwd: home, home });
  const error = jsonError(result, 2);
  assert.equal(error.message, "option '--to <DIR>' argument missing: '--json' is an option of 'dlrun pull'");
  assert.equal(error.hint, 'to mean a file or folder of that name, write ./--json');
  assert.match(result.stderr, /^dlrun: error: option '--to <DIR>' argument missing/);
});

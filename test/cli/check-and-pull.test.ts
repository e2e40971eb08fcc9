import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { assertNoStack, ended, submitted } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';
import { waitFor } from '../support/wait-for.js';

interface CheckJson {
  backends: {
    backend: string;
    usable: boolean;
    checks: { check: string; ok: boolean; detail: string; required: boolean }[];
  }[];
}

/**
 * No AWS or Google setup at all (the child's HOME is a fresh folder, so no ~/.aws and no gcloud credentials), and no
 * instance metadata lookups on either cloud.
 */
const NO_AWS = { AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none' };

test('check: local is usable here; ec2 and vertex want credentials; rescale wants its API key', async (t) => {
  const home = tempDir(t);
  const text = await runCli(['check'], { cwd: home, home, env: NO_AWS });
  assert.equal(text.code, 0, 'no backend was asked about, so an unusable one is not a failure');
  assert.match(text.stdout, /^local: usable\n {2}ok {3}launch: /);
  assert.match(text.stdout, /^ {2}ok {3}bash: GNU bash/m);
  assert.match(text.stdout, /^ {2}ok {3}DLRUN_HOME: .* is writable/m);
  assert.match(text.stdout, /^ec2: not usable\n {2}ok {3}launch: this version of dlrun can launch jobs here$/m);
  assert.match(text.stdout, /^ {2}FAIL region: no region: set AWS_REGION/m);
  // Those words, not the SDK's, and how to get credentials.
  assert.match(
    text.stdout,
    /^ {2}FAIL credentials: no credentials found: run 'aws configure'.*AWS_PROFILE.*AWS_ACCESS_KEY_ID/m,
  );
  assert.doesNotMatch(text.stdout, /Could not load credentials from any providers/);
  assert.match(text.stdout, /^vertex: not usable\n {2}ok {3}launch: this version of dlrun can launch jobs here$/m);
  assert.match(text.stdout, /^ {2}FAIL credentials: .*no Google Cloud credentials were found.*gcloud auth/m);
  assert.doesNotMatch(text.stderr, /MetadataLookupWarning/);
  assert.match(text.stdout, /^rescale: not usable\n {2}ok {3}launch: this version of dlrun can launch jobs here$/m);
  assert.match(
    text.stdout,
    /^ {2}FAIL API key: RESCALE_API_KEY is not set: create a key in the Rescale platform \(Settings > API\)/m,
  );
  assert.match(text.stdout, /^ {2}ok {3}platform: https:\/\/platform\.rescale\.com \(the default\)$/m);
  assert.match(text.stdout, /^ {2}note Rescale API: not asked: there is no API key to ask with$/m);
  assertNoStack(text);

  const json = await runCli(['check', '--json'], { cwd: home, home, env: NO_AWS });
  assert.equal(json.code, 0);
  const { backends } = JSON.parse(json.stdout) as CheckJson;
  assert.deepEqual(
    backends.map((entry) => [entry.backend, entry.usable]),
    [
      ['local', true],
      ['ec2', false],
      ['vertex', false],
      ['rescale', false],
    ],
  );
  const local = backends[0]!;
  assert.ok(
    local.checks.filter((item) => item.required).every((item) => item.ok),
    'every required local check passed',
  );
  const rescale = backends[3]!;
  assert.deepEqual(
    rescale.checks.map((item) => [item.check, item.ok, item.required]),
    [
      ['launch', true, true],
      ['ledger', true, true],
      ['API key', false, true],
      ['platform', true, true],
      ['Rescale API', false, false],
    ],
  );
  assert.deepEqual(
    // gcloud, which google-auth-library asks for the project when nothing else names one, keeps its own settings.
    readdirSync(home).filter((name) => name !== 'jobs' && name !== '.config'),
    [],
    'checking creates no ledger',
  );
});

test('check --backend B answers for B alone and exits 1 when B is not usable', async (t) => {
  const home = tempDir(t);
  const ec2 = await runCli(['check', '--backend', 'ec2'], { cwd: home, home, env: NO_AWS });
  assert.equal(ec2.code, 1);
  assert.match(ec2.stdout, /^ec2: not usable\n/);
  assert.doesNotMatch(ec2.stdout, /^local:/m);
  const ec2Json = await runCli(['check', '--backend', 'ec2', '--json'], { cwd: home, home });
  assert.equal(ec2Json.code, 1);
  assert.deepEqual(
    (JSON.parse(ec2Json.stdout) as CheckJson).backends.map((entry) => entry.backend),
    ['ec2'],
  );
  const local = await runCli(['check', '--backend', 'local'], { cwd: home, home });
  assert.equal(local.code, 0, local.stdout);
  const typo = await runCli(['check', '--backend', 'ec3'], { cwd: home, home });
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown backend 'ec3'; did you mean 'ec2'\?/);
});

const OUTPUTS_JOB = [
  'name: makes-outputs',
  'run: |',
  '  echo "weights" > "$DLRUN_OUTPUT_DIR/model.txt"',
  '  mkdir -p "$DLRUN_OUTPUT_DIR/eval"',
  '  echo \'{"accuracy": 0.93}\' > "$DLRUN_OUTPUT_DIR/eval/metrics.json"',
  '',
].join('\n');

test('pull copies the outputs into ./dlrun-outputs/JOB_ID, or --to DIR, and says how many files', async (t) => {
  const home = tempDir(t);
  const cwd = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), OUTPUTS_JOB);
  const jobId = await submitted(t, jobPath, home);
  assert.equal((await ended(jobId, home)).state, 'succeeded');

  const pulled = await runCli(['pull', jobId], { cwd, home });
  assert.equal(pulled.code, 0, pulled.stderr);
  const destination = path.join(cwd, 'dlrun-outputs', jobId);
  assert.equal(pulled.stdout, `${destination}\n`);
  assert.equal(pulled.stderr, `pulled 2 files (27 B) into dlrun-outputs/${jobId}\n`);
  assert.equal(readFileSync(path.join(destination, 'model.txt'), 'utf8'), 'weights\n');
  assert.equal(readFileSync(path.join(destination, 'eval', 'metrics.json'), 'utf8'), '{"accuracy": 0.93}\n');

  const elsewhere = await runCli(['pull', jobId, '--to', 'results/run-1', '--json'], { cwd, home });
  assert.equal(elsewhere.code, 0, elsewhere.stderr);
  assert.deepEqual(JSON.parse(elsewhere.stdout), {
    job_id: jobId,
    destination: path.join(cwd, 'results', 'run-1'),
    files: 2,
    bytes: 27,
  });
  assert.equal(readFileSync(path.join(cwd, 'results', 'run-1', 'model.txt'), 'utf8'), 'weights\n');
});

test('pull of a job that is still running gives its outputs so far, and says so', async (t) => {
  const home = tempDir(t);
  const cwd = tempDir(t);
  const { jobPath } = writeJob(
    tempDir(t),
    'name: still-going\nrun: |\n  echo "epoch 1" > "$DLRUN_OUTPUT_DIR/progress.txt"\n  sleep 300\n',
  );
  const jobId = await submitted(t, jobPath, home);
  await waitFor('the first output', () =>
    existsSync(path.join(home, 'jobs', jobId, 'workdir', 'outputs', 'progress.txt')) ? true : undefined,
  );
  const pulled = await runCli(['pull', jobId], { cwd, home });
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(
    pulled.stderr,
    new RegExp(`^${jobId} is still running: these are its outputs so far\\npulled 1 file \\(8 B\\)`),
  );
});

test('pull of a job with no outputs folder fails clearly and leaves no empty folder behind', async (t) => {
  const home = tempDir(t);
  const cwd = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: no-outputs\nrun: rmdir "$DLRUN_OUTPUT_DIR"\n');
  const jobId = await submitted(t, jobPath, home);
  assert.equal((await ended(jobId, home)).state, 'succeeded');
  const pulled = await runCli(['pull', jobId], { cwd, home });
  assert.equal(pulled.code, 1);
  assert.match(
    pulled.stderr,
    new RegExp(
      /^dlrun: error: the job has no outputs folder \(.*\/workdir\/outputs\)\n {2}/.source +
        /hint: did the job write to \$DLRUN_OUTPUT_DIR\?\n$/.source,
    ),
  );
  assertNoStack(pulled);
  assert.equal(pulled.stdout, '');
  assert.deepEqual(readdirSync(cwd), [], 'no empty dlrun-outputs folder');
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';

const QUICKSTART = path.join(REPO_ROOT, 'examples', 'quickstart', 'job.yaml');

test(
  'the quickstart trains to success under submit --wait: ' + 'loss falls, the model is written, the bill is printed',
  async (t) => {
    const home = tempDir(t);
    const result = await runCli(['submit', QUICKSTART, '--wait'], { cwd: REPO_ROOT, home });
    assert.equal(result.code, 0, result.stderr);
    const [jobId, ...bill] = result.stdout.trim().split('\n');
    assert.match(jobId!, /^quickstart-\d{8}-\d{4}-[0-9a-f]{4}$/);
    assert.match(bill.join('\n'), /^bill for quickstart-.* \(local, succeeded\)$/m);
    assert.match(bill.join('\n'), /^total: .*dlrun's figure/m);
    const losses = [...result.stderr.matchAll(/^epoch +\d+ +loss ([0-9.]+)/gm)].map((match) => Number(match[1]));
    assert.ok(losses.length >= 10, "the job's output was shown");
    assert.ok(losses.at(-1)! < losses[0]! / 2, `loss fell from ${losses[0]} to ${losses.at(-1)}`);
    assert.match(result.stderr, /succeeded \| /, 'plain status lines without a terminal');
    assert.doesNotMatch(result.stderr, /\r/, 'no carriage returns when stderr is not a terminal');
    const model = JSON.parse(
      readFileSync(path.join(home, 'jobs', jobId!, 'workdir', 'outputs', 'model.json'), 'utf8'),
    ) as { test_accuracy: number };
    assert.ok(model.test_accuracy > 0.9);
  },
);

test('submit --wait --json prints exactly one JSON document: the final record with its bill', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: json-job\nrun: echo hi\nbackends:\n  local:\n    hourly_rate: 3.6\n');
  const result = await runCli(['submit', jobPath, '--wait', '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  const record = JSON.parse(result.stdout) as Record<string, unknown> & { bill: Record<string, unknown> };
  for (const field of [
    'job_id',
    'name',
    'backend',
    'state',
    'provider_state',
    'external_id',
    'submitted_at',
    'started_at',
    'ended_at',
    'elapsed_s',
    'phases',
    'cost_so_far_usd',
  ]) {
    assert.ok(field in record, `record has ${field}`);
  }
  assert.equal(record.state, 'succeeded');
  for (const field of [
    'job_id',
    'backend',
    'state',
    'phases',
    'billed_s',
    'rate_per_hour_usd',
    'total_usd',
    'quoted_usd',
    'price_as_of',
    'line_items',
    'provider_usd',
    'provider_source',
  ]) {
    assert.ok(field in record.bill, `bill has ${field}`);
  }
  assert.equal(record.bill.rate_per_hour_usd, 3.6);
  assert.equal(record.bill.provider_usd, null);
});

test(
  'submit without --wait returns at once with the job id; ' + 'the job goes on and status, logs and bill follow it',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(tempDir(t), 'name: detached\nrun: |\n  echo first\n  sleep 1\n  echo last\n');
    const submitted = await runCli(['submit', jobPath], { cwd: home, home });
    assert.equal(submitted.code, 0, submitted.stderr);
    const jobId = submitted.stdout.trim();
    const status = JSON.parse((await runCli(['status', jobId, '--json'], { cwd: home, home })).stdout) as {
      state: string;
    };
    assert.ok(['provisioning', 'running', 'succeeded'].includes(status.state), status.state);
    const logs = await runCli(['logs', jobId, '--follow'], { cwd: home, home });
    assert.equal(logs.code, 0);
    assert.equal(logs.stdout, 'first\nlast\n');
    const ended = JSON.parse((await runCli(['status', jobId, '--json'], { cwd: home, home })).stdout) as {
      state: string;
      exit_code: number;
    };
    assert.equal(ended.state, 'succeeded');
    assert.equal(ended.exit_code, 0);
    const bill = await runCli(['bill', jobId, '--json'], { cwd: home, home });
    assert.equal(JSON.parse(bill.stdout).state, 'succeeded');
  },
);

test('submit --dry-run prints the plan and creates nothing: no ledger, no job folder', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: dry\nrun: python3 train.py\nsecrets: [API_TOKEN]\n', {
    'train.py': 'print(1)\n',
  });
  const result = await runCli(['submit', jobPath, '--dry-run'], {
    cwd: home,
    home,
    env: { API_TOKEN: 'very-secret-value' },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^dry run: job dry-\S+ on local \(nothing was created\)/);
  assert.match(result.stdout, /local:copy-workdir/);
  assert.match(result.stdout, /"API_TOKEN"/, 'secrets are shown by name');
  assert.doesNotMatch(result.stdout, /very-secret-value/, 'never by value');
  assert.deepEqual(readdirSync(home), [], 'nothing was created in DLRUN_HOME');
  const json = await runCli(['submit', jobPath, '--dry-run', '--json'], { cwd: home, home, env: { API_TOKEN: 'x' } });
  const plan = JSON.parse(json.stdout) as { dry_run: boolean; quote: { backend: string }; requests: unknown[] };
  assert.equal(plan.dry_run, true);
  assert.equal(plan.quote.backend, 'local');
  assert.equal(plan.requests.length, 2);
});

test('a secret that is not set refuses the launch before anything is written', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(
    tempDir(t),
    'name: needs-secret\nrun: echo "$API_TOKEN" | wc -c\nsecrets: [API_TOKEN]\n',
  );
  const refused = await runCli(['submit', jobPath], { cwd: home, home });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /secrets API_TOKEN is not set/);
  assert.equal(existsSync(path.join(home, 'ledger.db')), false);
  const given = await runCli(['submit', jobPath, '--wait'], { cwd: home, home, env: { API_TOKEN: 'abc123' } });
  assert.equal(given.code, 0, given.stderr);
  assert.match(given.stderr, /^7$/m, 'the job saw the value (6 characters and a newline)');
  const ledger = readFileSync(path.join(home, 'ledger.db'));
  assert.equal(ledger.includes('abc123'), false, 'the value is not in the ledger');
});

test(
  'a job that fails ends the wait with exit 1, ' + 'the phase it failed in, its exit status and its last lines',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(tempDir(t), 'name: failing\nrun: |\n  echo oops >&2\n  exit 4\n');
    const result = await runCli(['submit', jobPath, '--wait'], { cwd: home, home });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /oops/);
    assert.match(
      result.stderr,
      new RegExp(
        /failing-\S+ failed in run \(exit status 4\): the job exited with status 4\n/.source +
          /last line of its output:\n {2}\| oops\n/.source,
      ),
    );
  },
);

test(
  'a job whose setup fails says so, at the end of --wait (text and JSON) and in its status, ' +
    'with the last lines of its output',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(
      tempDir(t),
      [
        'name: bad-setup',
        'setup: |',
        '  echo installing',
        '  echo "ERROR: no matching distribution for torch==9.9" >&2',
        '  exit 3',
        'run: echo never',
        '',
      ].join('\n'),
    );
    const waited = await runCli(['submit', jobPath, '--wait'], { cwd: home, home });
    assert.equal(waited.code, 1);
    assert.match(waited.stderr, /failed in setup \(exit status 3\)/);
    assert.match(
      waited.stderr,
      /last 2 lines of its output:\n {2}\| installing\n {2}\| ERROR: no matching distribution for torch==9\.9\n/,
    );
    const jobId = waited.stdout.split('\n')[0]!;
    const detail = await runCli(['status', jobId], { cwd: home, home });
    assert.match(detail.stdout, /^failed in\s+setup$/m);
    assert.match(detail.stdout, /\| ERROR: no matching distribution for torch==9\.9$/m);
    const json = JSON.parse((await runCli(['status', jobId, '--json'], { cwd: home, home })).stdout) as {
      failed_phase: string;
      last_output: string[];
    };
    assert.equal(json.failed_phase, 'setup');
    assert.deepEqual(json.last_output, ['installing', 'ERROR: no matching distribution for torch==9.9']);
    const waitedJson = await runCli(['submit', jobPath, '--wait', '--json'], { cwd: home, home });
    const record = JSON.parse(waitedJson.stdout) as { failed_phase: string; last_output: string[] };
    assert.equal(record.failed_phase, 'setup');
    assert.equal(record.last_output.at(-1), 'ERROR: no matching distribution for torch==9.9');
  },
);

test('an invalid job file is refused before the ledger is touched', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: fine\nrun: echo hi\n');
  const broken = path.join(path.dirname(jobPath), 'broken.yaml');
  writeFileSync(broken, 'name: Bad Name\nrun: echo\n');
  const result = await runCli(['submit', broken], { cwd: home, home });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /broken\.yaml:1:7 error invalid-value/);
  assert.equal(existsSync(path.join(home, 'ledger.db')), false);
});

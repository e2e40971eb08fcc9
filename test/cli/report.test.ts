import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { asJobId } from '../../src/backend/job-id.js';
import type { PriceSnapshot } from '../../src/cost/price-snapshot.js';
import type { SpendReport } from '../../src/core/spend-report.js';
import { loadConfig } from '../../src/config.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import { openLedger } from '../../src/ledger/open-ledger.js';
import { newJob, PRICE, sampleBill } from '../ledger/support/ledger-fixtures.js';
import { runCli } from '../support/run-cli.js';
import { seededHome } from '../support/seeded-home.js';
import { tempDir } from '../support/temp-dir.js';

// Fixed dates long past: every job has ended, so every figure is exact.
const BILLED = asJobId('mnist-20200101-1000-aaaa');
const FAILED = asJobId('mnist-20200102-0900-bbbb');
const CANCELLED = asJobId('bert-20200203-0800-cccc');
const NEVER_STARTED = asJobId('bert-20200204-0100-dddd');

const OWN_MACHINE: PriceSnapshot = {
  machine: 'this machine',
  rate_per_hour_usd: 0.36,
  billing_increment_s: 1,
  minimum_billed_s: 0,
  price_source: 'backends.local',
  price_as_of: '2020-01-01',
};

/**
 * Four jobs: one billed ($1.95 for 665 s, quoted $1.80), one failed after 600 s on EC2's $3.60/h ($0.60, no quote),
 * one cancelled after 1800 s at $0.36/h ($0.18, quoted $0.50), one failed before it started (no price: $0); and one
 * submit the validator refused, estimated at $0.06.
 */
async function seed(ledger: Ledger): Promise<void> {
  await ledger.createJob(newJob(BILLED, '2020-01-01T10:00:00.000Z', { price: PRICE, quotedUsd: 1.8 }));
  await ledger.recordChange(BILLED, { at: '2020-01-01T10:01:00.000Z', source: 'provider', state: 'running' });
  await ledger.recordChange(BILLED, { at: '2020-01-01T10:12:05.000Z', source: 'provider', state: 'succeeded' });
  await ledger.recordBill(BILLED, sampleBill(BILLED, 1.95));

  await ledger.createJob(newJob(FAILED, '2020-01-02T09:00:00.000Z', { price: PRICE }));
  await ledger.recordChange(FAILED, { at: '2020-01-02T09:00:30.000Z', source: 'provider', state: 'running' });
  await ledger.recordChange(FAILED, { at: '2020-01-02T09:10:30.000Z', source: 'provider', state: 'failed' });

  await ledger.createJob({
    ...newJob(CANCELLED, '2020-02-03T08:00:00.000Z', { price: OWN_MACHINE, quotedUsd: 0.5 }),
    backend: 'local',
  });
  await ledger.recordChange(CANCELLED, { at: '2020-02-03T08:00:00.000Z', source: 'dlrun', state: 'running' });
  await ledger.recordChange(CANCELLED, { at: '2020-02-03T08:30:00.000Z', source: 'dlrun', state: 'cancelled' });

  await ledger.createJob(newJob(NEVER_STARTED, '2020-02-04T01:00:00.000Z'));
  await ledger.recordChange(NEVER_STARTED, { at: '2020-02-04T01:00:01.000Z', source: 'dlrun', state: 'failed' });

  await ledger.recordRefusedSubmit({
    at: '2020-01-05T00:00:00.000Z',
    jobName: 'typo',
    backend: 'ec2',
    jobFile: 'job.yaml',
    reason: 'job.yaml:1:7: not a valid name',
    estimatedFailedStartUsd: 0.06,
  });
}

async function report(home: string, args: readonly string[]): Promise<SpendReport> {
  const result = await runCli(['report', ...args, '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as SpendReport;
}

const group = (
  key: string,
  jobs: number,
  billed_hours: number,
  spend_usd: number,
  failed_spend_usd: number,
  quoted_usd: number,
  quote_error_pct: number | null,
) => ({ key, jobs, billed_hours, spend_usd, failed_spend_usd, quoted_usd, quote_error_pct });

const MNIST = [2, 0.3514, 2.55, 0.6, 1.8, 8.3] as const;
const BERT = [2, 0.5, 0.18, 0.18, 0.5, -64] as const;

test('report --json: exact figures per --by, totals, and the refused submits', async (t) => {
  const home = await seededHome(t, seed);
  const byBackend = await report(home, []);
  assert.deepEqual(byBackend, {
    since: null,
    until: null,
    by: 'backend',
    groups: [group('ec2', 3, 0.3514, 2.55, 0.6, 1.8, 8.3), group('local', 1, 0.5, 0.18, 0.18, 0.5, -64)],
    total_usd: 2.73,
    total_failed_usd: 0.78,
    total_quoted_usd: 2.3,
    total_billed_hours: 0.8514,
    // $2.13 spent by the quoted jobs against $2.30 quoted.
    total_quote_error_pct: -7.4,
    refused_before_launch: { jobs: 1, estimated_saved_usd: 0.06 },
  });
  assert.deepEqual((await report(home, ['--by', 'month'])).groups, [
    group('2020-01', ...MNIST),
    group('2020-02', ...BERT),
  ]);
  assert.deepEqual((await report(home, ['--by', 'name'])).groups, [group('bert', ...BERT), group('mnist', ...MNIST)]);
  assert.deepEqual((await report(home, ['--by', 'state'])).groups, [
    group('cancelled', 1, 0.5, 0.18, 0.18, 0.5, -64),
    group('failed', 2, 0.1667, 0.6, 0.6, 0, null),
    group('succeeded', 1, 0.1847, 1.95, 0, 1.8, 8.3),
  ]);
  assert.deepEqual(
    (await report(home, ['--by', 'day'])).groups.map((row) => [row.key, row.jobs, row.spend_usd]),
    [
      ['2020-01-01', 1, 1.95],
      ['2020-01-02', 1, 0.6],
      ['2020-02-03', 1, 0.18],
      ['2020-02-04', 1, 0],
    ],
  );
  // A date --until counts that whole day; --since a date from its start.
  const window = await report(home, ['--since', '2020-01-02', '--until', '2020-02-03']);
  assert.equal(window.since, '2020-01-02T00:00:00.000Z');
  assert.equal(window.until, '2020-02-04T00:00:00.000Z');
  assert.deepEqual(
    window.groups.map((row) => [row.key, row.jobs, row.spend_usd]),
    [
      ['ec2', 1, 0.6],
      ['local', 1, 0.18],
    ],
  );
  assert.deepEqual(window.refused_before_launch, { jobs: 1, estimated_saved_usd: 0.06 });
  const recent = await report(home, ['--since', '30d']);
  assert.deepEqual(recent.groups, []);
  assert.equal(recent.total_usd, 0);
  assert.deepEqual(recent.refused_before_launch, { jobs: 0, estimated_saved_usd: 0 });
});

test('report --csv: a header and one row per group', async (t) => {
  const home = await seededHome(t, seed);
  const result = await runCli(['report', '--csv'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(
    result.stdout,
    'key,jobs,billed_hours,spend_usd,failed_spend_usd,quoted_usd,quote_error_pct\n' +
      'ec2,3,0.3514,2.55,0.6,1.8,8.3\n' +
      'local,1,0.5,0.18,0.18,0.5,-64\n',
  );
});

test('report for people: table, totals, mistakes, refused submits; no chart off a terminal', async (t) => {
  const home = await seededHome(t, seed);
  const result = await runCli(['report', '--by', 'name'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^spend by name, from the first job, until now \(UTC\)\n/);
  assert.match(result.stdout, /\nNAME\s+JOBS\s+BILLED H\s+SPEND\s+FAILED\/CANCELLED\s+QUOTED\s+VS QUOTE\n/);
  assert.match(result.stdout, /\nmnist\s+2\s+0\.35\s+\$2\.55\s+\$0\.60\s+\$1\.80\s+\+8\.3%\n/);
  assert.match(result.stdout, /\ntotal\s+4\s+0\.85\s+\$2\.73\s+\$0\.78\s+\$2\.30\s+-7\.4%\n/);
  assert.match(result.stdout, /what mistakes cost .*: \$0\.78 of \$2\.73/);
  assert.match(result.stdout, /refused before launch: 1 submit the validator stopped, about \$0\.060 saved/);
  assert.doesNotMatch(result.stdout, /█/);
});

test('a submit the validator refuses is counted by report and never shown by status as a job', async (t) => {
  const home = await seededHome(t, seed);
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'job.yaml'), 'name: Bad Name\nrun: echo\n');
  const refused = await runCli(['submit', 'job.yaml'], { cwd: dir, home });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /job\.yaml:1:7 error invalid-value/);
  // A file that loads, refused by the checks that follow (the script's syntax), on the backend it names.
  const checked = path.join(dir, 'checked');
  mkdirSync(checked);
  writeFileSync(path.join(checked, 'job.yaml'), 'name: unclosed\nbackend: local\nrun: "if true; then echo hi"\n');
  const refusedByChecks = await runCli(['submit', path.join(checked, 'job.yaml')], { cwd: dir, home });
  assert.equal(refusedByChecks.code, 1);
  assert.match(refusedByChecks.stderr, /error shell-syntax/);
  const ledger = await openLedger(loadConfig({ DLRUN_HOME: home }, home));
  const rows = await ledger.listRefusedSubmits({ since: '2021-01-01T00:00:00.000Z' }).finally(() => ledger.close());
  assert.deepEqual(
    rows.map((row) => [row.jobName, row.backend, row.reason]),
    [
      [
        'Bad Name',
        'local',
        "job.yaml:1: name: 'Bad Name' may hold only lowercase letters, digits and '-'; " +
          'job ids, cloud tags and labels are built from it',
      ],
      ['unclosed', 'local', "job.yaml:3: this 'if' is never closed with 'fi'"],
    ],
  );
  assert.equal(rows[0]!.estimatedFailedStartUsd, null, 'a job that did not load cannot be priced');
  const after = await report(home, []);
  assert.equal(after.refused_before_launch.jobs, 3);
  assert.ok(after.refused_before_launch.estimated_saved_usd >= 0.06);
  assert.equal(after.total_usd, 2.73, 'a refused submit costs nothing');
  assert.equal((await report(home, ['--since', '1d'])).refused_before_launch.jobs, 2);
  const status = await runCli(['status', '--all', '--json'], { cwd: home, home });
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(
    (JSON.parse(status.stdout) as { jobs: { job_id: string }[] }).jobs.map((job) => job.job_id).sort(),
    [CANCELLED, FAILED, BILLED, NEVER_STARTED].sort(),
  );
});

test('report with no ledger is an empty report, and creates none', async (t) => {
  const home = tempDir(t);
  assert.deepEqual(await report(home, ['--by', 'month']), {
    since: null,
    until: null,
    by: 'month',
    groups: [],
    total_usd: 0,
    total_failed_usd: 0,
    total_quoted_usd: 0,
    total_billed_hours: 0,
    total_quote_error_pct: null,
    refused_before_launch: { jobs: 0, estimated_saved_usd: 0 },
  });
  const csv = await runCli(['report', '--csv'], { cwd: home, home });
  assert.equal(csv.stdout, 'key,jobs,billed_hours,spend_usd,failed_spend_usd,quoted_usd,quote_error_pct\n');
  const text = await runCli(['report'], { cwd: home, home });
  assert.equal(text.code, 0);
  assert.match(text.stderr, /no jobs in this period/);
  assert.deepEqual(readdirSync(home), [], 'no ledger');
});

test('report refuses a bad --by, --since or --until, and --json with --csv', async (t) => {
  const home = tempDir(t);
  for (const [args, message] of [
    [['--by', 'week'], /--by must be one of backend, day, month, name, state, owner, not 'week'/],
    [['--since', 'yesterday'], /--since takes a date .* not 'yesterday'/],
    [['--since', '2 days'], /did you mean --since 2d\?/],
    [['--until', '30d'], /--until takes a date .* not '30d'/],
    [['--since', '2026-02-30'], /--since takes a date/],
    [['--since', '2026-12-02', '--until', '2026-12-01'], /--since .* must come before --until/],
    [['--json', '--csv'], /--json and --csv cannot be given together/],
  ] as const) {
    const result = await runCli(['report', ...args], { cwd: home, home });
    assert.notEqual(result.code, 0, args.join(' '));
    assert.match(result.stderr, message);
  }
  assert.deepEqual(readdirSync(home), []);
});

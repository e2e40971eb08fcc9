import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { asJobId } from '../../src/backend/job-id.js';
import { loadConfig } from '../../src/config.js';
import type { BreakEven, Usage } from '../../src/cost/break-even.js';
import type { Quote } from '../../src/cost/quote.js';
import { openLedger } from '../../src/ledger/open-ledger.js';
import { assertNoStack } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';

interface QuoteOutput {
  readonly quotes: Quote[];
  readonly break_even?: BreakEven[];
  readonly break_even_usage?: Usage;
}

/** $3600 over 3 years is $100 a month; 500 W at $0.20/kWh is $0.10 an hour. */
const OWNED_JOB = [
  'name: owned',
  'run: "true"',
  'limits:',
  '  max_runtime: 2h',
  'backends:',
  '  local:',
  '    purchase_price: 3600',
  '    lifetime_years: 3',
  '    power_watts: 500',
  '    kwh_price: 0.2',
  '',
].join('\n');
const FIXED_MONTHLY = 100;
const ELECTRICITY = 0.1;

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** The figures break-even.ts must give for a cloud at `rate`, at `usage` hours a month. */
function expected(rate: number, usage: number): Pick<BreakEven, 'hours_per_month' | 'months_to_pay_off'> {
  const saving = rate - ELECTRICITY;
  if (saving <= 0) return { hours_per_month: null, months_to_pay_off: null };
  return {
    hours_per_month: round2(FIXED_MONTHLY / saving),
    months_to_pay_off: usage > 0 ? round2(3600 / (usage * saving)) : null,
  };
}

function checkBreakEven(output: QuoteOutput, usage: number): void {
  const clouds = output.quotes.filter((entry) => entry.backend !== 'local');
  assert.ok(clouds.length >= 2, 'several clouds are quoted');
  assert.deepEqual(
    output.break_even!.map((entry) => entry.backend),
    clouds.map((entry) => entry.backend),
    'one entry per cloud quoted, in the order of the quotes',
  );
  for (const entry of output.break_even!) {
    const cloud = clouds.find((quoted) => quoted.backend === entry.backend)!;
    assert.equal(entry.rate_per_hour_usd, cloud.rate_per_hour_usd);
    const want = expected(cloud.rate_per_hour_usd, usage);
    assert.equal(entry.hours_per_month, want.hours_per_month, entry.backend);
    assert.equal(entry.months_to_pay_off, want.months_to_pay_off, entry.backend);
    assert.equal(entry.reason === null, want.months_to_pay_off !== null, `${entry.backend}: a reason for a null`);
  }
}

test('with a purchase price, quote gives the break-even against each cloud quoted, by the formulas', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), OWNED_JOB);
  const result = await runCli(['quote', jobPath, '--hours-per-month', '100', '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  const output = JSON.parse(result.stdout) as QuoteOutput;
  assert.deepEqual(output.break_even_usage, { hours_per_month: 100, source: '--hours-per-month' });
  checkBreakEven(output, 100);
  // The CPU job's clouds fall either side of the electricity: some never pay, some pay off in months.
  assert.ok(
    output.break_even!.some((entry) => entry.hours_per_month === null),
    result.stdout,
  );
  assert.ok(
    output.break_even!.some((entry) => entry.months_to_pay_off !== null),
    result.stdout,
  );

  const text = await runCli(['quote', jobPath, '--hours-per-month', '100'], { cwd: home, home });
  assert.equal(text.code, 0, text.stderr);
  assert.ok(
    text.stdout.includes(
      '\nbuy or rent: owning the local machine costs $3600 over 3 years ($100.00 a month) plus $0.10/h of ' +
        'electricity; usage: 100 h/month (--hours-per-month)\n',
    ),
    text.stdout,
  );
  const section = text.stdout.slice(text.stdout.indexOf('buy or rent:')).trimEnd().split('\n').slice(1);
  assert.deepEqual(
    section.map((line) => line.match(/^ {2}(\S+): /)?.[1]),
    output.break_even!.map((entry) => entry.backend),
    'one line per cloud',
  );
  for (const entry of output.break_even!) {
    const line = section.find((candidate) => candidate.startsWith(`  ${entry.backend}: `))!;
    if (entry.hours_per_month === null) assert.match(line, /owning never pays/);
    else assert.ok(line.includes(`above ${entry.hours_per_month} h/month`), line);
    if (entry.months_to_pay_off !== null) assert.ok(line.includes(`${entry.months_to_pay_off} months`), line);
  }
  assert.equal(existsSync(path.join(home, 'ledger.db')), false, 'a quote never creates a ledger');

  const noUsage = await runCli(['quote', jobPath, '--json'], { cwd: home, home });
  const unknown = JSON.parse(noUsage.stdout) as QuoteOutput;
  assert.equal(unknown.break_even_usage!.hours_per_month, null);
  for (const entry of unknown.break_even!) {
    assert.equal(entry.months_to_pay_off, null);
    assert.ok(entry.reason, `${entry.backend}: why there are no months`);
  }
});

test('without a purchase price there is no break-even', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: rented\nrun: "true"\nbackends:\n  local:\n    hourly_rate: 0.5\n');
  const result = await runCli(['quote', jobPath, '--hours-per-month', '100', '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  const output = JSON.parse(result.stdout) as QuoteOutput;
  assert.equal('break_even' in output, false);
  const text = await runCli(['quote', jobPath, '--hours-per-month', '100'], { cwd: home, home });
  assert.doesNotMatch(text.stdout, /buy or rent/);
});

test('--hours-per-month must be a number of hours, 0 or more: else a usage error', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), OWNED_JOB);
  for (const bad of ['-3', 'lots', '']) {
    const result = await runCli(['quote', jobPath, `--hours-per-month=${bad}`], { cwd: home, home });
    assert.equal(result.code, 2, `${bad}: ${result.stderr}`);
    assert.match(result.stderr, /--hours-per-month must be a number of hours, 0 or more/);
    assertNoStack(result);
  }
});

test("without --hours-per-month, the usage is this ledger's last 90 days, scaled to a month", async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), OWNED_JOB);
  const ledger = await openLedger(loadConfig({ DLRUN_HOME: home }, home));
  const day = 86_400_000;
  try {
    // 20 h ending 10 days ago and 10 h ending 80 days ago count; 100 h ending 200 days ago does not.
    await recordEndedJob(ledger, 'a', Date.now() - 10 * day, 20 * 3600);
    await recordEndedJob(ledger, 'b', Date.now() - 80 * day, 10 * 3600);
    await recordEndedJob(ledger, 'c', Date.now() - 200 * day, 100 * 3600);
  } finally {
    await ledger.close();
  }
  const result = await runCli(['quote', jobPath, '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  const output = JSON.parse(result.stdout) as QuoteOutput;
  // 30 billed hours in 90 days: 10 hours a month.
  assert.equal(output.break_even_usage!.hours_per_month, 10);
  assert.match(output.break_even_usage!.source, /last 90 days: 30 billed hours of 2 ended jobs/);
  checkBreakEven(output, 10);

  const flagged = JSON.parse(
    (await runCli(['quote', jobPath, '--hours-per-month', '0', '--json'], { cwd: home, home })).stdout,
  ) as QuoteOutput;
  assert.equal(flagged.break_even_usage!.hours_per_month, 0, '--hours-per-month wins over the ledger');
  checkBreakEven(flagged, 0);
});

/** A job on this machine, billed by the second, that ran `seconds` and ended at `endMs`. */
async function recordEndedJob(
  ledger: Awaited<ReturnType<typeof openLedger>>,
  id: string,
  endMs: number,
  seconds: number,
): Promise<void> {
  const jobId = asJobId(`usage-${id}-20260101-0000-abcd`);
  const at = (offset: number): string => new Date(endMs - seconds * 1000 + offset * 1000).toISOString();
  await ledger.createJob({
    jobId,
    name: `usage-${id}`,
    backend: 'local',
    jobFile: '/tmp/job.yaml',
    spec: { name: `usage-${id}` },
    submittedAt: at(0),
    price: {
      machine: 'this machine',
      rate_per_hour_usd: 0.2,
      billing_increment_s: 1,
      minimum_billed_s: 0,
      price_source: 'test',
      price_as_of: '2026-01-01',
    },
  });
  await ledger.recordChange(jobId, { at: at(0), source: 'provider', state: 'running', phase: 'run' });
  await ledger.recordChange(jobId, { at: at(seconds), source: 'provider', state: 'succeeded' });
}

import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { Bill } from '../../src/cost/bill.js';
import type { Quote } from '../../src/cost/quote.js';
import { assertNoStack, ended, submitAndWait } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';

const HOURS_PER_YEAR = 365.25 * 24;
const round = (amount: number): number => Math.round(amount * 10_000) / 10_000;

/** The three ways a job file can price this machine, with the rate and the source each must give. */
const PRICINGS = [
  {
    label: 'hourly_rate',
    local: '    hourly_rate: 0.35\n',
    rate: 0.35,
    source: 'backends.local.hourly_rate: $0.35/h',
  },
  {
    label: 'purchase price over the lifetime, plus power',
    local: '    purchase_price: 3500\n    lifetime_years: 3\n    power_watts: 450\n    kwh_price: 0.15\n',
    rate: round(3500 / (3 * HOURS_PER_YEAR) + (450 / 1000) * 0.15),
    source: 'backends.local: purchase $3500 over 3 years = $0.1331/h + 450 W at $0.15/kWh = $0.0675/h',
  },
  {
    label: 'purchase price alone',
    local: '    purchase_price: 2000\n    lifetime_years: 4\n',
    rate: round(2000 / (4 * HOURS_PER_YEAR)),
    source: 'backends.local: purchase $2000 over 4 years = $0.057/h',
  },
  {
    label: 'nothing',
    local: undefined,
    rate: 0,
    source:
      'no backends.local figures in the job file, so this machine is counted as free; ' +
      'set hourly_rate (or purchase_price and lifetime_years) to count what it costs you',
  },
] as const;

function jobText(name: string, local: string | undefined, extra = ''): string {
  return `name: ${name}\nrun: "true"\n${extra}${local ? `backends:\n  local:\n${local}` : ''}`;
}

const QUOTE_FIELDS = [
  'backend',
  'machine',
  'rate_per_hour_usd',
  'billing_increment_s',
  'minimum_billed_s',
  'runtime_s',
  'billed_s',
  'total_usd',
  'price_source',
  'price_as_of',
];

for (const pricing of PRICINGS) {
  test(`quote and bill price this machine from ${pricing.label}`, async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(tempDir(t), jobText('owned', pricing.local, 'limits:\n  max_runtime: 3h\n'));

    const quoted = await runCli(['quote', jobPath, '--json'], { cwd: home, home });
    assert.equal(quoted.code, 0, quoted.stderr);
    const { quotes } = JSON.parse(quoted.stdout) as { quotes: Quote[] };
    assert.ok(quotes.length > 1, 'without --backend, every backend that can run the job is quoted');
    const local = quotes.find((entry) => entry.backend === 'local');
    for (const field of QUOTE_FIELDS) assert.ok(field in local!, `quote has ${field}`);
    assert.equal(local!.backend, 'local');
    assert.equal(local!.machine, 'this machine');
    assert.equal(local!.rate_per_hour_usd, pricing.rate);
    assert.equal(local!.price_source, pricing.source);
    assert.equal(local!.billing_increment_s, 1);
    assert.equal(local!.minimum_billed_s, 0);
    assert.equal(local!.runtime_s, 3 * 3600, 'without --runtime: the time the limits allow');
    assert.equal(local!.total_usd, round(pricing.rate * 3));
    assert.match(local!.price_as_of, /^\d{4}-\d{2}-\d{2}$/);

    const twoHours = await runCli(['quote', jobPath, '--runtime', '2h', '--json'], { cwd: home, home });
    const priced = (JSON.parse(twoHours.stdout) as { quotes: Quote[] }).quotes.find(
      (entry) => entry.backend === 'local',
    );
    assert.equal(priced!.runtime_s, 7200);
    assert.equal(priced!.billed_s, 7200);
    assert.equal(priced!.total_usd, round(pricing.rate * 2));

    const text = await runCli(['quote', jobPath, '--runtime', '2h'], { cwd: home, home });
    assert.equal(text.code, 0);
    assert.match(
      text.stdout,
      new RegExp(
        /^BACKEND +MACHINE +RATE +BILLING +MINIMUM +STARTUP +FAILED START +RUNTIME +TOTAL +PRICE AS OF\n/.source +
          /(.*\n)*local +this machine +\$[0-9.]+\/h +per second +0s +0s \$0\.00 +\$0\.00 +2h00m /.source,
      ),
    );
    assert.ok(text.stderr.includes(`local: ${pricing.source}`), text.stderr);

    const submitted = await submitAndWait(t, jobPath, home);
    assert.equal(submitted.code, 0, submitted.stderr);
    const { jobId } = submitted;
    await ended(jobId, home);
    const billed = await runCli(['bill', jobId, '--json'], { cwd: home, home });
    assert.equal(billed.code, 0, billed.stderr);
    const bill = JSON.parse(billed.stdout) as Bill;
    assert.equal(bill.state, 'succeeded');
    assert.equal(bill.rate_per_hour_usd, pricing.rate);
    assert.equal(bill.price_source, pricing.source, 'the bill shows how the rate was computed');
    assert.equal(bill.total_usd, round((bill.billed_s * pricing.rate) / 3600));
    assert.equal(bill.quoted_usd, round(pricing.rate * 3), 'the quote at submit is kept beside the bill');
    assert.deepEqual(
      bill.line_items.map((item) => [item.item, item.unit, item.unit_price_usd]),
      [['this machine time', 'hour', pricing.rate]],
    );
    assert.equal(bill.provider_usd, null, 'nobody bills an owned machine');
    const rendered = await runCli(['bill', jobId], { cwd: home, home });
    assert.ok(rendered.stdout.includes(`price: ${pricing.source}, as of`), rendered.stdout);
    assertNoStack(rendered);
  });
}

test(
  'quote --json follows JOB-SPEC section 3, one entry per backend that can run the job; ' +
    'backends without prices say why',
  async (t) => {
    const home = tempDir(t);
    // A core type no source prices: the backend has price rules, but not for this job.
    const { jobPath } = writeJob(
      tempDir(t),
      jobText(
        'two-backends',
        '    hourly_rate: 1\n  rescale:\n    core_type: emerald\n    cores: 16\n',
        'backend: rescale\n',
      ),
    );
    const result = await runCli(['quote', jobPath, '--json', '--runtime', '30m'], { cwd: home, home });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(
      result.stdout.endsWith('}\n') && result.stdout.indexOf('\n') === result.stdout.length - 1,
      'one JSON document',
    );
    const parsed = JSON.parse(result.stdout) as { quotes: Quote[]; unavailable: { backend: string; reason: string }[] };
    assert.deepEqual(
      parsed.quotes.map((entry) => entry.backend).sort(),
      ['ec2', 'local', 'vertex'],
      'every backend that can run the job',
    );
    assert.equal(parsed.quotes.find((entry) => entry.backend === 'local')!.total_usd, 0.5);
    assert.deepEqual(
      parsed.unavailable.map((entry) => entry.backend),
      ['rescale'],
    );
    assert.match(parsed.unavailable[0]!.reason, /^dlrun has no price for Rescale core type emerald: /);

    const onlyRescale = await runCli(['quote', jobPath, '--backend', 'rescale'], { cwd: home, home });
    assert.equal(onlyRescale.code, 1, 'no quote at all is a failure');
    assert.match(onlyRescale.stderr, /rescale: no quote: dlrun has no price for Rescale core type emerald/);
    assertNoStack(onlyRescale);
    const badRuntime = await runCli(['quote', jobPath, '--runtime', '2 hours'], { cwd: home, home });
    assert.equal(badRuntime.code, 2);
    assert.match(badRuntime.stderr, /--runtime /);
  },
);

test('an unlimited job on a priced machine is quoted for an hour, and says so', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(
    tempDir(t),
    jobText('unlimited', '    hourly_rate: 2\n', 'limits:\n  max_runtime: unlimited\n'),
  );
  const result = await runCli(['quote', jobPath, '--json'], { cwd: home, home });
  const local = (JSON.parse(result.stdout) as { quotes: Quote[] }).quotes.find((entry) => entry.backend === 'local');
  assert.equal(local!.runtime_s, 3600);
  assert.equal(local!.total_usd, 2);
  const text = await runCli(['quote', jobPath], { cwd: home, home });
  assert.match(text.stderr, /unlimited jobs are priced for 1h/);
});

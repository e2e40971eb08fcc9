import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { Bill } from '../../src/cost/bill.js';
import type { SpendReport } from '../../src/core/spend-report.js';
import { writeJob } from '../support/job-files.js';
import { ended, reachedState, submitAndWait, submitted } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

/** Rates high enough that a few seconds cost cents, and unlike each other, so a job priced at another's rate shows. */
const job = (name: string, run: string, maxRuntime: string, rate: number): string =>
  `name: ${name}\nrun: ${JSON.stringify(run)}\nlimits:\n  max_runtime: ${maxRuntime}\n` +
  `backends:\n  local:\n    hourly_rate: ${rate}\n`;

const usd = (amount: number): number => Math.round(amount * 10_000) / 10_000;
const sum = (bills: readonly Bill[], pick: (bill: Bill) => number): number =>
  bills.reduce((total, bill) => total + pick(bill), 0);
const hours = (bills: readonly Bill[]): number =>
  Math.round((sum(bills, (bill) => bill.billed_s) / 3600) * 10_000) / 10_000;
const errorPct = (bills: readonly Bill[]): number => {
  const quoted = sum(bills, (bill) => bill.quoted_usd ?? 0);
  return Math.round(((sum(bills, (bill) => bill.total_usd) - quoted) / quoted) * 1000) / 10;
};

async function billOf(jobId: string, home: string): Promise<Bill> {
  const result = await runCli(['bill', jobId, '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Bill;
}

async function report(home: string, args: readonly string[]): Promise<SpendReport> {
  const result = await runCli(['report', ...args, '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as SpendReport;
}

test(
  'report adds up the bills of real local jobs: spend, billed hours, what the failed and cancelled ones cost, ' +
    'and the quotes beside them',
  async (t) => {
    const home = tempDir(t);
    const succeeded = await submitAndWait(t, writeJob(tempDir(t), job('fits', 'sleep 2', '1m', 36)).jobPath, home);
    assert.equal(succeeded.code, 0, succeeded.stderr);
    const failing = writeJob(tempDir(t), job('breaks', 'sleep 1; exit 3', '2m', 18)).jobPath;
    const failed = await submitAndWait(t, failing, home);
    const cancelledId = await submitted(t, writeJob(tempDir(t), job('stopped', 'sleep 120', '5m', 7.2)).jobPath, home);
    await reachedState(cancelledId, home, 'running');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal((await runCli(['cancel', cancelledId], { cwd: home, home })).code, 0);
    const states = await Promise.all([succeeded.jobId, failed.jobId, cancelledId].map((id) => ended(id, home)));
    assert.deepEqual(
      states.map((record) => record.state),
      ['succeeded', 'failed', 'cancelled'],
    );

    const [fits, breaks, stopped] = await Promise.all(
      [succeeded.jobId, failed.jobId, cancelledId].map((id) => billOf(id, home)),
    );
    const bills = [fits!, breaks!, stopped!];
    // Each bill is real money and time: none is a zero that any arithmetic would match.
    for (const bill of bills) {
      assert.ok(bill.billed_s >= 1 && bill.total_usd > 0, JSON.stringify(bill));
      assert.ok(bill.quoted_usd !== null && bill.quoted_usd > 0, 'submit recorded a quote');
    }
    assert.deepEqual(
      bills.map((bill) => bill.quoted_usd),
      [0.6, 0.6, 0.6],
      'each quote is its max_runtime at its own rate: 1m at $36/h, 2m at $18/h, 5m at $7.20/h',
    );

    const byBackend = await report(home, []);
    assert.deepEqual(byBackend.groups, [
      {
        key: 'local',
        jobs: 3,
        billed_hours: hours(bills),
        spend_usd: usd(sum(bills, (bill) => bill.total_usd)),
        failed_spend_usd: usd(breaks!.total_usd + stopped!.total_usd),
        quoted_usd: 1.8,
        quote_error_pct: errorPct(bills),
      },
    ]);
    assert.equal(byBackend.total_usd, usd(sum(bills, (bill) => bill.total_usd)));
    assert.equal(byBackend.total_failed_usd, usd(breaks!.total_usd + stopped!.total_usd));
    assert.equal(byBackend.total_billed_hours, hours(bills));
    assert.equal(byBackend.total_quoted_usd, 1.8);
    assert.equal(byBackend.total_quote_error_pct, errorPct(bills));
    assert.deepEqual(byBackend.refused_before_launch, { jobs: 0, estimated_saved_usd: 0 });

    // One group per job by state and by name: each group's figures are that job's own bill.
    const one = (key: string, bill: Bill, failedToo: boolean) => ({
      key,
      jobs: 1,
      billed_hours: hours([bill]),
      spend_usd: bill.total_usd,
      failed_spend_usd: failedToo ? bill.total_usd : 0,
      quoted_usd: bill.quoted_usd,
      quote_error_pct: errorPct([bill]),
    });
    assert.deepEqual((await report(home, ['--by', 'state'])).groups, [
      one('cancelled', stopped!, true),
      one('failed', breaks!, true),
      one('succeeded', fits!, false),
    ]);
    assert.deepEqual((await report(home, ['--by', 'name'])).groups, [
      one('breaks', breaks!, true),
      one('fits', fits!, false),
      one('stopped', stopped!, true),
    ]);

    const csv = await runCli(['report', '--csv'], { cwd: home, home });
    assert.equal(csv.code, 0, csv.stderr);
    const group = byBackend.groups[0]!;
    assert.equal(
      csv.stdout.trimEnd().split('\n')[1],
      ['local', 3, group.billed_hours, group.spend_usd, group.failed_spend_usd, 1.8, group.quote_error_pct].join(','),
    );
  },
);

import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { ReportGroup } from '../../src/core/spend-report.js';
import { spendChart } from '../../src/cli/render-report.js';

const row = (key: string, spend: number, failed: number): ReportGroup => ({
  key,
  jobs: 1,
  billed_hours: 1,
  spend_usd: spend,
  failed_spend_usd: failed,
  quoted_usd: 0,
  quote_error_pct: null,
});

test('the chart: one bar per group against the largest, the part spent on mistakes drawn apart', () => {
  const chart = spendChart([row('ec2', 10, 2.5), row('local', 5, 0), row('other', 0, 0)], false).split('\n');
  assert.equal(chart[0], `ec2    ${'█'.repeat(30)}${'▒'.repeat(10)} $10.00`);
  assert.equal(chart[1], `local  ${'█'.repeat(20)} $5.00`);
  assert.equal(chart[2], 'other  $0.00');
  assert.match(chart[3]!, /█ spend {2}▒ of it on jobs that went wrong/);
});

test('the chart in colour: bars blue, mistakes red', () => {
  const [line] = spendChart([row('ec2', 4, 1)], true).split('\n');
  assert.equal(line, `ec2  \u001b[34m${'█'.repeat(30)}\u001b[39m\u001b[31m${'▒'.repeat(10)}\u001b[39m $4.00`);
});

import { asJobId } from '../../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { ec2JobCharges } from '../../../adapters/ec2/ec2-job-bill.js';
import type { Ec2PriceBasis } from '../../../adapters/ec2/ec2-price-basis.js';
import type { StoredJob } from '../../../src/ledger/ledger.js';

/**
 * The glue between the ledger and EC2's billing rules (ec2-billing.test.ts covers the rules themselves): which
 * instances and volumes a stored job gets lines for, and how spot is billed without the spot price history.
 */

const STARTED = '2026-04-10T12:00:00.000Z';
const at = (seconds: number): string => new Date(Date.parse(STARTED) + seconds * 1000).toISOString();
const NOW = new Date(at(10 * 3600));
const round = (usd: number): number => Math.round(usd * 10_000) / 10_000;

const BASIS: Ec2PriceBasis = {
  region: 'us-east-1',
  instance_type: 'g4dn.xlarge',
  nodes: 2,
  on_demand_usd_per_hour: 0.526,
  root_volume: { volume_type: 'gp3', size_gib: 100, usd_per_gb_month: 0.08 },
};

function job(overrides: Partial<StoredJob>): StoredJob {
  return {
    jobId: asJobId('train-20260410-1200-a7f3'),
    name: 'train',
    backend: 'ec2',
    state: 'succeeded',
    phase: null,
    providerState: 'terminated',
    externalId: 'i-0a,i-0b',
    exitCode: 0,
    jobFile: 'job.yaml',
    finalPhases: null,
    endReason: null,
    providerDetails: null,
    owner: null,
    host: null,
    ledgerId: null,
    price: null,
    quotedUsd: null,
    billedUsd: null,
    submittedAt: STARTED,
    startedAt: STARTED,
    endedAt: at(1800),
    ...overrides,
  };
}

test('a line per node, named by its instance id in rank order, then a line per root volume', () => {
  const charges = ec2JobCharges(job({}), BASIS, NOW)!;
  assert.deepEqual(
    charges.line_items.map((item) => item.item),
    [
      'i-0a (g4dn.xlarge, on-demand)',
      'i-0b (g4dn.xlarge, on-demand)',
      'root volume (gp3, 100 GiB, root of i-0a)',
      'root volume (gp3, 100 GiB, root of i-0b)',
    ],
  );
  const volumeUsd = round((0.08 * 100 * 1800) / (30 * 86_400));
  assert.deepEqual(
    charges.line_items.map((item) => item.total_usd),
    [round(0.5 * 0.526), round(0.5 * 0.526), volumeUsd, volumeUsd],
  );
  assert.equal(charges.billed_s, 2 * 1800);
  assert.equal(charges.total_usd, round(2 * round(0.5 * 0.526) + 2 * volumeUsd));
  assert.equal(charges.note, undefined);
});

test('a job that ran seconds pays each instance and volume the 60 s minimum', () => {
  const charges = ec2JobCharges(job({ endedAt: at(5) }), { ...BASIS, nodes: 1 }, NOW)!;
  assert.equal(charges.billed_s, 60);
  assert.equal(charges.line_items[0]!.total_usd, round((60 * 0.526) / 3600));
  assert.equal(charges.line_items[1]!.quantity, Math.round(((100 * 60) / (30 * 86_400)) * 1e6) / 1e6);
});

test('no volume lines when the root volume was left to the AMI; a node without a known id is named by its rank', () => {
  const charges = ec2JobCharges(job({ externalId: 'i-0a' }), { ...BASIS, root_volume: null }, NOW)!;
  assert.deepEqual(
    charges.line_items.map((item) => item.item),
    ['i-0a (g4dn.xlarge, on-demand)', 'node 1 (g4dn.xlarge, on-demand)'],
  );
});

test('a running job is billed up to now; a job that never left the queue has no charges', () => {
  const running = ec2JobCharges(
    job({ state: 'running', endedAt: null }),
    { ...BASIS, nodes: 1, root_volume: null },
    NOW,
  )!;
  assert.equal(running.billed_s, 10 * 3600);
  assert.equal(ec2JobCharges(job({ startedAt: null, endedAt: null, state: 'provisioning' }), BASIS, NOW), undefined);
});

test('spot taken back by EC2 within the first hour: the instances are free, their volumes are not', () => {
  const charges = ec2JobCharges(
    job({ state: 'preempted', providerDetails: { spot: true }, endedAt: at(50 * 60) }),
    BASIS,
    NOW,
  )!;
  const [first, second, ...volumes] = charges.line_items;
  assert.match(
    first!.item,
    new RegExp(
      /^i-0a \(g4dn\.xlarge, spot\): interrupted by EC2 \(Server\.SpotInstanceTermination\) /.source +
        /within its first hour, not charged$/.source,
    ),
  );
  assert.equal(first!.total_usd, 0);
  assert.equal(second!.total_usd, 0);
  assert.ok(volumes.every((item) => item.total_usd > 0));
  assert.equal(charges.total_usd, round(volumes.reduce((sum, item) => sum + item.total_usd, 0)));
  assert.equal(charges.note, undefined, "nothing assumed: EC2's own rule");
});

test('spot otherwise is billed at the on-demand rate, the most it can cost, and the bill says so', () => {
  for (const ended of [
    job({ providerDetails: { spot: true } }),
    job({ state: 'preempted', providerDetails: { spot: true }, endedAt: at(61 * 60) }),
  ]) {
    const charges = ec2JobCharges(ended, { ...BASIS, nodes: 1, root_volume: null }, NOW)!;
    const seconds = (Date.parse(ended.endedAt!) - Date.parse(STARTED)) / 1000;
    assert.match(charges.line_items[0]!.item, /^i-0a \(g4dn\.xlarge, /);
    assert.equal(charges.total_usd, round((seconds * 0.526) / 3600), ended.state);
    assert.match(charges.note ?? '', /spot billed at the on-demand rate.*reconcile/);
  }
});

/** What the EC2 adapter reads from AWS once the job ended (adapters/ec2/ec2-billing-facts.ts). */
function facts(
  instances: readonly { id: string; end: number; lifecycle?: 'spot' | 'on-demand'; reason?: string }[],
  spotRows: { price: number; at: number }[] = [],
): unknown {
  return {
    kind: 'ec2-billing-facts',
    instances: instances.map((instance) => ({
      instance_id: instance.id,
      instance_type: 'g4dn.xlarge',
      lifecycle: instance.lifecycle ?? 'on-demand',
      availability_zone: 'us-east-1a',
      running: [{ start: STARTED, end: at(instance.end) }],
      ...(instance.reason ? { state_reason_code: instance.reason } : {}),
    })),
    spot_price_history: spotRows.map((row) => ({
      availability_zone: 'us-east-1a',
      instance_type: 'g4dn.xlarge',
      spot_price_usd: row.price,
      timestamp: at(row.at),
    })),
  };
}

test("with AWS's facts, each instance pays its own running time and its root volume lives as long as it", () => {
  const charges = ec2JobCharges(
    job({}),
    BASIS,
    NOW,
    facts([
      { id: 'i-0a', end: 1800 },
      { id: 'i-0b', end: 900 },
    ]),
  )!;
  assert.deepEqual(
    charges.line_items.slice(0, 2).map((item) => [item.item, item.quantity]),
    [
      ['i-0a (g4dn.xlarge, on-demand)', 0.5],
      ['i-0b (g4dn.xlarge, on-demand)', 0.25],
    ],
  );
  assert.equal(charges.billed_s, 1800 + 900);
  assert.ok(
    charges.line_items[3]!.total_usd < charges.line_items[2]!.total_usd,
    "the shorter-lived node's volume costs less",
  );
  assert.equal(charges.note, undefined);
});

test(
  'with the spot price history, spot is billed at the prices in force over the run, ' +
    'and the bill says where they came from',
  () => {
    // 0.20 $/h for the first quarter hour, then 0.16 $/h: 0.05 + 0.04 = 0.09 for 30 minutes.
    const history = [
      { price: 0.2, at: -3600 },
      { price: 0.16, at: 900 },
    ];
    const charges = ec2JobCharges(
      job({ providerDetails: { spot: true } }),
      { ...BASIS, nodes: 1, root_volume: null },
      NOW,
      facts([{ id: 'i-0a', end: 1800, lifecycle: 'spot' }], history),
    )!;
    assert.deepEqual(
      charges.line_items.map((item) => [item.item, item.total_usd]),
      [['i-0a (g4dn.xlarge, spot)', 0.09]],
    );
    assert.match(charges.note ?? '', /spot price history/);
  },
);

test('spot with no price row at its start falls back to the on-demand rate, and says so', () => {
  const charges = ec2JobCharges(
    job({ providerDetails: { spot: true } }),
    { ...BASIS, nodes: 1, root_volume: null },
    NOW,
    facts([{ id: 'i-0a', end: 1800, lifecycle: 'spot' }], [{ price: 0.2, at: 60 }]),
  )!;
  assert.equal(charges.line_items[0]!.total_usd, round(0.5 * 0.526));
  assert.match(charges.note ?? '', /on-demand rate, the most it can cost/);
});

test('with the facts, a spot instance EC2 interrupted within its first hour is free whatever the history says', () => {
  const charges = ec2JobCharges(
    job({ state: 'preempted', providerDetails: { spot: true } }),
    { ...BASIS, nodes: 1, root_volume: null },
    NOW,
    facts(
      [{ id: 'i-0a', end: 1800, lifecycle: 'spot', reason: 'Server.SpotInstanceTermination' }],
      [{ price: 0.2, at: -60 }],
    ),
  )!;
  assert.equal(charges.total_usd, 0);
  assert.match(charges.line_items[0]!.item, /not charged/);
});

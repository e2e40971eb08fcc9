import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  billedIntervalSeconds,
  ec2Bill,
  ec2RatePerHour,
  instanceLineItem,
  isFreeSpotInterruption,
  volumeLineItem,
  type Ec2InstanceUsage,
  type Ec2LaunchPrices,
  type Ec2VolumeUsage,
} from '../../../adapters/ec2/ec2-billing.js';
import type { SpotPriceRow } from '../../../adapters/ec2/ec2-spot-price.js';
import { monthsSpanned, secondsInMonth } from '../../../src/cost/month-proration.js';

const PRICES: Ec2LaunchPrices = {
  on_demand_usd_per_hour: { 'g4dn.xlarge': 0.526, 'p4d.24xlarge': 21.957642 },
  volume_usd_per_gb_month: { gp3: 0.08, gp2: 0.1 },
};
/** 2026-04-10T12:00:00Z: April has 30 days. */
const T0 = Date.parse('2026-04-10T12:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const NOW = new Date(T0 + 10 * 3600 * 1000);
const round = (usd: number): number => Math.round(usd * 10_000) / 10_000;

function instance(
  intervals: readonly (readonly [number, number | undefined])[],
  extra: Partial<Ec2InstanceUsage> = {},
): Ec2InstanceUsage {
  return {
    instance_id: 'i-0123456789abcdef0',
    instance_type: 'g4dn.xlarge',
    lifecycle: 'on-demand',
    running: intervals.map(([start, end]) => ({ start: at(start), ...(end === undefined ? {} : { end: at(end) }) })),
    ...extra,
  };
}

function spot(
  seconds: number,
  stateReason: string,
  rows: readonly SpotPriceRow[] = [],
): { usage: Ec2InstanceUsage; rows: readonly SpotPriceRow[] } {
  return {
    usage: instance([[0, seconds]], {
      lifecycle: 'spot',
      availability_zone: 'us-east-1a',
      state_reason_code: stateReason,
    }),
    rows,
  };
}

const FLAT_SPOT: SpotPriceRow[] = [
  { availability_zone: 'us-east-1a', instance_type: 'g4dn.xlarge', spot_price_usd: 0.2, timestamp: at(-7200) },
];

describe('EC2 instance time', () => {
  test('a stretch in running shorter than 60 s is billed 60 s', () => {
    assert.equal(billedIntervalSeconds({ start: at(0), end: at(10) }, NOW), 60);
    const item = instanceLineItem(instance([[0, 10]]), PRICES, [], NOW);
    assert.equal(item.total_usd, round((60 * 0.526) / 3600));
    assert.equal(item.unit, 'hour');
    assert.equal(item.unit_price_usd, 0.526);
    assert.equal(item.quantity, Math.round((60 / 3600) * 1e6) / 1e6);
  });

  test('every transition into running starts a new 60 s minimum: two short stretches bill 120 s', () => {
    const bill = ec2Bill(
      {
        instances: [
          instance([
            [0, 10],
            [100, 130],
          ]),
        ],
        volumes: [],
        prices: PRICES,
      },
      NOW,
    );
    assert.equal(bill.billed_instance_s, 120);
    assert.equal(bill.total_usd, round((120 * 0.526) / 3600));
  });

  test('beyond the minimum, billing is per second, each part-second billed as a whole one', () => {
    assert.equal(billedIntervalSeconds({ start: at(0), end: at(90) }, NOW), 90);
    assert.equal(billedIntervalSeconds({ start: at(0), end: new Date(T0 + 5430_400).toISOString() }, NOW), 5431);
    const bill = ec2Bill(
      {
        instances: [
          instance([
            [0, 5430],
            [6000, 6075],
          ]),
        ],
        volumes: [],
        prices: PRICES,
      },
      NOW,
    );
    assert.equal(bill.billed_instance_s, 5430 + 75);
    assert.equal(bill.total_usd, round(((5430 + 75) * 0.526) / 3600));
  });

  test('a stretch still running is billed up to now', () => {
    assert.equal(billedIntervalSeconds({ start: at(0) }, NOW), 10 * 3600);
  });

  test('a multi-node job bills every instance and sums them', () => {
    const nodes = ['i-0a', 'i-0b'].map((id) =>
      instance([[0, 7200]], { instance_id: id, instance_type: 'p4d.24xlarge' }),
    );
    const bill = ec2Bill({ instances: nodes, volumes: [], prices: PRICES }, NOW);
    assert.deepEqual(
      bill.line_items.map((item) => item.item),
      ['i-0a (p4d.24xlarge, on-demand)', 'i-0b (p4d.24xlarge, on-demand)'],
    );
    assert.deepEqual(
      bill.line_items.map((item) => item.total_usd),
      [round(2 * 21.957642), round(2 * 21.957642)],
    );
    assert.equal(bill.instance_usd, round(2 * round(2 * 21.957642)));
    assert.equal(bill.billed_instance_s, 2 * 7200);
  });

  test('an instance type without a stored price is a bug, not a free machine', () => {
    assert.throws(
      () => instanceLineItem(instance([[0, 100]], { instance_type: 'g5.xlarge' }), PRICES, [], NOW),
      /none for g5\.xlarge/,
    );
  });
});

describe('spot instances', () => {
  test('interrupted by EC2 within the first hour: no charge', () => {
    const { usage } = spot(59 * 60, 'Server.SpotInstanceTermination');
    assert.equal(isFreeSpotInterruption(usage, NOW), true);
    const item = instanceLineItem(usage, PRICES, [], NOW);
    assert.equal(item.total_usd, 0);
    assert.equal(item.unit_price_usd, 0);
    assert.match(
      item.item,
      /interrupted by EC2 \(Server\.SpotInstanceTermination\) within its first hour, not charged/,
    );
    assert.equal(
      isFreeSpotInterruption(spot(50 * 60, 'Server.SpotInstanceShutdown').usage, NOW),
      true,
      'stopped by EC2 counts too',
    );
  });

  test('interrupted by EC2 after its first hour: every second is billed at the spot price', () => {
    const { usage } = spot(61 * 60, 'Server.SpotInstanceTermination');
    assert.equal(isFreeSpotInterruption(usage, NOW), false);
    const item = instanceLineItem(usage, PRICES, FLAT_SPOT, NOW);
    assert.equal(item.total_usd, round((61 / 60) * 0.2));
    assert.equal(item.unit_price_usd, 0.2);
  });

  test('stopped or terminated by the user, even within the first hour: billed, 60 s minimum included', () => {
    for (const reason of ['Client.UserInitiatedShutdown', 'Client.InstanceInitiatedShutdown']) {
      const { usage } = spot(30 * 60, reason);
      assert.equal(isFreeSpotInterruption(usage, NOW), false, reason);
      assert.equal(instanceLineItem(usage, PRICES, FLAT_SPOT, NOW).total_usd, round(0.5 * 0.2), reason);
    }
    assert.equal(
      instanceLineItem(spot(20, 'Client.UserInitiatedShutdown').usage, PRICES, FLAT_SPOT, NOW).total_usd,
      round((60 / 3600) * 0.2),
    );
  });

  test('an on-demand instance ended with a spot reason code is still billed', () => {
    const usage = instance([[0, 600]], { state_reason_code: 'Server.SpotInstanceTermination' });
    assert.equal(isFreeSpotInterruption(usage, NOW), false);
    assert.equal(instanceLineItem(usage, PRICES, [], NOW).total_usd, round((600 * 0.526) / 3600));
  });

  test('the spot price is integrated over the run window when it changes mid-run, in the instance zone only', () => {
    const rows: SpotPriceRow[] = [
      { availability_zone: 'us-east-1a', instance_type: 'g4dn.xlarge', spot_price_usd: 0.3, timestamp: at(1800) },
      { availability_zone: 'us-east-1a', instance_type: 'g4dn.xlarge', spot_price_usd: 0.2, timestamp: at(-3600) },
      { availability_zone: 'us-east-1a', instance_type: 'g4dn.xlarge', spot_price_usd: 0.1, timestamp: at(5400) },
      { availability_zone: 'us-east-1b', instance_type: 'g4dn.xlarge', spot_price_usd: 9, timestamp: at(0) },
      { availability_zone: 'us-east-1a', instance_type: 'g5.xlarge', spot_price_usd: 9, timestamp: at(0) },
      { availability_zone: 'us-east-1a', instance_type: 'g4dn.xlarge', spot_price_usd: 9, timestamp: at(7200) },
    ];
    const { usage } = spot(7200, 'Client.UserInitiatedShutdown');
    const item = instanceLineItem(usage, PRICES, rows, NOW);
    // 30 min at 0.2, 60 min at 0.3, 30 min at 0.1; the change at the very end starts no billed second.
    assert.equal(item.total_usd, round(0.5 * 0.2 + 1 * 0.3 + 0.5 * 0.1));
    assert.equal(item.unit_price_usd, 0.225, 'the average spot price over the two hours');
  });

  test('without a price row at or before the start, the spot cost is unknown and says so', () => {
    const rows: SpotPriceRow[] = [
      { availability_zone: 'us-east-1a', instance_type: 'g4dn.xlarge', spot_price_usd: 0.2, timestamp: at(60) },
    ];
    assert.throws(
      () => instanceLineItem(spot(7200, 'Client.UserInitiatedShutdown').usage, PRICES, rows, NOW),
      /no spot price for g4dn\.xlarge in us-east-1a/,
    );
  });
});

describe('EBS volumes', () => {
  const volume = (hours: number, extra: Partial<Ec2VolumeUsage> = {}): Ec2VolumeUsage => ({
    volume_id: 'vol-0abc',
    volume_type: 'gp3',
    size_gib: 100,
    created: at(0),
    deleted: at(hours * 3600),
    instance_id: 'i-0123456789abcdef0',
    root: true,
    ...extra,
  });

  test('prorated as GB-month x seconds / seconds in the month (April: 30 days)', () => {
    assert.equal(secondsInMonth(new Date(T0)), 30 * 86_400);
    const item = volumeLineItem(volume(12), PRICES, NOW);
    assert.equal(item.total_usd, round((0.08 * 100 * 43_200) / (30 * 86_400)));
    assert.equal(item.unit, 'GB-month');
    assert.equal(item.unit_price_usd, 0.08);
    assert.equal(item.quantity, Math.round(((100 * 43_200) / (30 * 86_400)) * 1e6) / 1e6);
    assert.equal(item.item, 'vol-0abc (gp3, 100 GiB, root of i-0123456789abcdef0)');
  });

  test(
    'a day in a 28-day February weighs more than a day in March, ' + 'and a stretch over a month end is split there',
    () => {
      assert.equal(secondsInMonth(new Date('2026-02-14T00:00:00Z')), 28 * 86_400);
      assert.equal(secondsInMonth(new Date('2028-02-14T00:00:00Z')), 29 * 86_400);
      const febToMar = monthsSpanned(Date.parse('2026-02-28T12:00:00Z'), Date.parse('2026-03-01T12:00:00Z'));
      assert.ok(Math.abs(febToMar - (0.5 / 28 + 0.5 / 31)) < 1e-12, String(febToMar));
      const item = volumeLineItem(
        {
          ...volume(0),
          volume_type: 'gp2',
          size_gib: 50,
          created: '2026-02-28T12:00:00Z',
          deleted: '2026-03-01T12:00:00Z',
        },
        PRICES,
        NOW,
      );
      assert.equal(item.total_usd, round(0.1 * 50 * (0.5 / 28 + 0.5 / 31)));
    },
  );

  test('a volume that existed 10 s is billed 60 s, and one still there is billed to now', () => {
    const short = volumeLineItem({ ...volume(0), deleted: at(10) }, PRICES, NOW);
    assert.equal(short.quantity, Math.round(((100 * 60) / (30 * 86_400)) * 1e6) / 1e6);
    const open = volumeLineItem({ ...volume(0), deleted: undefined }, PRICES, NOW);
    assert.equal(open.total_usd, round((0.08 * 100 * 10 * 3600) / (30 * 86_400)));
  });
});

describe('a whole job', () => {
  test(
    'one line per instance and per volume; totals add up; ' + 'an interrupted spot node still pays for its volume',
    () => {
      const nodes = [
        instance([[0, 3 * 3600]], { instance_id: 'i-0a' }),
        instance([[0, 20 * 60]], {
          instance_id: 'i-0b',
          lifecycle: 'spot',
          availability_zone: 'us-east-1a',
          state_reason_code: 'Server.SpotInstanceTermination',
        }),
      ];
      const volumes: Ec2VolumeUsage[] = ['i-0a', 'i-0b'].map((id, index) => ({
        volume_id: `vol-${index}`,
        volume_type: 'gp3',
        size_gib: 100,
        created: at(-60),
        deleted: at(3 * 3600 + 60),
        instance_id: id,
        root: true,
      }));
      const bill = ec2Bill({ instances: nodes, volumes, prices: PRICES }, NOW);
      assert.equal(bill.line_items.length, 4);
      assert.equal(bill.line_items[1]!.total_usd, 0);
      const volumeUsd = round((0.08 * 100 * (3 * 3600 + 120)) / (30 * 86_400));
      assert.deepEqual(
        bill.line_items.slice(2).map((item) => item.total_usd),
        [volumeUsd, volumeUsd],
      );
      assert.equal(bill.instance_usd, round(3 * 0.526));
      assert.equal(bill.volume_usd, round(2 * volumeUsd));
      assert.equal(bill.total_usd, round(bill.instance_usd + bill.volume_usd));
    },
  );

  test('the quote rate: N instances plus their root volumes, each GB-month spread over the hours of the month', () => {
    const rate = ec2RatePerHour(
      { instance_usd_per_hour: 0.526, nodes: 2, root_volume_gib: 100, volume_usd_per_gb_month: 0.08 },
      new Date(T0),
    );
    assert.equal(rate, Math.round(2 * (0.526 + (100 * 0.08) / 720) * 1e6) / 1e6);
    assert.equal(
      ec2RatePerHour({ instance_usd_per_hour: 21.957642, nodes: 1 }, new Date(T0)),
      21.957642,
      'six decimals kept',
    );
  });
});

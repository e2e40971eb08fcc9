import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  CATALOG_READ_ON,
  EBS_VOLUME_PRICES,
  EC2_INSTANCE_TYPES,
  EC2_ON_DEMAND_PRICES,
  ec2PricedRegions,
  findEbsVolumePrice,
  findEc2InstanceType,
  findEc2OnDemandPrice,
  isUnconfirmed,
  type Sourced,
} from '../../../src/cost/catalogs/index.js';
import { SKYPILOT_COPY_READ_ON, SKYPILOT_COPY_URL } from '../../../src/cost/catalogs/ec2-cpu-regional-price-copy.js';

const ROWS: [string, Sourced<string> & { region: string }, string][] = [
  ...EC2_ON_DEMAND_PRICES.map(
    (row) => ['instance', row, `${row.region} ${row.instance_type}`] as [string, typeof row, string],
  ),
  ...EBS_VOLUME_PRICES.map(
    (row) => ['volume', row, `${row.region} ${row.volume_type}`] as [string, typeof row, string],
  ),
];

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

describe('EC2 and EBS prices', () => {
  test(
    "every price comes from AWS's own published price data or price API, " +
      "or is marked unconfirmed with a note when read from a third party's dated copy; never a test fixture",
    () => {
      // AWS's Price List endpoints and documentation, and AWS's own projects that generate from the Price List API.
      const places = [
        /pricing\.us-east-1\.amazonaws\.com/,
        /aws\.amazon\.com/,
        /docs\.aws\.amazon\.com/,
        /github\.com\/aws\//,
      ];
      const awsOwn = new RegExp(`^https:\\/\\/(${places.map((place) => place.source).join('|')})[^\\s]*$`);
      // A copy is read at a pinned commit, so the figures stay checkable.
      const pinnedCopy = /^https:\/\/github\.com\/[^/\s]+\/[^/\s]+\/blob\/[0-9a-f]{40}\/[^\s]+$/;
      for (const [, row, key] of ROWS) {
        const secondary = isUnconfirmed(row, 'usd_per_hour') || isUnconfirmed(row, 'usd_per_gb_month');
        for (const source of row.source) {
          assert.match(source, secondary ? pinnedCopy : awsOwn, `${key}: ${source}`);
          assert.doesNotMatch(
            source,
            /\/(testdata|test|tests|fixtures?|golden)\/|\.golden$/,
            `${key}: ${source} is a test fixture`,
          );
        }
        if (secondary) assert.match(row.note ?? '', /^Secondary: /, `${key} does not say why it is unconfirmed`);
      }
    },
  );

  test('every price row has an http(s) source and a real as-of date no later than the catalogs were read', () => {
    for (const [, row, key] of ROWS) {
      assert.ok(row.source.length > 0, `${key} has no source`);
      for (const url of row.source) assert.match(url, /^https?:\/\/[^\s/]+\.[^\s]+$/, `${key}: '${url}'`);
      assert.ok(isCalendarDate(row.as_of), `${key}: as_of '${row.as_of}'`);
      // SkyPilot's copy states no date and was read after the rest: its rows are dated the day it was read.
      const readOn = row.source.includes(SKYPILOT_COPY_URL) ? SKYPILOT_COPY_READ_ON : CATALOG_READ_ON;
      assert.ok(row.as_of <= readOn, `${key}: as_of ${row.as_of} is after its source was read`);
      if (row.unconfirmed === true || (row.unconfirmed_fields ?? []).length > 0)
        assert.ok(row.note, `${key} is unconfirmed without a note`);
    }
  });

  test(
    'one row per region and instance type (or volume type), ' +
      'each naming a catalog instance type, each price positive',
    () => {
      const keys = ROWS.map(([, , key]) => key);
      assert.deepEqual(
        keys.filter((key, index) => keys.indexOf(key) !== index),
        [],
      );
      for (const row of EC2_ON_DEMAND_PRICES) {
        assert.ok(findEc2InstanceType(row.instance_type), `${row.instance_type} is not in the instance catalog`);
        assert.ok(row.usd_per_hour > 0 && row.usd_per_hour < 200, `${row.instance_type}: $${row.usd_per_hour}/h`);
      }
      for (const row of EBS_VOLUME_PRICES)
        assert.ok(row.usd_per_gb_month > 0 && row.usd_per_gb_month < 1, row.volume_type);
    },
  );

  test('us-east-1 prices every size of g2, p2, p3, g4dn, g5, g6, p4d and p5, and every CPU type in the catalog', () => {
    const required = new Set([
      'g2',
      'p2',
      'p3',
      'g4dn',
      'g5',
      'g6',
      'p4d',
      'p5',
      't3',
      'm5',
      'm6i',
      'm7i',
      'c5',
      'c6i',
      'c7i',
      'r5',
      'r6i',
    ]);
    for (const type of EC2_INSTANCE_TYPES.filter((candidate) => required.has(candidate.family))) {
      assert.ok(findEc2OnDemandPrice('us-east-1', type.name), `no us-east-1 price for ${type.name}`);
    }
    const unpriced = EC2_INSTANCE_TYPES.filter((type) => !findEc2OnDemandPrice('us-east-1', type.name)).map(
      (type) => type.name,
    );
    assert.deepEqual(
      unpriced,
      ['p5e.48xlarge'],
      'only p5e, which the Price List sells through capacity blocks, is left out',
    );
  });

  test('figures of well-known types, read from the Price List copy dated 2026-02-09', () => {
    const expected: [string, number][] = [
      ['g2.2xlarge', 0.65],
      ['p2.xlarge', 0.9],
      ['p3.2xlarge', 3.06],
      ['g4dn.xlarge', 0.526],
      ['g4dn.metal', 7.824],
      ['g5.xlarge', 1.006],
      ['g6.xlarge', 0.8048],
      ['p4d.24xlarge', 21.957642],
      ['p5.48xlarge', 55.04],
      ['t3.nano', 0.0052],
      ['m5.large', 0.096],
      ['c7i.metal-48xl', 8.568],
    ];
    for (const [name, usd] of expected) {
      const row = findEc2OnDemandPrice('us-east-1', name);
      assert.equal(row?.usd_per_hour, usd, name);
      assert.equal(row?.as_of, '2026-02-09', name);
    }
    assert.match(findEc2OnDemandPrice('us-east-1', 'p4d.24xlarge')!.note!, /June 2025/);
  });

  test('EBS gp3 and gp2 per GB-month in us-east-1, and nothing for a region without a source', () => {
    assert.equal(findEbsVolumePrice('us-east-1', 'gp3')?.usd_per_gb_month, 0.08);
    assert.equal(findEbsVolumePrice('us-east-1', 'gp2')?.usd_per_gb_month, 0.1);
    assert.equal(findEbsVolumePrice('eu-west-1', 'gp3'), undefined);
    assert.equal(findEc2OnDemandPrice('af-south-1', 'g4dn.xlarge'), undefined);
  });

  test('the six regions where GPUs are commonly rented have prices, and only they', () => {
    const regions = ['ap-northeast-1', 'eu-central-1', 'eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2'];
    assert.deepEqual(ec2PricedRegions(), regions);
    for (const region of regions) {
      for (const name of ['g4dn.xlarge', 'g5.xlarge', 'p3.2xlarge', 'p4d.24xlarge'])
        assert.ok(findEc2OnDemandPrice(region, name), `no ${region} price for ${name}`);
    }
    const rowsIn = (region: string): number => EC2_ON_DEMAND_PRICES.filter((row) => row.region === region).length;
    assert.deepEqual(
      regions.filter((region) => region !== 'us-east-1').map((region) => [region, rowsIn(region)]),
      // GPU rows from one copy, then 32 CPU rows from another.
      [
        ['ap-northeast-1', 40 + 32],
        ['eu-central-1', 36 + 32],
        ['eu-west-1', 20 + 32],
        ['us-east-2', 38 + 32],
        ['us-west-2', 40 + 32],
      ],
    );
    assert.ok(rowsIn('us-east-1') > 100);
  });

  test('outside us-east-1, figures read from the dated copy, marked unconfirmed; its gaps stay gaps', () => {
    const expected: [string, string, number][] = [
      ['eu-west-1', 'g5.xlarge', 1.123],
      ['eu-west-1', 'g4dn.xlarge', 0.587],
      ['eu-west-1', 'p4d.24xlarge', 23.71569],
      ['eu-central-1', 'g4dn.xlarge', 0.658],
      ['eu-central-1', 'g6.xlarge', 1.0064],
      ['ap-northeast-1', 'g5.xlarge', 1.459],
      ['ap-northeast-1', 'p5.48xlarge', 68.8],
      ['us-east-2', 'g4dn.xlarge', 0.526],
      ['us-west-2', 'p5.48xlarge', 55.04],
      ['eu-central-1', 'g6e.xlarge', 2.327],
      ['eu-west-1', 'p3dn.24xlarge', 33.711],
      ['ap-northeast-1', 'p5en.48xlarge', 79.12],
    ];
    for (const [region, name, usd] of expected) {
      const row = findEc2OnDemandPrice(region, name);
      assert.equal(row?.usd_per_hour, usd, `${region} ${name}`);
      assert.equal(row?.as_of, '2026-08-26', `${region} ${name}`);
      assert.ok(isUnconfirmed(row!, 'usd_per_hour'), `${region} ${name} is secondary`);
      assert.match(row!.source[0]!, /github\.com\/tsaol\/aws-gpu\/blob\/[0-9a-f]{40}\/data\//);
    }
    // The copy lists no g6 and no p5 in eu-west-1, and no p5 in eu-central-1; of the CPU families only t3, m5, c5
    // and c6i (no metal) were read from the other copy.
    for (const [region, name] of [
      ['eu-west-1', 'g6.xlarge'],
      ['eu-west-1', 'p5.48xlarge'],
      ['eu-central-1', 'p5.4xlarge'],
      ['us-east-2', 'p4de.24xlarge'],
      ['eu-west-1', 'g6e.xlarge'],
      ['eu-west-1', 'm6i.large'],
      ['us-west-2', 'r5.xlarge'],
      ['us-east-2', 'c7i.large'],
      ['ap-northeast-1', 'm5.metal'],
      ['eu-central-1', 'r6i.large'],
    ] as const)
      assert.equal(findEc2OnDemandPrice(region, name), undefined, `${region} ${name}`);
    for (const row of EC2_ON_DEMAND_PRICES.filter((candidate) => candidate.region !== 'us-east-1')) {
      const gpu = findEc2InstanceType(row.instance_type)?.gpus !== undefined;
      assert.equal(
        row.source[0]!.includes('tsaol/aws-gpu'),
        gpu,
        `${row.region} ${row.instance_type}: GPU rows copy one`,
      );
      assert.equal(row.source[0], gpu ? row.source[0] : SKYPILOT_COPY_URL, `${row.region} ${row.instance_type}`);
    }
  });

  test("CPU types outside us-east-1: figures read from SkyPilot's copy, unconfirmed, dated when read", () => {
    const expected: [string, string, number][] = [
      ['us-east-2', 't3.xlarge', 0.1664],
      ['us-west-2', 'm5.large', 0.096],
      ['eu-west-1', 'c6i.xlarge', 0.1824],
      ['eu-west-1', 'm5.xlarge', 0.214],
      ['eu-central-1', 'c5.9xlarge', 1.746],
      ['eu-central-1', 't3.nano', 0.006],
      ['ap-northeast-1', 'm5.24xlarge', 5.952],
      ['ap-northeast-1', 't3.micro', 0.0136],
    ];
    for (const [region, name, usd] of expected) {
      const row = findEc2OnDemandPrice(region, name);
      assert.equal(row?.usd_per_hour, usd, `${region} ${name}`);
      assert.equal(row?.as_of, SKYPILOT_COPY_READ_ON, `${region} ${name}`);
      assert.ok(isUnconfirmed(row!, 'usd_per_hour'), `${region} ${name} is secondary`);
      assert.match(row!.note!, /^Secondary: .*states no date/);
    }
    assert.match(SKYPILOT_COPY_URL, /github\.com\/skypilot-org\/skypilot-catalog\/blob\/[0-9a-f]{40}\/catalogs\//);
  });

  test("SkyPilot's copy gives AWS's Price List figure in us-east-1 for every CPU type it prices elsewhere", () => {
    // Its us-east-1 rows, read at the same commit as the regional ones.
    const copiedUsEast1: [string, number][] = [
      ['t3.nano', 0.0052],
      ['t3.micro', 0.0104],
      ['t3.small', 0.0208],
      ['t3.medium', 0.0416],
      ['t3.large', 0.0832],
      ['t3.xlarge', 0.1664],
      ['t3.2xlarge', 0.3328],
      ['m5.large', 0.096],
      ['m5.xlarge', 0.192],
      ['m5.2xlarge', 0.384],
      ['m5.4xlarge', 0.768],
      ['m5.8xlarge', 1.536],
      ['m5.12xlarge', 2.304],
      ['m5.16xlarge', 3.072],
      ['m5.24xlarge', 4.608],
      ['c5.large', 0.085],
      ['c5.xlarge', 0.17],
      ['c5.2xlarge', 0.34],
      ['c5.4xlarge', 0.68],
      ['c5.9xlarge', 1.53],
      ['c5.12xlarge', 2.04],
      ['c5.18xlarge', 3.06],
      ['c5.24xlarge', 4.08],
      ['c6i.large', 0.085],
      ['c6i.xlarge', 0.17],
      ['c6i.2xlarge', 0.34],
      ['c6i.4xlarge', 0.68],
      ['c6i.8xlarge', 1.36],
      ['c6i.12xlarge', 2.04],
      ['c6i.16xlarge', 2.72],
      ['c6i.24xlarge', 4.08],
      ['c6i.32xlarge', 5.44],
    ];
    const copied = new Set(
      EC2_ON_DEMAND_PRICES.filter((row) => row.source.includes(SKYPILOT_COPY_URL)).map((row) => row.instance_type),
    );
    assert.deepEqual([...copied].sort(), copiedUsEast1.map(([name]) => name).sort());
    for (const [name, usd] of copiedUsEast1)
      assert.equal(findEc2OnDemandPrice('us-east-1', name)?.usd_per_hour, usd, name);
  });

  test("the copy's us-east-1 figures equal AWS's Price List for every type it prices elsewhere", () => {
    // Read from the same files at the same commits as the regional rows (us-east-1 entries).
    const copiedUsEast1: [string, number][] = [
      ['g5.xlarge', 1.006],
      ['g5.2xlarge', 1.212],
      ['g5.4xlarge', 1.624],
      ['g5.8xlarge', 2.448],
      ['g5.12xlarge', 5.672],
      ['g5.16xlarge', 4.096],
      ['g5.24xlarge', 8.144],
      ['g5.48xlarge', 16.288],
      ['g4dn.12xlarge', 3.912],
      ['g4dn.16xlarge', 4.352],
      ['g4dn.2xlarge', 0.752],
      ['g6.12xlarge', 4.6016],
      ['g6.16xlarge', 3.3968],
      ['g6.24xlarge', 6.6752],
      ['g6.2xlarge', 0.9776],
      ['g6.48xlarge', 13.3504],
      ['g6.4xlarge', 1.3232],
      ['g4dn.4xlarge', 1.204],
      ['g4dn.8xlarge', 2.176],
      ['g4dn.metal', 7.824],
      ['g4dn.xlarge', 0.526],
      ['g6.8xlarge', 2.0144],
      ['g6.xlarge', 0.8048],
      ['p3.16xlarge', 24.48],
      ['p3.2xlarge', 3.06],
      ['p3.8xlarge', 12.24],
      ['p4d.24xlarge', 21.957642],
      ['p5.48xlarge', 55.04],
      ['p5.4xlarge', 6.88],
      ['g6e.xlarge', 1.861],
      ['g6e.2xlarge', 2.24208],
      ['g6e.4xlarge', 3.00424],
      ['g6e.8xlarge', 4.52856],
      ['g6e.12xlarge', 10.49264],
      ['g6e.16xlarge', 7.57719],
      ['g6e.24xlarge', 15.06559],
      ['g6e.48xlarge', 30.13118],
      ['p4de.24xlarge', 27.44705],
      ['p5en.48xlarge', 63.296],
      ['p3dn.24xlarge', 31.212],
    ];
    assert.equal(copiedUsEast1.length, 40);
    for (const [name, usd] of copiedUsEast1)
      assert.equal(findEc2OnDemandPrice('us-east-1', name)?.usd_per_hour, usd, name);
  });
});

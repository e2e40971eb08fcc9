import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { DlrunError } from '../../../src/base/errors.js';
import { ec2LaunchPrices, ec2PriceBasisOf } from '../../../adapters/ec2/ec2-price-basis.js';
import { ec2Pricing } from '../../../adapters/ec2/ec2-pricing.js';
import { quote } from '../../../src/cost/quote.js';
import { jobOf, MINIMAL } from '../../support/job-text.js';

/** April 2026 has 30 days, so a GB-month is 720 hours. */
const NOW = new Date('2026-04-10T12:00:00Z');
const KARPENTER =
  'https://github.com/aws/karpenter-provider-aws/blob/265ee0ba5b8e337dec6b82dde965b03021ccb418/' +
  'pkg/providers/pricing/zz_generated.pricing_aws.go';

const priced = (yaml: string) => ec2Pricing.price(jobOf(`${MINIMAL}${yaml}`), NOW, {});

function refused(yaml: string, message: RegExp, hint?: RegExp): void {
  assert.throws(
    () => priced(yaml),
    (error: unknown) => {
      assert.ok(error instanceof DlrunError, String(error));
      assert.equal(error.audience, 'user', 'a user-facing error, not a crash');
      assert.match(error.message, message);
      if (hint) assert.match(error.hint ?? '', hint);
      return true;
    },
  );
}

describe('ec2Pricing.price', () => {
  test('the cheapest type that satisfies resources, named as the machine', () => {
    const cases: [string, string, number][] = [
      ['resources:\n  gpu: T4\n', 'g4dn.xlarge', 0.526],
      ['resources:\n  gpu: A100:8\n', 'p4d.24xlarge', 21.957642],
      ['resources:\n  gpu: A10G:4\n', 'g5.12xlarge', 5.672],
      ['resources:\n  gpu: T4\n  cpus: 16\n', 'g4dn.4xlarge', 1.204],
      ['resources:\n  gpu: L4\n  memory: 100GB\n', 'g6.8xlarge', 2.0144],
      ['resources:\n  gpu: K80\n', 'p2.xlarge', 0.9],
      ['resources:\n  gpu: V100:8\n', 'p3.16xlarge', 24.48],
      ['resources:\n  gpu: H100:8\n', 'p5.48xlarge', 55.04],
      ['resources:\n  cpus: 8\n  memory: 64GB\n', 'r5.2xlarge', 0.504],
      ['', 't3.nano', 0.0052],
    ];
    for (const [yaml, machine, rate] of cases) {
      const price = priced(yaml);
      assert.equal(price.machine, machine, yaml);
      assert.equal(price.rate_per_hour_usd, rate, yaml);
      assert.equal(ec2PriceBasisOf(price)?.instance_type, machine);
    }
  });

  test('per-second billing with a 60 s minimum, the source URL and its date, the region named in the source', () => {
    const price = priced('resources:\n  gpu: T4\n');
    assert.equal(price.billing_increment_s, 1);
    assert.equal(price.minimum_billed_s, 60);
    assert.equal(price.price_as_of, '2026-02-09');
    assert.ok(
      price.price_source.startsWith(
        'us-east-1 on-demand Linux g4dn.xlarge $0.526/h (the cheapest type that satisfies resources)',
      ),
      price.price_source,
    );
    assert.ok(price.price_source.includes(KARPENTER), price.price_source);
    assert.match(price.price_source, /root volumes not priced: resources\.disk is not set/);
    assert.equal(price.unconfirmed, undefined);
    assert.equal(quote('ec2', price, 30).billed_s, 60, 'a 30 s run is billed the minute');
  });

  test('the instance type the job names, in the region it names, whatever resources would pick', () => {
    const price = priced('backends:\n  ec2:\n    instance_type: g5.xlarge\n    region: us-east-1\n');
    assert.equal(price.machine, 'g5.xlarge');
    assert.equal(price.rate_per_hour_usd, 1.006);
    assert.doesNotMatch(price.price_source, /cheapest/);
  });

  test('times the node count, plus a gp3 root volume per node when resources.disk says how big', () => {
    const price = priced('resources:\n  gpu: A100:8\n  nodes: 2\n  disk: 500GB\n');
    assert.equal(price.machine, '2 x p4d.24xlarge');
    assert.equal(price.rate_per_hour_usd, Math.round(2 * (21.957642 + (500 * 0.08) / 720) * 1e6) / 1e6);
    assert.match(price.price_source, / x 2 nodes, /);
    assert.match(price.price_source, /500 GiB gp3 root volume per node at \$0\.08\/GB-month/);
    assert.equal(price.price_as_of, '2026-02-09', 'the older of the two dates');
    assert.deepEqual(price.basis, {
      region: 'us-east-1',
      instance_type: 'p4d.24xlarge',
      nodes: 2,
      on_demand_usd_per_hour: 21.957642,
      root_volume: { volume_type: 'gp3', size_gib: 500, usd_per_gb_month: 0.08 },
    });
    assert.deepEqual(ec2LaunchPrices(ec2PriceBasisOf(price)!), {
      on_demand_usd_per_hour: { 'p4d.24xlarge': 21.957642 },
      volume_usd_per_gb_month: { gp3: 0.08 },
    });
  });

  test('a spot job is quoted at the on-demand rate and says it is the ceiling', () => {
    const price = priced('resources:\n  gpu: T4\n  spot: true\n');
    assert.equal(price.rate_per_hour_usd, 0.526);
    assert.match(
      price.price_source,
      /spot: billed at the spot price of the run window, never above this on-demand rate/,
    );
  });

  test('outside us-east-1 a CPU job gets the cheapest CPU type copied there, marked unconfirmed', () => {
    const price = priced('resources:\n  cpus: 4\nbackends:\n  ec2:\n    region: eu-central-1\n');
    assert.equal(price.machine, 't3.xlarge', 'no GPU machine for a CPU job');
    assert.equal(price.rate_per_hour_usd, 0.192);
    assert.equal(price.unconfirmed, true);
    assert.match(price.price_source, /^eu-central-1 on-demand Linux t3\.xlarge \$0\.192\/h /);
    assert.match(price.price_source, /skypilot-org\/skypilot-catalog\/blob\/[0-9a-f]{40}\//);
    assert.equal(price.price_as_of, '2026-12-06');
  });

  test('a choice resting on an unconfirmed catalog figure is marked unconfirmed', () => {
    const price = priced('resources:\n  gpu: H100\n');
    assert.equal(price.machine, 'p5.4xlarge', "p5.4xlarge's one H100 is unconfirmed in the instance catalog");
    assert.equal(price.unconfirmed, true);
  });

  test(
    'clear user errors: a GPU no type has, an unknown GPU, too much of anything, ' +
      'an unknown or unpriced type, an unpriced region',
    () => {
      refused('resources:\n  gpu: P100\n', /no EC2 instance type priced in us-east-1 has a P100 GPU/, /K520.*T4/);
      refused('resources:\n  gpu: T5\n', /dlrun knows no GPU named 'T5'/, /did you mean T4\?/);
      refused(
        'resources:\n  gpu: T4:16\n',
        /no EC2 instance type priced in us-east-1 has 16 T4 GPUs/,
        /g4dn\.metal \(8 T4/,
      );
      refused('resources:\n  gpu: A100:8\n  cpus: 200\n', /has 8 A100 GPUs and 200 vCPUs/);
      refused(
        'backends:\n  ec2:\n    instance_type: g4dn.xlarg\n',
        /no EC2 instance type 'g4dn\.xlarg'/,
        /did you mean g4dn\.xlarge\?/,
      );
      refused(
        'backends:\n  ec2:\n    instance_type: p5e.48xlarge\n',
        /no on-demand price for p5e\.48xlarge in us-east-1/,
      );
      refused(
        'backends:\n  ec2:\n    instance_type: g6.xlarge\n    region: eu-west-1\n',
        new RegExp(
          /no on-demand price for g6\.xlarge in eu-west-1 /.source +
            /\(it has one in ap-northeast-1, eu-central-1, us-east-1, us-east-2, us-west-2\)/.source,
        ),
      );
      refused(
        'backends:\n  ec2:\n    region: af-south-1\n',
        /no EC2 prices for af-south-1/,
        /cover ap-northeast-1, eu-central-1, eu-west-1, us-east-1, us-east-2, us-west-2; set backends\.ec2\.region/,
      );
    },
  );
});

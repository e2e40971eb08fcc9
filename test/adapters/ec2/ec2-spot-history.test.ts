import { type JobId, asJobId, asLedgerId } from '../../../src/backend/job-id.js';
import {
  DescribeSpotPriceHistoryCommand,
  type DescribeSpotPriceHistoryCommandInput,
  type DescribeSpotPriceHistoryCommandOutput,
  type Instance,
  RunInstancesCommand,
  type SpotPrice,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ec2BillingFacts } from '../../../adapters/ec2/ec2-billing-facts.js';
import type { Ec2BillingFacts } from '../../../adapters/ec2/ec2-billing.js';
import { ec2JobCharges } from '../../../adapters/ec2/ec2-job-bill.js';
import type { Ec2PriceBasis } from '../../../adapters/ec2/ec2-price-basis.js';
import { awsSdk } from '../../../adapters/ec2/ec2-sdk.js';
import { JOB_ID_TAG, LEDGER_TAG } from '../../../src/backend/tags.js';
import type { JobCharges } from '../../../src/cost/backend-pricing.js';
import { defer } from '../../support/cleanup.js';
import { ec2Env } from '../../support/ec2-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { motoForThisFile } from '../../standins/moto-server.js';
import { allInstances, ec2Client, TEST_IMAGE } from '../../standins/test-clients.js';

/**
 * The spot price history an ended job's bill is priced with (ec2-billing-facts.ts, then ec2-job-bill.ts). moto answers
 * DescribeSpotPriceHistory with canned rows from 2006 for every zone, whatever is asked, so the request is pinned and
 * the answers written here with a client mock on the adapter's own EC2Client class; the instances themselves are
 * moto's (launched as spot, terminated), listed by the adapter through moto.
 */

const motoFor = motoForThisFile();

const LEDGER = asLedgerId('spot-ledger');
const JOB = asJobId('spot-20260410-1200-a7f3');
const TYPE = 'g4dn.xlarge';
const ON_DEMAND = 0.526;
const BASIS: Ec2PriceBasis = {
  region: 'us-east-1',
  instance_type: TYPE,
  nodes: 2,
  on_demand_usd_per_hour: ON_DEMAND,
  root_volume: null,
};
const HOUR = 3_600_000;

/** Launch the job's nodes in moto, one per zone given (node 0 first), as spot unless said otherwise, then end them. */
async function endedNodes(
  t: TestContext,
  endpoint: string,
  zones: readonly string[],
  spot = true,
): Promise<Instance[]> {
  const ec2 = ec2Client(t, endpoint);
  for (const [rank, zone] of zones.entries()) {
    await ec2.send(
      new RunInstancesCommand({
        ImageId: TEST_IMAGE,
        InstanceType: TYPE,
        MinCount: 1,
        MaxCount: 1,
        Placement: { AvailabilityZone: zone },
        ...(spot ? { InstanceMarketOptions: { MarketType: 'spot' } } : {}),
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: [
              { Key: LEDGER_TAG, Value: LEDGER },
              { Key: JOB_ID_TAG, Value: JOB },
              { Key: 'dlrun-launch', Value: rank === 0 ? 'node-0' : 'workers' },
            ],
          },
        ],
      }),
    );
  }
  const ids = (await allInstances(ec2)).map((instance) => instance.InstanceId!);
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
  return allInstances(ec2);
}

type Answer = (input: DescribeSpotPriceHistoryCommandInput) => Omit<DescribeSpotPriceHistoryCommandOutput, '$metadata'>;

/**
 * The job's billing facts as the adapter reads them from moto, with DescribeSpotPriceHistory answered by `answer`
 * (every other EC2 request goes to moto); the spot history requests it sent; and the charges a bill makes of them.
 */
async function billed(
  t: TestContext,
  endpoint: string,
  answer: Answer,
): Promise<{ asked: DescribeSpotPriceHistoryCommandInput[]; facts: Ec2BillingFacts; charges: JobCharges }> {
  const ec2 = mockClient(awsSdk().ec2.EC2Client);
  defer(t, () => ec2.restore());
  ec2.send.callThrough();
  const asked: DescribeSpotPriceHistoryCommandInput[] = [];
  ec2.on(DescribeSpotPriceHistoryCommand).callsFake(async (input: DescribeSpotPriceHistoryCommandInput) => {
    asked.push(input);
    return { ...answer(input), $metadata: { httpStatusCode: 200 } };
  });
  const facts = await ec2BillingFacts(
    { jobId: JOB as JobId, backend: 'ec2', externalId: null, details: { region: 'us-east-1' } },
    { ledgerId: LEDGER, home: tempDir(t), env: ec2Env(endpoint) },
  );
  assert.ok(facts, 'moto lists the ended instances');
  const job = { state: 'succeeded' as const, startedAt: null, endedAt: null, externalId: null, providerDetails: null };
  const charges = ec2JobCharges(job, BASIS, new Date(), facts);
  assert.ok(charges);
  return { asked, facts, charges };
}

/** A row of AWS's answer, `hoursBefore` the given moment. */
const row = (zone: string, usd: string, at: string, hoursBefore: number): SpotPrice => ({
  AvailabilityZone: zone,
  InstanceType: TYPE,
  ProductDescription: 'Linux/UNIX',
  SpotPrice: usd,
  Timestamp: new Date(Date.parse(at) - hoursBefore * HOUR),
});

/** What each instance line says: its price per hour and its total. */
const priced = (charges: JobCharges): [string, number, number][] =>
  charges.line_items.map((item) => [item.item, item.unit_price_usd, item.total_usd]);

test('one request per instance type and zone, over the whole run of its instances, for Linux/UNIX, 1,000 rows a ' +
  "page; the next page is asked with AWS's NextToken, and the price in force at the start is taken from any page", {
  timeout: 60_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const nodes = await endedNodes(t, moto.endpoint, ['us-east-1b', 'us-east-1b']);
  const { asked, facts, charges } = await billed(t, moto.endpoint, (input) => {
    const start = input.StartTime!.toISOString();
    // Page 1: an older price, and a row of another zone (moto sends every zone's; AWS may too without a zone).
    if (!input.NextToken)
      return {
        SpotPriceHistory: [row('us-east-1b', '0.250000', start, 2), row('us-east-1a', '0.900000', start, 1)],
        NextToken: 'page-2',
      };
    // Page 2: the price in force when the run started; the last page has an empty NextToken, as AWS sends it.
    return { SpotPriceHistory: [row('us-east-1b', '0.200000', start, 1)], NextToken: '' };
  });

  const runs = facts.instances.map((instance) => instance.running[0]!);
  const start = runs.map((run) => run.start).sort()[0]!;
  const end = runs
    .map((run) => run.end!)
    .sort()
    .at(-1)!;
  assert.equal(start, nodes.map((node) => node.LaunchTime!.toISOString()).sort()[0], "moto's first launch time");
  const request = {
    InstanceTypes: [TYPE],
    AvailabilityZone: 'us-east-1b',
    ProductDescriptions: ['Linux/UNIX'],
    StartTime: new Date(start),
    EndTime: new Date(end),
    MaxResults: 1000,
  };
  assert.deepEqual(asked, [request, { ...request, NextToken: 'page-2' }]);
  assert.equal(facts.spot_price_history.length, 3, 'every row of both pages is kept');
  // 60 s (the minimum) at $0.20/h each: the row in force at the start, not the older one nor the other zone's.
  assert.deepEqual(
    priced(charges),
    facts.instances.map((instance) => [`${instance.instance_id} (${TYPE}, spot)`, 0.2, 0.0033]),
  );
  assert.equal(charges.note, "spot at EC2's spot price history over the run (DescribeSpotPriceHistory)");
});

test('nodes in two zones: one request per zone, and each node priced at its own zone', {
  timeout: 60_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  await endedNodes(t, moto.endpoint, ['us-east-1a', 'us-east-1c']);
  const prices: Record<string, string> = { 'us-east-1a': '0.300000', 'us-east-1c': '0.500000' };
  const { asked, facts, charges } = await billed(t, moto.endpoint, (input) => ({
    SpotPriceHistory: [
      row(input.AvailabilityZone!, prices[input.AvailabilityZone!]!, input.StartTime!.toISOString(), 1),
    ],
  }));
  assert.deepEqual(
    asked.map((input) => [input.AvailabilityZone, input.InstanceTypes, input.NextToken]),
    [
      ['us-east-1a', [TYPE], undefined],
      ['us-east-1c', [TYPE], undefined],
    ],
    'node 0 first, each zone once, a single page each',
  );
  assert.deepEqual(
    facts.instances.map((instance) => instance.availability_zone),
    ['us-east-1a', 'us-east-1c'],
  );
  assert.deepEqual(
    priced(charges),
    facts.instances.map((instance, rank) => [
      `${instance.instance_id} (${TYPE}, spot)`,
      rank === 0 ? 0.3 : 0.5,
      rank === 0 ? 0.005 : 0.0083,
    ]),
  );
});

test('an empty history: the nodes are billed at the on-demand rate, the most spot can cost, and the bill says so', {
  timeout: 60_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  await endedNodes(t, moto.endpoint, ['us-east-1b', 'us-east-1b']);
  const { asked, facts, charges } = await billed(t, moto.endpoint, () => ({ SpotPriceHistory: [] }));
  assert.equal(asked.length, 1);
  assert.deepEqual(facts.spot_price_history, []);
  assert.deepEqual(
    priced(charges),
    facts.instances.map((instance) => [`${instance.instance_id} (${TYPE}, on-demand)`, ON_DEMAND, 0.0088]),
  );
  assert.equal(
    charges.note,
    "spot billed at the on-demand rate, the most it can cost; bill --reconcile adds AWS's figure",
  );
});

test('on-demand nodes: no spot price history is asked for', { timeout: 60_000 }, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  await endedNodes(t, moto.endpoint, ['us-east-1b', 'us-east-1b'], false);
  const { asked, facts, charges } = await billed(t, moto.endpoint, () => assert.fail('no history is asked for'));
  assert.deepEqual(asked, []);
  assert.deepEqual(facts.spot_price_history, []);
  assert.equal(charges.note, undefined);
  assert.deepEqual(
    charges.line_items.map((item) => item.unit_price_usd),
    [ON_DEMAND, ON_DEMAND],
  );
});

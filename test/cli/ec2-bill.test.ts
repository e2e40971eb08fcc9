import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import type { Bill } from '../../src/cost/bill.js';
import { JOB_ID_TAG } from '../../src/backend/tags.js';
import { defer } from '../support/cleanup.js';
import { writeJob } from '../support/job-files.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { mockPlacementGroups, type PlacementGroupsMock } from '../standins/ec2-client-mocks.js';
import { startFaultProxy, type FaultProxy } from '../standins/fault-proxy.js';
import { startMachineSimulator } from '../standins/ec2-machine-simulator.js';
import { motoForThisFile, type MotoServer } from '../standins/moto-server.js';
import { ec2Env, ec2JobYaml } from '../support/ec2-cli.js';

const motoFor = motoForThisFile();

/**
 * A 2-node job with 20 GiB root volumes, run to its end on simulated machines; moto behind the fault proxy, which
 * honours ClientTokens and counts the Cost Explorer requests; the placement groups moto lacks answered by a client
 * mock, in this process and in each dlrun.
 */
async function endedJob(
  t: TestContext,
  moto: MotoServer,
): Promise<{
  jobId: string;
  home: string;
  env: Record<string, string>;
  proxy: FaultProxy;
  placementGroups: PlacementGroupsMock;
}> {
  const placementGroups = await mockPlacementGroups(t);
  const proxy = await startFaultProxy(moto.endpoint, { honourClientTokens: true });
  defer(t, () => proxy.close());
  const simulator = await startMachineSimulator(moto.endpoint);
  defer(t, () => simulator.stop());
  const home = tempDir(t);
  const env = ec2Env(proxy.endpoint);
  const { jobPath } = writeJob(
    tempDir(t),
    ec2JobYaml('10m', [
      'name: billed',
      'run: echo "rank $DLRUN_NODE_RANK"',
      'resources:',
      '  nodes: 2',
      '  disk: 20GB',
    ]),
  );
  const submitted = await runCli(['submit', jobPath, '--wait', '--json'], { cwd: home, home, env, placementGroups });
  assert.equal(submitted.code, 0, submitted.stderr);
  const record = JSON.parse(submitted.stdout) as { job_id: string; state: string; external_id?: string };
  assert.equal(record.state, 'succeeded');
  return { jobId: record.job_id, home, env, proxy, placementGroups };
}

async function billOf(
  args: readonly string[],
  where: { home: string; env: Record<string, string>; placementGroups?: PlacementGroupsMock },
): Promise<{ bill: Bill; stderr: string }> {
  const { home, env, placementGroups } = where;
  const answer = await runCli(['bill', ...args, '--json'], { cwd: home, home, env, placementGroups });
  assert.equal(answer.code, 0, answer.stderr);
  return { bill: JSON.parse(answer.stdout) as Bill, stderr: answer.stderr };
}

test('bill of an ended EC2 job: a line per instance and per root volume, at the catalog prices in force at launch', {
  timeout: 180_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const job = await endedJob(t, moto);
  const { bill } = await billOf([job.jobId], job);

  assert.equal(bill.backend, 'ec2');
  assert.equal(bill.state, 'succeeded');
  const instances = bill.line_items.filter((item) => item.unit === 'hour');
  const volumes = bill.line_items.filter((item) => item.unit === 'GB-month');
  assert.equal(instances.length, 2, JSON.stringify(bill.line_items));
  assert.equal(volumes.length, 2);
  assert.equal(bill.line_items.length, 4);
  for (const item of instances) {
    assert.match(item.item, /^i-[0-9a-f]+ \(t3\.micro, on-demand\)$/);
    // A run of seconds is billed the 60 s minimum per instance.
    assert.ok(item.quantity >= 60 / 3600, `${item.item}: at least a minute`);
    assert.ok(item.unit_price_usd > 0);
    assert.equal(item.total_usd, Math.round(item.quantity * item.unit_price_usd * 10_000) / 10_000);
  }
  const instanceIds = instances.map((item) => item.item.split(' ')[0]);
  assert.equal(new Set(instanceIds).size, 2, 'two different instances');
  for (const [index, item] of volumes.entries()) {
    assert.match(item.item, new RegExp(`^root volume \\(gp3, 20 GiB, root of ${instanceIds[index]}\\)$`));
    assert.ok(item.unit_price_usd > 0);
  }
  assert.equal(
    bill.billed_s,
    instances.reduce((sum, item) => sum + Math.round(item.quantity * 3600), 0),
  );
  assert.ok(Math.abs(bill.total_usd - bill.line_items.reduce((sum, item) => sum + item.total_usd, 0)) < 0.0002);
  // Where the prices came from, and as of when.
  assert.match(bill.price_source, /\S/);
  assert.match(bill.price_as_of, /^\d{4}-\d{2}-\d{2}/);
  assert.equal(bill.provider_usd, null);
  assert.equal(bill.provider_source, null);
  assert.equal('basis' in bill, false, 'the price basis stored with the job is not a bill field');
});

test("bill --reconcile shows AWS Cost Explorer's figure for the job's tag beside dlrun's own, and keeps it", {
  timeout: 180_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const job = await endedJob(t, moto);

  // Before Cost Explorer has data (it lags by up to a day): no figure, said plainly, and the computed bill alone.
  const early = await billOf([job.jobId, '--reconcile'], job);
  assert.equal(early.bill.provider_usd, null);
  assert.match(early.stderr, /no provider figure yet/);

  const today = new Date().toISOString().slice(0, 10);
  await moto.queueCostAndUsage([
    {
      ResultsByTime: [
        {
          TimePeriod: { Start: today, End: today },
          Total: { UnblendedCost: { Amount: '0.0123', Unit: 'USD' } },
          Groups: [],
          Estimated: true,
        },
      ],
      DimensionValueAttributes: [],
    },
  ]);
  const reconciled = await billOf([job.jobId, '--reconcile'], job);
  assert.equal(reconciled.bill.provider_usd, 0.0123);
  assert.match(
    reconciled.bill.provider_source ?? '',
    new RegExp(`AWS Cost Explorer.*${JOB_ID_TAG}=${job.jobId}.*estimated`),
  );
  assert.equal(reconciled.bill.total_usd, early.bill.total_usd, "dlrun's own figure is unchanged beside AWS's");
  assert.deepEqual(reconciled.bill.line_items, early.bill.line_items);
  const requests = job.proxy.requests('GetCostAndUsage');
  assert.equal(requests, 2, 'one Cost Explorer request ($0.01 each) per --reconcile, none for a plain bill');

  // An ended job's reconciled bill is stored: a later plain bill shows AWS's figure without asking again.
  const later = await billOf([job.jobId], job);
  assert.equal(later.bill.provider_usd, 0.0123);
  assert.equal(job.proxy.requests('GetCostAndUsage'), requests);
});

test('a spot job is billed at the spot price history over its run, read from EC2 when it ended', {
  timeout: 180_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const simulator = await startMachineSimulator(moto.endpoint);
  defer(t, () => simulator.stop());
  const home = tempDir(t);
  const env = ec2Env(moto.endpoint);
  const { jobPath } = writeJob(
    tempDir(t),
    [
      'name: spotty',
      'run: echo cheap',
      'resources:',
      '  spot: true',
      'limits:',
      '  max_runtime: 10m',
      'backends:',
      '  ec2:',
      '    instance_type: t3.micro',
      '',
    ].join('\n'),
  );
  const submitted = await runCli(['submit', '--backend', 'ec2', jobPath, '--wait', '--json'], { cwd: home, home, env });
  assert.equal(submitted.code, 0, submitted.stderr);
  const record = JSON.parse(submitted.stdout) as { job_id: string; bill: Bill };
  const [line] = record.bill.line_items;
  assert.match(line!.item, /^i-[0-9a-f]+ \(t3\.micro, spot\)$/);
  assert.match(record.bill.price_source, /spot at EC2's spot price history/);
  // moto's history is canned (one old row per zone): what matters is that the bill used it, not the on-demand rate.
  assert.ok(line!.unit_price_usd < 0.0104, `below t3.micro's on-demand $0.0104/h: ${line!.unit_price_usd}`);
  const again = await billOf([record.job_id], { home, env });
  assert.deepEqual(again.bill, record.bill, 'the recorded bill, not a new computation');
});

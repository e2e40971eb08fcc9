import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import {
  DescribePlacementGroupsCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type Instance,
} from '@aws-sdk/client-ec2';
import { JOB_ID_TAG } from '../../../src/backend/tags.js';
import { defer } from '../../support/cleanup.js';
import { writeJob } from '../../support/job-files.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';
import { mockPlacementGroups, type PlacementGroupsMock } from '../../standins/ec2-client-mocks.js';
import { startFaultProxy, type FaultProxy } from '../../standins/fault-proxy.js';
import { startMachineSimulator } from '../../standins/ec2-machine-simulator.js';
import { motoForThisFile } from '../../standins/moto-server.js';
import { allInstances, ec2Client } from '../../standins/test-clients.js';
import { ec2Env, ec2JobYaml } from '../../support/ec2-cli.js';

const motoFor = motoForThisFile();

/** A 2-node job whose nodes each write their placement variables to `<placements>/<rank>`. */
function twoNodeJob(
  t: Parameters<typeof tempDir>[0],
  placements: string,
  run = 'echo "$DLRUN_NODE_RANK $DLRUN_NUM_NODES $DLRUN_MASTER_ADDR $DLRUN_MASTER_PORT" > "' +
    placements +
    '/$DLRUN_NODE_RANK"',
): string {
  return writeJob(tempDir(t), ec2JobYaml('10m', ['name: two-nodes', 'run: |', `  ${run}`, 'resources:', '  nodes: 2']))
    .jobPath;
}

/**
 * moto behind the fault proxy, which honours ClientTokens as EC2 does; the placement groups moto lacks answered by a
 * client mock, in this process and in each dlrun (give `placementGroups` to runCli); the simulator boots what moto
 * runs.
 */
async function standIns(
  t: Parameters<typeof tempDir>[0],
  endpoint: string,
  boot = true,
): Promise<{ proxy: FaultProxy; ec2: EC2Client; env: Record<string, string>; placementGroups: PlacementGroupsMock }> {
  const placementGroups = await mockPlacementGroups(t);
  const proxy = await startFaultProxy(endpoint, { honourClientTokens: true });
  defer(t, () => proxy.close());
  if (boot) {
    const simulator = await startMachineSimulator(endpoint);
    defer(t, () => simulator.stop());
  }
  return { proxy, ec2: ec2Client(t, proxy.endpoint), env: ec2Env(proxy.endpoint), placementGroups };
}

const jobIdOf = (instance: Instance): string | undefined => instance.Tags?.find((tag) => tag.Key === JOB_ID_TAG)?.Value;
const launchOf = (instance: Instance): string | undefined =>
  instance.Tags?.find((tag) => tag.Key === 'dlrun-launch')?.Value;

async function jobNetwork(
  ec2: EC2Client,
  jobId: string,
): Promise<{ placement: number; security: { GroupId?: string; IpPermissions?: unknown[] }[] }> {
  const filter = [{ Name: `tag:${JOB_ID_TAG}`, Values: [jobId] }];
  const placement = await ec2.send(new DescribePlacementGroupsCommand({ Filters: filter }));
  const security = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: filter }));
  return { placement: placement.PlacementGroups?.length ?? 0, security: security.SecurityGroups ?? [] };
}

test('a 2-node job: its own placement and security groups, node 0 first, the worker told its address, ranks 0 and 1', {
  timeout: 180_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const { ec2, env, placementGroups } = await standIns(t, moto.endpoint);
  const home = tempDir(t);
  const placements = tempDir(t, 'dlrun-placements-');

  const submitted = await runCli(['submit', twoNodeJob(t, placements), '--wait', '--json'], {
    cwd: home,
    home,
    env,
    placementGroups,
  });
  assert.equal(submitted.code, 0, submitted.stderr);
  const record = JSON.parse(submitted.stdout) as { job_id: string; state: string };
  assert.equal(record.state, 'succeeded');

  const instances = (await allInstances(ec2)).filter((instance) => jobIdOf(instance) === record.job_id);
  assert.equal(instances.length, 2, 'two instances');
  const leader = instances.find((instance) => launchOf(instance) === 'node-0');
  const worker = instances.find((instance) => launchOf(instance) === 'workers');
  assert.ok(leader?.PrivateIpAddress && worker, 'one node-0 launch and one workers launch');
  // Node 0 first: the worker's DLRUN_MASTER_ADDR (below) is node 0's private address, known only once it was launched.
  assert.ok(Date.parse(String(leader.LaunchTime)) <= Date.parse(String(worker.LaunchTime)), 'node 0 launched first');
  const [group] = (await jobNetwork(ec2, record.job_id)).security;
  for (const instance of instances) {
    assert.equal(
      placementGroups.groupOf(instance.InstanceId!),
      `dlrun-${record.job_id}`,
      "both nodes launched into the job's placement group",
    );
    assert.deepEqual(
      instance.SecurityGroups?.map((attached) => attached.GroupId),
      [group?.GroupId],
      "both nodes in the job's security group",
    );
  }

  const lines = ['0', '1'].map((rank) => readFileSync(path.join(placements, rank), 'utf8').trim().split(' '));
  assert.deepEqual(
    lines.map((line) => line.slice(0, 2)),
    [
      ['0', '2'],
      ['1', '2'],
    ],
    'ranks 0 and 1 of 2',
  );
  assert.deepEqual(
    lines.map((line) => line[2]),
    [leader.PrivateIpAddress, leader.PrivateIpAddress],
    'both know node 0 by its private address',
  );
  assert.deepEqual(
    lines.map((line) => line[3]),
    ['29500', '29500'],
  );
});

test('the groups of a 2-node job carry its id, and its security group lets its nodes reach each other', {
  timeout: 180_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const { ec2, env, placementGroups } = await standIns(t, moto.endpoint);
  const home = tempDir(t);
  // A job that runs until cancelled, so the groups are looked at while the job still has them.
  const submitted = await runCli(['submit', twoNodeJob(t, tempDir(t), 'sleep 600'), '--json'], {
    cwd: home,
    home,
    env,
    placementGroups,
  });
  assert.equal(submitted.code, 0, submitted.stderr);
  const jobId = (JSON.parse(submitted.stdout) as { job_id: string }).job_id;

  const network = await jobNetwork(ec2, jobId);
  assert.equal(network.placement, 1, 'one placement group tagged with the job');
  assert.equal(network.security.length, 1, 'one security group tagged with the job');
  const group = network.security[0]!;
  assert.deepEqual(
    (group.IpPermissions as { IpProtocol?: string; UserIdGroupPairs?: { GroupId?: string }[] }[]).map((rule) => [
      rule.IpProtocol,
      rule.UserIdGroupPairs?.map((pair) => pair.GroupId),
    ]),
    [['-1', [group.GroupId]]],
    'every protocol and port, from the group itself',
  );

  await waitFor('both machines running the job', async () =>
    (await allInstances(ec2)).filter((instance) => jobIdOf(instance) === jobId && instance.State?.Name === 'running')
      .length === 2
      ? true
      : undefined,
  );
  const cancelled = await runCli(['cancel', jobId], { cwd: home, home, env, placementGroups });
  assert.equal(cancelled.code, 0, cancelled.stderr);
  const states = (await allInstances(ec2))
    .filter((instance) => jobIdOf(instance) === jobId)
    .map((instance) => instance.State?.Name);
  assert.equal(states.length, 2);
  assert.ok(
    states.every((state) => state === 'terminated' || state === 'shutting-down'),
    `both nodes terminated: ${states.join(', ')}`,
  );
  // moto frees the instances at once, so cancel deletes the groups itself (on AWS, gc does it once they are gone).
  assert.deepEqual(await jobNetwork(ec2, jobId), { placement: 0, security: [] }, "the job's groups were removed");
});

test('all or nothing: when the worker cannot be launched, node 0 is terminated and submit says why', {
  timeout: 180_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const { proxy, ec2, env, placementGroups } = await standIns(t, moto.endpoint, false);
  const home = tempDir(t);
  // Every RunInstances after node 0's fails as EC2 does on an internal error (the SDK's own retries included).
  void proxy
    .waitForEvent((event) => event.action === 'RunInstances' && event.event === 'moto-answered')
    .then(() => {
      proxy.inject({ action: 'RunInstances', kind: 'internal-error', times: Infinity });
    });

  const submitted = await runCli(['submit', twoNodeJob(t, tempDir(t)), '--json'], {
    cwd: home,
    home,
    env,
    placementGroups,
  });
  assert.notEqual(submitted.code, 0, submitted.stdout);
  assert.match(submitted.stderr, /node 0 .*terminated/i, submitted.stderr);
  assert.match(submitted.stderr, /InternalError/);
  assert.ok(proxy.requests('RunInstances') >= 2, 'the worker launch was tried');

  const instances = await allInstances(ec2);
  assert.equal(instances.length, 1, 'only node 0 was ever launched');
  assert.ok(
    ['terminated', 'shutting-down'].includes(instances[0]!.State?.Name ?? ''),
    `node 0 is ${instances[0]!.State?.Name}`,
  );
  const jobId = jobIdOf(instances[0]!)!;
  assert.deepEqual(await jobNetwork(ec2, jobId), { placement: 0, security: [] }, 'nothing of the job is left');

  const status = await runCli(['status', jobId, '--json'], { cwd: home, home, env, placementGroups });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /"state":"failed"/, 'the ledger says the launch failed');
});

import {
  CreatePlacementGroupCommand,
  DeletePlacementGroupCommand,
  DescribePlacementGroupsCommand,
  type DescribePlacementGroupsCommandInput,
  DescribeVpcsCommand,
  EC2ServiceException,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test, type TestContext } from 'vitest';
import { promisify } from 'node:util';
import { defer } from '../support/cleanup.js';
import { REPO_ROOT } from '../support/paths.js';
import { mockPlacementGroups } from './ec2-client-mocks.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { awsEnvironment, motoForThisFile } from './moto-server.js';
import { allInstances, ec2Client, TEST_IMAGE } from './test-clients.js';

const motoFor = motoForThisFile();
const run = promisify(execFile);

/** moto behind the proxy, which shows what reached the wire. */
async function wire(t: TestContext): Promise<FaultProxy | undefined> {
  const moto = motoFor(t);
  if (!moto) return undefined;
  const proxy = await startFaultProxy(moto.endpoint);
  defer(t, () => proxy.close());
  return proxy;
}

const tagged = (job: string) => [
  { ResourceType: 'placement-group' as const, Tags: [{ Key: 'dlrun-job-id', Value: job }] },
];

/** EC2's error as the SDK gives it: an EC2ServiceException named by the code, a client fault, HTTP 400. */
function ec2Error(code: string, message: string): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof EC2ServiceException, String(error));
    assert.equal(error.name, code);
    assert.equal((error as EC2ServiceException & { Code?: string }).Code, code);
    assert.equal(error.message, message);
    assert.equal(error.$fault, 'client');
    assert.equal(error.$metadata.httpStatusCode, 400);
    return true;
  };
}

test(
  'placement groups are created, described (names, filters, region) and deleted in the mock, never on the wire; ' +
    'a duplicate and an unknown group fail with the codes EC2 gives; every other command reaches moto',
  async (t) => {
    const proxy = await wire(t);
    if (!proxy) return;
    const mock = await mockPlacementGroups(t);
    const ec2 = ec2Client(t, proxy.endpoint);

    const created = await ec2.send(
      new CreatePlacementGroupCommand({ GroupName: 'dlrun-a', Strategy: 'cluster', TagSpecifications: tagged('a') }),
    );
    assert.equal(created.PlacementGroup?.GroupName, 'dlrun-a');
    assert.match(created.PlacementGroup?.GroupId ?? '', /^pg-[0-9a-f]{17}$/);
    await ec2.send(
      new CreatePlacementGroupCommand({ GroupName: 'dlrun-b', Strategy: 'spread', TagSpecifications: tagged('b') }),
    );
    await assert.rejects(
      ec2.send(new CreatePlacementGroupCommand({ GroupName: 'dlrun-a', Strategy: 'cluster' })),
      ec2Error('InvalidPlacementGroup.Duplicate', "The Placement Group 'dlrun-a' already exists."),
    );

    const names = async (input: DescribePlacementGroupsCommandInput) =>
      ((await ec2.send(new DescribePlacementGroupsCommand(input))).PlacementGroups ?? []).map(
        (group) => group.GroupName,
      );
    assert.deepEqual(await names({}), ['dlrun-a', 'dlrun-b']);
    assert.deepEqual(await names({ Filters: [{ Name: 'tag:dlrun-job-id', Values: ['b'] }] }), ['dlrun-b']);
    assert.deepEqual(await names({ Filters: [{ Name: 'strategy', Values: ['cluster'] }] }), ['dlrun-a']);
    assert.deepEqual(await names({ Filters: [{ Name: 'tag-key', Values: ['dlrun-job-id'] }] }), ['dlrun-a', 'dlrun-b']);
    assert.deepEqual(await names({ GroupNames: ['dlrun-b'] }), ['dlrun-b']);
    await assert.rejects(
      ec2.send(new DescribePlacementGroupsCommand({ GroupNames: ['dlrun-none'] })),
      ec2Error('InvalidPlacementGroup.Unknown', "The Placement Group 'dlrun-none' is unknown."),
    );
    const elsewhere = ec2Client(t, proxy.endpoint, { region: 'eu-west-1' });
    assert.deepEqual(
      (await elsewhere.send(new DescribePlacementGroupsCommand({}))).PlacementGroups,
      [],
      'placement groups are regional',
    );

    await ec2.send(new DeletePlacementGroupCommand({ GroupName: 'dlrun-a' }));
    await assert.rejects(
      ec2.send(new DeletePlacementGroupCommand({ GroupName: 'dlrun-a' })),
      ec2Error('InvalidPlacementGroup.Unknown', "The Placement Group 'dlrun-a' is unknown."),
    );
    assert.deepEqual(
      mock.groups().map((group) => [group.region, group.groupName, group.strategy, group.tags]),
      [['us-east-1', 'dlrun-b', 'spread', [{ Key: 'dlrun-job-id', Value: 'b' }]]],
    );

    const vpcs = await ec2.send(new DescribeVpcsCommand({}));
    assert.ok((vpcs.Vpcs ?? []).length > 0, "moto's default VPC");
    assert.equal(proxy.requests('DescribeVpcs'), 1, 'the command the mock does not answer went to moto');
    assert.equal(proxy.requests(), 1, 'and nothing else did');
    assert.deepEqual(
      mock.answered().map((call) => call.command),
      [
        ...Array<string>(3).fill('CreatePlacementGroup'),
        ...Array<string>(7).fill('DescribePlacementGroups'),
        ...Array<string>(2).fill('DeletePlacementGroup'),
      ],
    );
    const times = mock.answered().map((call) => call.at);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'in the order they were sent',
    );
  },
);

test(
  'a launch into a group goes to moto and its instances are remembered in the group; ' +
    'a launch into a group that does not exist is refused as EC2 refuses it, and nothing is launched',
  async (t) => {
    const proxy = await wire(t);
    if (!proxy) return;
    const mock = await mockPlacementGroups(t);
    const ec2 = ec2Client(t, proxy.endpoint);
    await ec2.send(new CreatePlacementGroupCommand({ GroupName: 'dlrun-c', Strategy: 'cluster' }));
    const launch = (group: string) =>
      new RunInstancesCommand({ ImageId: TEST_IMAGE, MinCount: 2, MaxCount: 2, Placement: { GroupName: group } });

    const launched = await ec2.send(launch('dlrun-c'));
    const ids = (launched.Instances ?? []).map((instance) => instance.InstanceId!);
    assert.equal(ids.length, 2);
    assert.deepEqual(
      ids.map((id) => mock.groupOf(id)),
      ['dlrun-c', 'dlrun-c'],
    );
    assert.equal(proxy.requests('RunInstances'), 1);

    await assert.rejects(
      ec2.send(launch('dlrun-missing')),
      ec2Error('InvalidPlacementGroup.Unknown', "The Placement Group 'dlrun-missing' is unknown."),
    );
    assert.equal(proxy.requests('RunInstances'), 1, 'the refused launch never reached moto');
    assert.equal((await allInstances(ec2)).length, 2);
    assert.deepEqual(mock.answered().at(-1)?.command, 'RunInstances');
  },
);

/** A node program run with the mock's preload, talking to moto: it prints what it printed, or fails. */
async function childWithMock(
  script: string,
  env: Record<string, string>,
  execArgv: readonly string[],
): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [...execArgv, '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
}

const CHILD_SCRIPT = `
import { CreatePlacementGroupCommand, DescribePlacementGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
const ec2 = new EC2Client({});
const before = await ec2.send(new DescribePlacementGroupsCommand({}));
await ec2.send(new CreatePlacementGroupCommand({ GroupName: 'from-child', Strategy: 'cluster' }));
console.log(JSON.stringify(before.PlacementGroups.map((group) => group.GroupName)));
`;

test('a child process given the preload and the state file has the same mock on the same groups', async (t) => {
  const proxy = await wire(t);
  if (!proxy) return;
  const mock = await mockPlacementGroups(t);
  const ec2 = ec2Client(t, proxy.endpoint);
  await ec2.send(new CreatePlacementGroupCommand({ GroupName: 'from-test', Strategy: 'cluster' }));

  const child = await childWithMock(
    CHILD_SCRIPT,
    { ...awsEnvironment(proxy.endpoint), ...mock.child.env },
    mock.child.execArgv,
  );
  assert.deepEqual(JSON.parse(child.stdout), ['from-test'], 'the child saw the test process group');
  const seen = (await ec2.send(new DescribePlacementGroupsCommand({}))).PlacementGroups ?? [];
  assert.deepEqual(
    seen.map((group) => group.GroupName),
    ['from-test', 'from-child'],
    "and the test process sees the child's",
  );
  assert.equal(proxy.requests(), 0, 'neither process sent a placement group call to moto');
});

test('the preload refuses to run without the variable that names the state file', async (t) => {
  const mock = await mockPlacementGroups(t);
  await assert.rejects(childWithMock('', {}, mock.child.execArgv), (error: Error & { stderr?: string }) => {
    assert.match(error.stderr ?? '', /DLRUN_TEST_PLACEMENT_GROUPS_STATE is not set/);
    return true;
  });
});

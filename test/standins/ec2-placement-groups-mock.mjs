// EC2 placement groups as a client mock (aws-sdk-client-mock): moto 5.2.1 does not implement them at all
// (CreatePlacementGroup and DescribePlacementGroups answer 500 NotImplementedError, and RunInstances drops
// Placement.GroupName). Plain JavaScript, so that a child `dlrun` can load it with `node --import` without compiling
// (ec2-placement-groups-preload.mjs); the types are in ec2-placement-groups-mock.d.mts, the test-side helper in
// ec2-client-mocks.ts. See README.md, "Client mocks".
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

// `require`, as adapters/ec2/ec2-sdk.ts loads the SDK: the same CommonJS module, so the same EC2Client class (the
// package has no exports map, so `import` would give that module too).
const require = createRequire(import.meta.url);
const ec2 = require('@aws-sdk/client-ec2');
const { mockClient } = require('aws-sdk-client-mock');

/** The class the mock patches; the test-side helper checks that it is the adapter's. */
export const EC2Client = ec2.EC2Client;

/** The variable that gives a child process the state file (ec2-placement-groups-preload.mjs). */
export const STATE_FILE_VARIABLE = 'DLRUN_TEST_PLACEMENT_GROUPS_STATE';

const PRELOAD = new URL('./ec2-placement-groups-preload.mjs', import.meta.url).href;
/** moto's account, so ARNs look like the ones moto gives. */
const ACCOUNT = '123456789012';
const STRATEGIES = ['cluster', 'spread', 'partition'];

/**
 * Answer CreatePlacementGroup, DescribePlacementGroups and DeletePlacementGroup in this process, refuse a RunInstances
 * into a group that does not exist (and remember which group each launched instance went to), and pass every other
 * EC2 command to the endpoint the client is configured with (moto, or the fault proxy in front of it), unchanged.
 * Every EC2Client of the process is patched (the prototype's send), the adapter's included.
 *
 * The state (groups by region, placements, the id sequence) lives in `stateFile`, read before and written (atomically:
 * a temporary file renamed) after each call, so a child process given the same file sees the same groups.
 */
export function installPlacementGroupsMock({ stateFile }) {
  if (typeof stateFile !== 'string' || stateFile === '')
    throw new Error('installPlacementGroupsMock needs a stateFile');
  if (!existsSync(stateFile)) save(stateFile, { version: 1, sequence: 0, groups: [], placed: {} });
  const answered = [];
  let requests = 0;
  const requestId = () => `placement-groups-mock-${process.pid}-${++requests}`;
  const metadata = () => ({ httpStatusCode: 200, requestId: requestId(), attempts: 1, totalRetryDelay: 0 });
  const log = (command, input, at = performance.now()) => answered.push({ at, command, input });
  /** Read, change and write the state in one synchronous step (no other call of this process runs in between). */
  const update = (change) => {
    const state = load(stateFile);
    const result = change(state);
    save(stateFile, state);
    return result;
  };

  const stub = mockClient(ec2.EC2Client);
  stub.send.callThrough();
  const original = stub.send.wrappedMethod;

  stub.on(ec2.CreatePlacementGroupCommand).callsFake(async (input, getClient) => {
    log('CreatePlacementGroup', input);
    const region = await getClient().config.region();
    if (input.DryRun) throw dryRun(requestId());
    const name = input.GroupName;
    if (!name) throw new Error('the placement group mock does not model a CreatePlacementGroup without a GroupName');
    if (!STRATEGIES.includes(input.Strategy))
      throw ec2Error(
        'InvalidParameterValue',
        `Value (${input.Strategy}) for parameter strategy is invalid. Unknown placement group strategy.`,
        requestId(),
      );
    const group = update((state) => {
      if (state.groups.some((known) => known.region === region && known.groupName === name))
        throw ec2Error('InvalidPlacementGroup.Duplicate', `The Placement Group '${name}' already exists.`, requestId());
      const created = {
        region,
        groupName: name,
        groupId: `pg-${(++state.sequence).toString(16).padStart(17, '0')}`,
        strategy: input.Strategy,
        state: 'available',
        tags: (input.TagSpecifications ?? [])
          .filter((spec) => spec.ResourceType === 'placement-group')
          .flatMap((spec) => spec.Tags ?? [])
          .map((tag) => ({ Key: tag.Key, Value: tag.Value ?? '' })),
      };
      state.groups.push(created);
      return created;
    });
    return { PlacementGroup: described(group), $metadata: metadata() };
  });

  stub.on(ec2.DescribePlacementGroupsCommand).callsFake(async (input, getClient) => {
    log('DescribePlacementGroups', input);
    const region = await getClient().config.region();
    if (input.DryRun) throw dryRun(requestId());
    if (input.GroupIds?.length) throw new Error('the placement group mock does not model GroupIds');
    const groups = load(stateFile).groups.filter((group) => group.region === region);
    const names = input.GroupNames ?? [];
    const unknown = names.find((name) => !groups.some((group) => group.groupName === name));
    if (unknown !== undefined)
      throw ec2Error('InvalidPlacementGroup.Unknown', `The Placement Group '${unknown}' is unknown.`, requestId());
    const found = groups.filter(
      (group) =>
        (names.length === 0 || names.includes(group.groupName)) &&
        (input.Filters ?? []).every((filter) => matchesFilter(group, filter)),
    );
    return { PlacementGroups: found.map(described), $metadata: metadata() };
  });

  stub.on(ec2.DeletePlacementGroupCommand).callsFake(async (input, getClient) => {
    log('DeletePlacementGroup', input);
    const region = await getClient().config.region();
    if (input.DryRun) throw dryRun(requestId());
    const name = input.GroupName;
    update((state) => {
      const index = state.groups.findIndex((group) => group.region === region && group.groupName === name);
      if (index < 0)
        throw ec2Error('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`, requestId());
      state.groups.splice(index, 1);
    });
    return { $metadata: metadata() };
  });

  // A launch goes to moto (the same command input, sent by the real send); only one into a group that does not
  // exist is refused here, as EC2 refuses it, before anything is launched.
  stub.on(ec2.RunInstancesCommand).callsFake(async (input, getClient) => {
    const at = performance.now();
    const client = getClient();
    const name = input.Placement?.GroupName;
    if (name) {
      const region = await client.config.region();
      const known = load(stateFile).groups.some((group) => group.region === region && group.groupName === name);
      if (!known) {
        log('RunInstances', input, at);
        throw ec2Error('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`, requestId());
      }
    }
    const answer = await original.call(client, new ec2.RunInstancesCommand(input));
    if (name && !input.DryRun)
      update((state) => {
        for (const instance of answer.Instances ?? []) state.placed[instance.InstanceId] = name;
      });
    return answer;
  });

  return {
    stateFile,
    child: { execArgv: [`--import=${PRELOAD}`], env: { [STATE_FILE_VARIABLE]: stateFile } },
    groups: () => load(stateFile).groups.map((group) => ({ ...group, tags: group.tags.map((tag) => ({ ...tag })) })),
    groupOf: (instanceId) => load(stateFile).placed[instanceId],
    answered: () => [...answered],
    // Once only, and only while the stub is still this mock's (mockClient replaces an earlier stub of the class).
    restore: () => {
      if (ec2.EC2Client.prototype.send === stub.send) stub.restore();
    },
  };
}

function load(stateFile) {
  return JSON.parse(readFileSync(stateFile, 'utf8'));
}

function save(stateFile, state) {
  const temporary = `${stateFile}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state)}\n`);
  renameSync(temporary, stateFile);
}

/** A group as DescribePlacementGroups and CreatePlacementGroup give it. */
function described(group) {
  return {
    GroupName: group.groupName,
    GroupId: group.groupId,
    Strategy: group.strategy,
    State: group.state,
    GroupArn: `arn:aws:ec2:${group.region}:${ACCOUNT}:placement-group/${group.groupName}`,
    Tags: group.tags.map((tag) => ({ ...tag })),
  };
}

function matchesFilter(group, filter) {
  const values = filter.Values ?? [];
  const tag = (key) => group.tags.find((candidate) => candidate.Key === key);
  if (filter.Name === 'group-name') return values.includes(group.groupName);
  if (filter.Name === 'group-id') return values.includes(group.groupId);
  if (filter.Name === 'strategy') return values.includes(group.strategy);
  if (filter.Name === 'state') return values.includes(group.state);
  if (filter.Name === 'tag-key') return values.some((key) => tag(key) !== undefined);
  if (filter.Name?.startsWith('tag:')) {
    const found = tag(filter.Name.slice(4));
    return found !== undefined && values.includes(found.Value);
  }
  throw new Error(`the placement group mock does not model the filter ${filter.Name}`);
}

/** An error as the SDK gives EC2's (an EC2ServiceException named by the code, with Code and Error as well). */
function ec2Error(code, message, requestId) {
  const error = new ec2.EC2ServiceException({
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: 400, requestId, attempts: 1, totalRetryDelay: 0 },
    message,
  });
  return Object.assign(error, { Code: code, Error: { Code: code, Message: message } });
}

function dryRun(requestId) {
  return ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', requestId);
}

import assert from 'node:assert/strict';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { awsSdk } from '../../adapters/ec2/ec2-sdk.js';
import { defer } from '../support/cleanup.js';
import { tempDir } from '../support/temp-dir.js';
import { EC2Client, installPlacementGroupsMock, type PlacementGroupsMock } from './ec2-placement-groups-mock.mjs';

export type { AnsweredCall, MockedPlacementGroup, PlacementGroupsMock } from './ec2-placement-groups-mock.mjs';

/**
 * EC2 placement groups answered by a client mock in this process (moto has none), every other EC2 command sent to
 * the client's endpoint as usual; restored when the test ends. Give the result to runCli's or startCli's
 * `placementGroups` option and the child `dlrun` gets the same mock, on the same groups.
 */
export async function mockPlacementGroups(t: TestContext): Promise<PlacementGroupsMock> {
  // The mock is plain JavaScript (a child `dlrun` loads the same file with `node --import`).
  assert.equal(EC2Client, awsSdk().ec2.EC2Client, 'the mock patches the EC2Client class the adapter loads');
  const mock = installPlacementGroupsMock({
    stateFile: path.join(tempDir(t, 'dlrun-placement-'), 'state.json'),
  });
  defer(t, () => mock.restore());
  return mock;
}

// `node --import <this file> dist/src/cli/bin.js ...`: the placement group mock of ec2-placement-groups-mock.mjs in a
// child `dlrun`, sharing its state with the test through the JSON file named by DLRUN_TEST_PLACEMENT_GROUPS_STATE
// (runCli and startCli do this with their `placementGroups` option).
import { installPlacementGroupsMock, STATE_FILE_VARIABLE } from './ec2-placement-groups-mock.mjs';

const stateFile = process.env[STATE_FILE_VARIABLE];
if (!stateFile)
  throw new Error(
    `${STATE_FILE_VARIABLE} is not set: the placement group mock needs the state file it shares with the test`,
  );
installPlacementGroupsMock({ stateFile });

import type {
  CreatePlacementGroupCommandInput,
  DeletePlacementGroupCommandInput,
  DescribePlacementGroupsCommandInput,
  EC2Client as Ec2ClientClass,
  RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';

/** The class the mock patches (the prototype's send). */
export declare const EC2Client: typeof Ec2ClientClass;

/** The variable that gives a child process the state file. */
export declare const STATE_FILE_VARIABLE: 'DLRUN_TEST_PLACEMENT_GROUPS_STATE';

/** A placement group the mock keeps. */
export interface MockedPlacementGroup {
  readonly region: string;
  readonly groupName: string;
  readonly groupId: string;
  readonly strategy: string;
  readonly state: 'available';
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
}

/** A call the mock answered itself (none of these reached the endpoint), with performance.now() when it was sent. */
export type AnsweredCall = { readonly at: number } & (
  | { readonly command: 'CreatePlacementGroup'; readonly input: CreatePlacementGroupCommandInput }
  | { readonly command: 'DescribePlacementGroups'; readonly input: DescribePlacementGroupsCommandInput }
  | { readonly command: 'DeletePlacementGroup'; readonly input: DeletePlacementGroupCommandInput }
  /** A launch into a group that does not exist, refused. */
  | { readonly command: 'RunInstances'; readonly input: RunInstancesCommandInput }
);

export interface PlacementGroupsMock {
  readonly stateFile: string;
  /** What a child `node` needs to install the same mock on the same state (runCli's `placementGroups` option). */
  readonly child: { readonly execArgv: readonly string[]; readonly env: Readonly<Record<string, string>> };
  /** The groups every process sharing the state file created and did not delete, in every region. */
  groups(): MockedPlacementGroup[];
  /** The group a RunInstances of any process sharing the state placed the instance in, if any. */
  groupOf(instanceId: string): string | undefined;
  /** The calls this process's mock answered, in order. */
  answered(): readonly AnsweredCall[];
  /** EC2Client's own send again (then the test-side helper's own restore, when the test ends, changes nothing). */
  restore(): void;
}

export declare function installPlacementGroupsMock(options: { readonly stateFile: string }): PlacementGroupsMock;

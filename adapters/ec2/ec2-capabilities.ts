import { supported, unsupported, type BackendCapabilities } from '../../src/backend/capabilities.js';

/** AWS EC2: raw machines, per-second billing, limits enforced by a shutdown timer on the instance itself. */
export const ec2Capabilities: BackendCapabilities = {
  launch: supported(),
  gpu: supported(),
  spot: supported(),
  // One cluster placement group; RunInstances launches the nodes all-or-nothing.
  multiNode: supported({ maxNodes: 64 }),
  logs: supported({ follow: true }),
  providerEnforcedMaxRuntime: supported(),
  providerEnforcedMaxCost: supported(),
  // DescribeInstances takes up to 1,000 instance ids per call.
  batchStatus: supported({ maxPerCall: 1000 }),
  providerBilling: supported({ source: 'AWS Cost Explorer, by the dlrun-job-id cost allocation tag' }),
  ownedMachine: unsupported('EC2 instances are rented from AWS, billed by the second'),
  runsOnSubmittingMachine: unsupported('jobs run on EC2 instances, never on the machine that submits them'),
  jobsLiveOnHost: unsupported('EC2 jobs are reached through AWS, from any host with the credentials'),
};

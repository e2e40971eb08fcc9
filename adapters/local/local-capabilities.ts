import { supported, unsupported, type BackendCapabilities } from '../../src/backend/capabilities.js';

/** The local backend: this machine, owned, never taken back, billed by what owning it costs. */
export const localCapabilities: BackendCapabilities = {
  launch: supported(),
  gpu: supported(),
  spot: unsupported('an owned machine has no spot capacity: nobody takes it back'),
  multiNode: unsupported('the local backend runs on this one machine'),
  logs: supported({ follow: true }),
  providerEnforcedMaxRuntime: supported(),
  providerEnforcedMaxCost: supported(),
  batchStatus: supported({ maxPerCall: 10_000 }),
  providerBilling: unsupported('nobody bills an owned machine: dlrun computes its cost from backends.local'),
  ownedMachine: supported(),
  runsOnSubmittingMachine: supported(),
  // Its process and job folder are this machine's: another host sharing the ledger cannot reach them.
  jobsLiveOnHost: supported(),
};

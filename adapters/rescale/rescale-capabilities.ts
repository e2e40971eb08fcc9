import { supported, unsupported, type BackendCapabilities } from '../../src/backend/capabilities.js';

/** Rescale: per core-hour, a walltime enforced by the platform, no per-job charge in the API. */
export const rescaleCapabilities: BackendCapabilities = {
  launch: supported(),
  gpu: supported(),
  // isLowPriority: On-Demand Economy, which may be stopped and restarted.
  spot: supported(),
  // Rescale starts the command on the first node only [S]; the job reaches the others itself (mpirun and
  // $HOME/machinefile), as Rescale's own jobs do.
  multiNode: supported({ maxNodes: 64, commandOn: 'first-node' }),
  // The run's live view of its work directory while it runs, the job's files once it ends.
  logs: supported({ follow: true }),
  // hardware.walltime stops the job on Rescale's side; it is counted in whole hours.
  providerEnforcedMaxRuntime: supported(),
  providerEnforcedMaxCost: supported(),
  batchStatus: supported({ maxPerCall: 100 }),
  providerBilling: unsupported("Rescale's API has no per-job charge, only monthly workspace totals"),
  ownedMachine: unsupported('Rescale runs jobs on machines rented by the core-hour'),
  runsOnSubmittingMachine: unsupported("jobs run on Rescale's machines, never on the machine that submits them"),
  jobsLiveOnHost: unsupported("Rescale jobs are reached through Rescale's API, from any host with the key"),
};

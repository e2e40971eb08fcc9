import { supported, unsupported, type BackendCapabilities } from '../../src/backend/capabilities.js';

/** Vertex AI custom jobs: managed, a provider-side timeout, no per-job cost in the API. */
export const vertexCapabilities: BackendCapabilities = {
  launch: supported(),
  gpu: supported(),
  // scheduling.strategy SPOT.
  spot: supported(),
  multiNode: supported({ maxNodes: 64 }),
  // The log node 0's bootstrap uploads to the staging bucket while the job runs (every 30 s) and at its end.
  logs: supported({ follow: true }),
  // scheduling.timeout cancels the job on Google's side.
  providerEnforcedMaxRuntime: supported(),
  providerEnforcedMaxCost: supported(),
  batchStatus: supported({ maxPerCall: 100 }),
  providerBilling: unsupported(
    'Vertex AI reports no cost per job; ' +
      'the authoritative figure is the Cloud Billing export to BigQuery, which dlrun does not read',
  ),
  ownedMachine: unsupported('Vertex AI runs jobs on machines rented from Google Cloud'),
  runsOnSubmittingMachine: unsupported("jobs run on Vertex AI's machines, never on the machine that submits them"),
  jobsLiveOnHost: unsupported('Vertex AI jobs are reached through Google Cloud, from any host with the credentials'),
};

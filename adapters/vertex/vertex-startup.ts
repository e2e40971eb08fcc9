import type { StartupDefault } from '../../src/cost/backend-pricing.js';

/**
 * How long a Vertex AI custom job takes to start before its command runs when this ledger has not measured it.
 * Google says a custom job's start-up (creating its compute resources) can be longer than a short job's training
 * time, and sells persistent resources to cut it, but gives no figure (persistent-resource-overview); "a few
 * minutes" is the common report, so dlrun counts 5 minutes [U]. dlrun bills a Vertex job from its startTime
 * (vertex-job-bill.ts), so what counts here is the part after it: pulling the container and dlrun's setup.
 */
export const VERTEX_STARTUP: StartupDefault = {
  seconds: 300,
  source:
    "a few minutes to create a custom job's compute resources and start its container, no figure published " +
    '(https://cloud.google.com/vertex-ai/docs/training/persistent-resource-overview: persistent resources ' +
    '"reduce the job startup time that\'s otherwise needed for compute resource creation"): dlrun counts 5 minutes',
  as_of: '2026-12-06',
  unconfirmed: true,
};

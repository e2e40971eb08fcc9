import type { PriceSnapshot } from '../../src/cost/price-snapshot.js';
import type { SeededRandom } from './random.js';

/**
 * What a job on each backend leaves in a ledger: the price snapshot taken at launch, the provider's own words
 * for its states and the shape of its external id. The prices are plausible stand-ins for the benchmark's data,
 * not catalog figures.
 */
export interface BackendSample {
  readonly name: string;
  /** How many of the seeded jobs ran on this backend, relative to the others. */
  readonly weight: number;
  readonly price: PriceSnapshot;
  readonly providerStates: { readonly starting: string; readonly running: string; readonly ended: string };
  externalId(random: SeededRandom): string;
}

export const BACKEND_SAMPLES: readonly BackendSample[] = [
  {
    name: 'local',
    weight: 40,
    price: {
      machine: 'this machine',
      rate_per_hour_usd: 0.35,
      billing_increment_s: 1,
      minimum_billed_s: 0,
      price_source: 'backends.local.hourly_rate: $0.35/h',
      price_as_of: '2026-01-15',
    },
    providerStates: { starting: 'starting', running: 'running', ended: 'exited' },
    externalId: (random) => `pid-${Math.floor(random.between(1000, 99999))}`,
  },
  {
    name: 'ec2',
    weight: 35,
    price: {
      machine: 'g4dn.xlarge',
      rate_per_hour_usd: 0.526,
      billing_increment_s: 1,
      minimum_billed_s: 60,
      price_source: 'https://aws.amazon.com/ec2/pricing/on-demand/',
      price_as_of: '2026-01-15',
    },
    providerStates: { starting: 'pending', running: 'running', ended: 'terminated' },
    externalId: (random) => `i-${random.hex(17)}`,
  },
  {
    name: 'vertex',
    weight: 15,
    price: {
      machine: 'n1-standard-4 + 1 x NVIDIA_TESLA_T4',
      rate_per_hour_usd: 0.5694,
      billing_increment_s: 30,
      minimum_billed_s: 60,
      price_source: 'https://cloud.google.com/vertex-ai/pricing#custom-trained_models',
      price_as_of: '2026-01-15',
      unconfirmed: true,
    },
    providerStates: { starting: 'JOB_STATE_PENDING', running: 'JOB_STATE_RUNNING', ended: 'JOB_STATE_SUCCEEDED' },
    externalId: (random) =>
      `projects/123456789012/locations/us-central1/customJobs/${Math.floor(random.between(1e15, 9e15))}`,
  },
  {
    name: 'rescale',
    weight: 10,
    price: {
      machine: 'emerald x 4 cores',
      rate_per_hour_usd: 0.4,
      billing_increment_s: 60,
      minimum_billed_s: 60,
      price_source: 'https://rescale.com/pricing/',
      price_as_of: '2026-01-15',
    },
    providerStates: { starting: 'Queued', running: 'Executing', ended: 'Completed' },
    externalId: (random) => random.hex(6),
  },
];

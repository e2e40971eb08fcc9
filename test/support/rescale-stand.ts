// The Rescale backend's world for a test: the Rescale stand-in (with the core types dlrun's price table knows, so a
// job's hardware can be chosen and priced) and a context whose settings point dlrun at it.
import type { TestContext } from 'vitest';
import { asLedgerId, type LedgerId } from '../../src/backend/job-id.js';
import type { BackendContext } from '../../src/backend/training-backend.js';
import { DEFAULT_CORE_TYPES, type RescaleCoreTypeOffer } from '../standins/rescale-coretypes.js';
import { type RescaleServer, type RescaleServerOptions, rescaleServerFor } from '../standins/rescale-server.js';
import { tempDir } from './temp-dir.js';

/** standard-plus, priced in dlrun's table (src/cost/catalogs/rescale-prices.ts): the cheapest, so jobs land on it. */
export const PRICED_CORE_TYPE: RescaleCoreTypeOffer = {
  code: 'standard-plus',
  name: 'Marble',
  price: 0.1,
  lowPriorityPrice: 0.05,
  cores: [1, 2, 4, 8],
  memory: 3750,
  storage: 100,
  isDeprecated: false,
  walltimeRequired: false,
  gpuCount: 0,
  gpuType: null,
};

export interface RescaleStand {
  readonly rescale: RescaleServer;
  /** The settings a user's shell would hold: the key and the platform. */
  readonly env: Record<string, string>;
  readonly context: BackendContext;
  readonly ledgerId: LedgerId;
}

export async function rescaleStandFor(
  t: TestContext,
  options: RescaleServerOptions & { ledgerId?: string } = {},
): Promise<RescaleStand> {
  const rescale = await rescaleServerFor(t, { coreTypes: [...DEFAULT_CORE_TYPES, PRICED_CORE_TYPE], ...options });
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    RESCALE_API_KEY: rescale.apiKey,
    RESCALE_PLATFORM_URL: rescale.url,
  };
  const ledgerId = asLedgerId(options.ledgerId ?? 'rescale-stand-ledger');
  return { rescale, env, ledgerId, context: { ledgerId, home: tempDir(t, 'dlrun-home-'), env } };
}

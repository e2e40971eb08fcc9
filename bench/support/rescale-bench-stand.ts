import type { ProxyEvent } from '../../test/standins/fault-proxy.js';
import { DEFAULT_CORE_TYPES } from '../../test/standins/rescale-coretypes.js';
import { route } from '../../test/standins/rescale-routes.js';
import {
  type RescaleServer,
  type RescaleServerOptions,
  startRescaleServer,
} from '../../test/standins/rescale-server.js';
import { PRICED_CORE_TYPE } from '../../test/support/rescale-stand.js';
import { startTimingProxy, type TimingProxy } from './timing-proxy.js';

export const BENCH_RESCALE_KEY = 'dlrun-bench-rescale-key';

/**
 * The Rescale stand-in behind a timing proxy, and the settings that point a `dlrun` child at the proxy.
 * test/support/rescale-stand.ts is the tests' version, tied to a vitest TestContext.
 */
export interface RescaleBenchStand {
  readonly rescale: RescaleServer;
  readonly proxy: TimingProxy;
  /** The key and the platform (the proxy), as a user's shell would hold them. */
  readonly env: Readonly<Record<string, string>>;
  /** The same with the stand-in's own URL: for seeding, which is not timed. */
  readonly directEnv: Readonly<Record<string, string>>;
  /** The proxy's events, for requestTime(): the time at least one Rescale request was in flight. */
  events(): readonly ProxyEvent[];
  clear(): void;
  stop(): Promise<void>;
}

/** Requests by what they do, in the stand-in's words for Rescale's endpoints: `listJobs`, `createJob`, ... */
export function rescaleLabel(method: string, path: string): string {
  const { action } = route(method, path);
  return action === 'unknown' ? `${method} ${path}` : action;
}

/** The requests since the last clear(), by kind: `Rescale: 1 coreTypes, 2 listJobs, ...`. */
export function rescaleRequestKinds(stand: Pick<RescaleBenchStand, 'proxy'>): string[] {
  const counts = [...stand.proxy.counts()].map(([kind, count]) => `${count} ${kind}`).join(', ');
  return [`Rescale: ${counts || 'none'}`];
}

/** The stand-in offers the core type dlrun's price table knows (standard-plus), so jobs can be planned and priced. */
export async function startRescaleBenchStand(options: RescaleServerOptions = {}): Promise<RescaleBenchStand> {
  const rescale = await startRescaleServer({
    apiKey: BENCH_RESCALE_KEY,
    coreTypes: [...DEFAULT_CORE_TYPES, PRICED_CORE_TYPE],
    ...options,
  });
  let proxy: TimingProxy;
  try {
    proxy = await startTimingProxy(rescale.url, { label: rescaleLabel, keepHost: true });
  } catch (error) {
    await rescale.close();
    throw error;
  }
  const settings = (url: string) => ({ RESCALE_API_KEY: BENCH_RESCALE_KEY, RESCALE_PLATFORM_URL: url });
  return {
    rescale,
    proxy,
    env: settings(proxy.url),
    directEnv: settings(rescale.url),
    events: () => proxy.events(),
    clear: () => proxy.clear(),
    // The proxy first, then the stand-in behind it (which kills the jobs' commands).
    stop: async () => {
      await proxy.close();
      await rescale.close();
    },
  };
}

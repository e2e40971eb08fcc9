import type { ProxyEvent } from '../../test/standins/fault-proxy.js';
import { makeTempFolder, removeFolder } from './temp-folder.js';

/** A provider's stand-ins behind timing proxies (vertex-bench-stand.ts, rescale-bench-stand.ts) for a benchmark. */
export interface ProxiedStand {
  /** The settings that point a `dlrun` child at the proxies. */
  readonly env: Readonly<Record<string, string>>;
  /** The proxies' events, for requestTime(): the time at least one provider request was in flight. */
  events(): readonly ProxyEvent[];
  clear(): void;
  stop(): Promise<void>;
}

/** Starts the stand, then a temporary folder for `body`; both removed once it ends, the folder first. */
export async function withStandAndFolder<Stand extends ProxiedStand, Result>(
  startStand: () => Promise<Stand>,
  folderPrefix: string,
  body: (stand: Stand, root: string) => Promise<Result>,
): Promise<Result> {
  const stand = await startStand();
  const root = makeTempFolder(folderPrefix);
  try {
    return await body(stand, root);
  } finally {
    removeFolder(root);
    await stand.stop();
  }
}

import type { LedgerId } from '../../src/backend/job-id.js';
import type { TestContext } from 'vitest';
import type { BackendContext } from '../../src/backend/training-backend.js';
import { startFaultProxy, type FaultProxy } from '../standins/fault-proxy.js';
import type { MotoServer } from '../standins/moto-server.js';
import { defer } from './cleanup.js';
import { ec2Env } from './ec2-cli.js';
import { tempDir } from './temp-dir.js';

/**
 * moto, the fault proxy in front of it (counting and shaping what the backend asks), and a backend
 * context using it.
 */
export interface ProxiedStand {
  readonly moto: MotoServer;
  readonly proxy: FaultProxy;
  readonly context: BackendContext;
}

/** Undefined when this file's moto is missing (motoForThisFile has then skipped the test, or failed it under CI). */
export async function proxiedStand(
  t: TestContext,
  motoFor: (t: TestContext) => MotoServer | undefined,
  ledgerId: LedgerId,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<ProxiedStand | undefined> {
  const moto = motoFor(t);
  if (!moto) return undefined;
  const proxy = await startFaultProxy(moto.endpoint);
  defer(t, () => proxy.close());
  return { moto, proxy, context: { ledgerId, home: tempDir(t, 'dlrun-home-'), env: ec2Env(proxy.endpoint, extraEnv) } };
}

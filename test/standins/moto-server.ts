import { afterAll, beforeAll, beforeEach, type TestContext } from 'vitest';
import {
  MOTO_MISSING_HERE,
  MOTO_MISSING_IN_CI,
  motoInstalled,
  startMoto,
  type MotoServer,
  type StartMotoOptions,
} from './moto-stand-in.js';

// moto_server for test files: the stand-in (moto-stand-in.ts) and the per-file lifecycle that vitest drives.
export * from './moto-stand-in.js';

/**
 * For a test that needs moto: true when it is installed. Otherwise fails under CI=true (a skipped AWS test there
 * would hide a regression) and elsewhere skips the test with a reason that says what to install.
 */
export function skipOrFailWithoutMoto(
  t: { skip(note: string): void },
  isInstalled = motoInstalled(),
  ci = process.env.CI === 'true',
): boolean {
  if (isInstalled) return true;
  if (ci) throw new Error(MOTO_MISSING_IN_CI);
  t.skip(MOTO_MISSING_HERE);
  return false;
}

/**
 * One moto_server for the calling test FILE (call at the top level): started before its first test, emptied
 * between tests, stopped after the last. Each test asks for it with the returned function, which skips the test
 * (or, under CI, fails it) when moto is not installed.
 */
export function motoForThisFile(options: StartMotoOptions = {}): (t: TestContext) => MotoServer | undefined {
  let server: MotoServer | undefined;
  let used = false;
  beforeAll(async () => {
    if (!motoInstalled()) {
      if (process.env.CI === 'true') throw new Error(MOTO_MISSING_IN_CI);
      return;
    }
    server = await startMoto(options);
  });
  beforeEach(async () => {
    if (server && used) await server.reset();
    used = false;
  });
  afterAll(async () => {
    await server?.stop();
  });
  return (t) => {
    if (!skipOrFailWithoutMoto(t)) return undefined;
    if (!server)
      throw new Error('moto_server is installed but was not started: see the failure of the file-level before hook');
    used = true;
    return server;
  };
}

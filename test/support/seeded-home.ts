import type { TestContext } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import { openLedger } from '../../src/ledger/open-ledger.js';
import { tempDir } from './temp-dir.js';

/** A fresh DLRUN_HOME whose ledger, opened exactly as dlrun opens it, holds what `seed` writes. */
export async function seededHome(t: TestContext, seed: (ledger: Ledger) => Promise<void>): Promise<string> {
  const home = tempDir(t);
  const ledger = await openLedger(loadConfig({ DLRUN_HOME: home }, home));
  try {
    await seed(ledger);
  } finally {
    await ledger.close();
  }
  return home;
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import { DlrunError } from '../backend/errors.js';
import type { Config } from '../config.js';
import type { Ledger } from './ledger.js';

export function ledgerFile(config: Config): string {
  return path.join(config.home, 'ledger.db');
}

/** Open the ledger for writing, creating it (with its id) on first use. */
export async function openLedger(config: Config): Promise<Ledger> {
  if (config.dbUrl) {
    throw new DlrunError(`DLRUN_DB_URL is set (${redact(config.dbUrl)}), but this version of dlrun keeps its ledger in SQLite only`, {
      hint: `unset DLRUN_DB_URL to use the ledger in ${ledgerFile(config)}`,
    });
  }
  const { SqliteLedger } = await import('./sqlite-ledger.js');
  return SqliteLedger.open(ledgerFile(config), { busyTimeoutMs: config.ledgerTimeoutMs });
}

/** Open the ledger to read it, or undefined when none has been created yet (reading never creates one). */
export async function openExistingLedger(config: Config): Promise<Ledger | undefined> {
  if (!config.dbUrl && !existsSync(ledgerFile(config))) return undefined;
  return openLedger(config);
}

/** A database URL without its password, for messages. */
function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { DlrunError } from '../base/errors.js';
import type { Config } from '../config.js';
import type { Ledger } from './ledger.js';
import { type LedgerUrl, ledgerUrl } from './ledger-url.js';

export function ledgerFile(config: Config): string {
  return path.join(config.home, 'ledger.db');
}

/**
 * Refuse a DLRUN_HOME that cannot be a folder: a regular file there (or on the way there) would otherwise surface
 * as ENOTDIR from deep inside SQLite or a job folder's mkdir. A DLRUN_HOME that does not exist yet is fine: the
 * first submit makes it.
 */
export function checkHomeFolder(config: Config): void {
  for (let folder = config.home; ; folder = path.dirname(folder)) {
    let isFolder: boolean;
    try {
      isFolder = statSync(folder).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(folder) !== folder) continue; // Look further up.
      return; // Permission problems are the ledger's to report, with its own message.
    }
    if (isFolder) return;
    throw new DlrunError(
      folder === config.home
        ? `DLRUN_HOME (${config.home}) is a file, not a folder`
        : `DLRUN_HOME (${config.home}) cannot be a folder: ${folder} is a file`,
      {
        hint:
          'point DLRUN_HOME at a folder (dlrun keeps its ledger and job folders there), ' +
          'or unset it to use ~/.dlrun',
      },
    );
  }
}

/**
 * Open the ledger for writing, creating it (with its id) on first use: the PostgreSQL team ledger when a URL is set
 * (DLRUN_DB_URL, or ledger.url in $DLRUN_HOME/config.yaml), else the SQLite file under DLRUN_HOME.
 */
export async function openLedger(config: Config): Promise<Ledger> {
  checkHomeFolder(config);
  return openAt(config, await ledgerUrl(config));
}

/** Open the ledger to read it, or undefined when none has been created yet (reading never creates one). */
export async function openExistingLedger(config: Config): Promise<Ledger | undefined> {
  checkHomeFolder(config);
  const shared = await ledgerUrl(config);
  // A shared ledger is opened (and, new, migrated) even to read: its database exists, only its tables may not.
  if (!shared && !existsSync(ledgerFile(config))) return undefined;
  return openAt(config, shared);
}

async function openAt(config: Config, shared: LedgerUrl | undefined): Promise<Ledger> {
  if (shared) {
    const { PgLedger } = await import('./pg-ledger.js');
    return PgLedger.open(shared.url, { timeoutMs: config.ledgerTimeoutMs });
  }
  const { SqliteLedger } = await import('./sqlite-ledger.js');
  return SqliteLedger.open(ledgerFile(config), { busyTimeoutMs: config.ledgerTimeoutMs });
}

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { DlrunError } from '../base/errors.js';
import type { Config } from '../config.js';
import type { Ledger } from './ledger.js';

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

/** Open the ledger for writing, creating it (with its id) on first use. */
export async function openLedger(config: Config): Promise<Ledger> {
  checkHomeFolder(config);
  if (config.dbUrl) {
    throw new DlrunError(
      `DLRUN_DB_URL is set (${redact(config.dbUrl)}), but this version of dlrun keeps its ledger in SQLite only`,
      {
        hint: `unset DLRUN_DB_URL to use the ledger in ${ledgerFile(config)}`,
      },
    );
  }
  const { SqliteLedger } = await import('./sqlite-ledger.js');
  return SqliteLedger.open(ledgerFile(config), { busyTimeoutMs: config.ledgerTimeoutMs });
}

/** Open the ledger to read it, or undefined when none has been created yet (reading never creates one). */
export async function openExistingLedger(config: Config): Promise<Ledger | undefined> {
  checkHomeFolder(config);
  if (!config.dbUrl && !existsSync(ledgerFile(config))) return undefined;
  return openLedger(config);
}

/** A database URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}

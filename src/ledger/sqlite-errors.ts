import { LedgerError } from '../base/errors.js';

/**
 * Turn SQLite's error codes into errors that name the ledger file and say what to do. Anything not listed
 * here is not the user's doing and is rethrown as it is (a bug report).
 */
export function ledgerErrorFrom(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  const fail = (message: string, hint: string, retryable = false): LedgerError =>
    new LedgerError(`${message}: ${file}`, file, { hint, retryable, cause: error });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return fail(
      'the ledger is locked by another process',
      'another dlrun (or a tool with the ledger open) is writing to it; wait for it to finish and try again',
      true,
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return fail(
      'the ledger is read-only',
      'make the file and its folder writable for you, or point DLRUN_HOME at a folder you can write',
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return fail(
      'the ledger is corrupt or not a dlrun ledger',
      `move it aside (mv ${file} ${file}.broken) to start a new one; ` +
        "jobs it knew of may still be billing, so check your providers' consoles",
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return fail(
      'cannot open the ledger',
      'check that the file and its folder exist and that you may read and write them',
    );
  }
  if (code === 'SQLITE_FULL') return fail('the disk holding the ledger is full', 'free some space and try again');
  if (code.startsWith('SQLITE_IOERR'))
    return fail('the ledger could not be read or written (I/O error)', 'check the disk holding it');
  return error;
}

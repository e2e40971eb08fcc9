import { DlrunError, LedgerError } from '../base/errors.js';

/** Node's network error codes: the database cannot be reached at all. */
const UNREACHABLE = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'];
/** Node's codes, and pg's messages, for a connection that was there and went away. */
const DROPPED_CODES = ['ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03'];
const DROPPED_MESSAGES = /connection terminated|terminating connection|server closed the connection/i;

/**
 * Turn what pg throws (the server's SQLSTATE errors, Node's network errors, pg's own messages) into errors that name
 * the database (its URL redacted) and say what to do. Every message passes through `scrub` first: the driver's and
 * the server's words are not ours, and the password must never be printed. An error that is neither the network's
 * nor the database's is a bug and is rethrown as it is.
 */
export function pgLedgerError(
  error: unknown,
  location: string,
  scrub: (text: string) => string,
  stage: 'connecting' | 'connected' = 'connected',
): unknown {
  if (error instanceof DlrunError) return error;
  if (!(error instanceof Error)) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const said = scrub(error.message);
  const fail = (message: string, hint: string, retryable = false): LedgerError =>
    // No `cause`: the driver's error holds the connection settings, password included.
    new LedgerError(`${message}: ${location}`, location, { hint, retryable });
  if (code === 'ERR_INVALID_URL') {
    return fail(
      'the ledger URL is not a valid URL',
      'write it as postgres://USER:PASSWORD@HOST:5432/DATABASE, with any @ : / or % in the password percent-encoded ' +
        '(@ is %40)',
    );
  }
  const file = (error as { path?: unknown }).path;
  if (typeof file === 'string' && ['ENOENT', 'EACCES', 'EISDIR', 'EPERM'].includes(code)) {
    return fail(
      `cannot read ${file}, which the ledger URL names for TLS (${code})`,
      'check sslrootcert, sslcert and sslkey in the URL: each must be a file you can read',
    );
  }
  const neverUp = stage === 'connecting' && (DROPPED_CODES.includes(code) || DROPPED_MESSAGES.test(said));
  if (neverUp || UNREACHABLE.includes(code) || /timeout expired|timeout exceeded when trying to connect/i.test(said)) {
    return fail(
      `cannot reach the ledger database (${said})`,
      'check that the server is running and that its host and port in DLRUN_DB_URL (or config.yaml) are right; ' +
        'a firewall or VPN may be in the way',
      true,
    );
  }
  if (code === '28P01' || code === '28000' || /password authentication failed|no password supplied/i.test(said)) {
    return fail(
      'the ledger database refused the user name or password',
      'check the user and password in DLRUN_DB_URL (or config.yaml), and that pg_hba.conf lets this user in from here',
    );
  }
  if (/does not support SSL/i.test(said)) {
    return fail(
      'the ledger database does not offer TLS, and the URL asks for it (sslmode)',
      'turn on ssl in the server (ssl = on in postgresql.conf, with a certificate); or, only on a network you ' +
        'trust, use sslmode=disable',
    );
  }
  if (/SSL|certificate|self[- ]signed|TLS/i.test(said) && !/^[0-9A-Z]{5}$/.test(code)) {
    return fail(
      `could not set up TLS with the ledger database (${said})`,
      'a server without TLS needs sslmode=disable (only on a network you trust); for a server whose certificate ' +
        'your system does not trust, add sslrootcert=/path/to/ca.pem, or use sslmode=require to encrypt unchecked',
    );
  }
  if (code === '3D000') {
    return fail(`the ledger database does not exist (${said})`, 'create it (createdb), or fix its name in the URL');
  }
  if (code === '25006') {
    return fail(
      'the ledger database is read-only (a standby or a read-only replica)',
      'point DLRUN_DB_URL at the primary server: dlrun writes every job it launches before launching it',
    );
  }
  if (code === '57014' || code === '55P03' || /query read timeout/i.test(said)) {
    return fail(
      'the ledger database did not answer in time',
      'another dlrun may hold a lock on the same job, or the server is overloaded; try again ' +
        '(DLRUN_LEDGER_TIMEOUT_MS sets the deadline, in milliseconds)',
      true,
    );
  }
  if (DROPPED_CODES.includes(code) || DROPPED_MESSAGES.test(said)) {
    return fail(
      `the connection to the ledger database was lost (${said})`,
      'nothing half-written was kept (every write is one transaction); check the network and the server, ' +
        'then try again',
      true,
    );
  }
  if (code === '40001' || code === '40P01') {
    return fail(`the ledger database gave up a transaction (${said})`, 'try again', true);
  }
  if (code === '42501') {
    return fail(
      `the ledger database refused access (${said})`,
      'the user needs to create tables in the database (the first run) and to read and write them',
    );
  }
  if (/^[0-9A-Z]{5}$/.test(code)) {
    return fail(
      `the ledger database refused a query (${said}, SQLSTATE ${code})`,
      'check the server log; if it persists, report it with this message',
    );
  }
  // A bug report: its message and stack, as scrubbed as the rest.
  error.message = said;
  if (error.stack) error.stack = scrub(error.stack);
  return error;
}

import type { Pool } from 'pg';
import { withLibpqSslModes } from './db-url.js';
import { pgLedgerError } from './pg-errors.js';

/** PostgreSQL's type ids of bigint (COUNT(*), BIGSERIAL ids) and numeric. */
const INT8 = 20;

/**
 * A small pool for one dlrun process. pg is imported here, on the first PostgreSQL ledger opened, never on
 * start-up: SQLite users and `--help` do not load it. Every network call has a deadline: connecting
 * (connectionTimeoutMillis), each statement on the server (statement_timeout, lock_timeout: a row another process
 * holds locked is waited for that long), and each query on the client (query_timeout, a little later, for a server
 * that stops answering at all).
 */
export async function openPgPool(url: string, timeoutMs: number): Promise<Pool> {
  const { default: pg } = await import('pg');
  const deadline = Math.max(timeoutMs, 1_000);
  const pool = new pg.Pool({
    connectionString: withLibpqSslModes(url),
    connectionTimeoutMillis: deadline,
    statement_timeout: deadline,
    lock_timeout: deadline,
    query_timeout: deadline + 2_000,
    idle_in_transaction_session_timeout: deadline * 2,
    application_name: 'dlrun',
    keepAlive: true,
    // A CLI run: a few connections at most (refreshing backends at once), none kept open when it is done.
    max: 4,
    idleTimeoutMillis: 1_000,
    allowExitOnIdle: true,
    // Ids and counts as numbers, as SQLite gives them (2^53 events is far away).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A connection that drops while idle is reported by the next query; without a listener it would crash the process.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * Connect once before anything else, so that a connection that never came up (a closed port, an address that never
 * answers until the deadline) is told apart from one lost later: pg says "connection terminated" for both.
 */
export async function firstConnection(pool: Pool, location: string, scrub: (text: string) => string): Promise<void> {
  try {
    (await pool.connect()).release();
  } catch (error) {
    throw pgLedgerError(error, location, scrub, 'connecting');
  }
}

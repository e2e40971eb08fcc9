import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { LedgerError } from '../base/errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';

/**
 * The advisory lock every dlrun takes to migrate a PostgreSQL ledger (the bytes of "dlrun" as a number): advisory
 * locks are per database, so ledgers in different databases of one server do not wait for each other.
 */
const MIGRATION_LOCK = 0x646c72756e;

/**
 * Bring the database's schema to this dlrun's and return the ledger id, made once with the first migration. Any
 * number of processes may open a new database at once: each waits for the advisory lock, in one transaction with
 * schema_migrations, so the first applies the migrations and the others find them applied. A ledger already at the
 * latest version costs one query and takes no lock.
 */
export async function migratePg(pool: Pool, location: string): Promise<string> {
  const found = await currentState(pool);
  if (found.version > LATEST_SCHEMA_VERSION) throw newerLedger(found.version, location);
  if (found.version === LATEST_SCHEMA_VERSION && found.ledgerId) return found.ledgerId;
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations ' +
        '(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const done = await appliedVersion(client);
    if (done > LATEST_SCHEMA_VERSION) throw newerLedger(done, location);
    if (done === 0) await refuseForeignJobsTable(client, location);
    for (const migration of MIGRATIONS.filter((candidate) => candidate.version > done)) {
      await client.query(migration.postgres);
      if (migration.version === 1) {
        await client.query(
          `INSERT INTO ledger_meta (key, value) VALUES ('ledger_id', $1), ('created_at', $2) ON CONFLICT DO NOTHING`,
          [randomBytes(8).toString('hex'), new Date().toISOString()],
        );
      }
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
    const id = await client.query<{ value: string }>(`SELECT value FROM ledger_meta WHERE key = 'ledger_id'`);
    await client.query('COMMIT');
    const ledgerId = id.rows[0]?.value;
    if (!ledgerId)
      throw new LedgerError(`the ledger database has no ledger id; dlrun did not create it: ${location}`, location);
    return ledgerId;
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(failed);
  }
}

/** The applied version and ledger id, or version 0 for a database without dlrun's tables. */
async function currentState(pool: Pool): Promise<{ version: number; ledgerId: string | undefined }> {
  try {
    const result = await pool.query<{ version: number | null; ledger_id: string | null }>(
      `SELECT (SELECT MAX(version) FROM schema_migrations) AS version,
              (SELECT value FROM ledger_meta WHERE key = 'ledger_id') AS ledger_id`,
    );
    const row = result.rows[0];
    return { version: row?.version ?? 0, ledgerId: row?.ledger_id ?? undefined };
  } catch (error) {
    // 42P01: no such table, a new database.
    if ((error as { code?: unknown }).code === '42P01') return { version: 0, ledgerId: undefined };
    throw error;
  }
}

async function appliedVersion(client: PoolClient): Promise<number> {
  const result = await client.query<{ version: number | null }>(
    'SELECT MAX(version) AS version FROM schema_migrations',
  );
  return result.rows[0]?.version ?? 0;
}

/** A database whose `jobs` table is another program's is not made into a ledger: dlrun would write into it. */
async function refuseForeignJobsTable(client: PoolClient, location: string): Promise<void> {
  const result = await client.query<{ jobs: string | null }>(`SELECT to_regclass('jobs')::text AS jobs`);
  if (result.rows[0]?.jobs === null || result.rows[0]?.jobs === undefined) return;
  throw new LedgerError(`the database has a 'jobs' table that dlrun did not make: ${location}`, location, {
    hint: 'give dlrun a database of its own (createdb dlrun) and point DLRUN_DB_URL at it',
  });
}

function newerLedger(version: number, location: string): LedgerError {
  return new LedgerError(
    `the ledger was written by a newer dlrun (schema ${version}, ` +
      `this dlrun knows ${LATEST_SCHEMA_VERSION}): ${location}`,
    location,
    { hint: 'upgrade dlrun' },
  );
}

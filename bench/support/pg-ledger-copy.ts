import Database from 'better-sqlite3';
import pg from 'pg';
import { PgLedger } from '../../src/ledger/pg-ledger.js';

/** The tables a seeded ledger fills, in an order their foreign keys allow. */
const TABLES = ['jobs', 'job_documents', 'job_events', 'refused_submits'] as const;
const ROWS_PER_INSERT = 1_000;

/**
 * Copy a seeded SQLite ledger into a new PostgreSQL database, rows and ledger id alike, so both benchmarks read
 * the same ledger. Seeding through PgLedger, one transaction per change as dlrun writes, would take minutes for a
 * year of jobs; the copy takes seconds. The schema is PgLedger's own (it is opened once first).
 */
export async function copyLedgerToPostgres(sqliteFile: string, url: string): Promise<void> {
  await (await PgLedger.open(url, { timeoutMs: 30_000 })).close();
  const source = new Database(sqliteFile, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const table of TABLES) {
      const rows = source.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      if (rows.length === 0) continue;
      const columns = Object.keys(rows[0]!);
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        const chunk = rows.slice(start, start + ROWS_PER_INSERT);
        const values = chunk.flatMap((row) => columns.map((column) => row[column]));
        const tuples = chunk.map(
          (_, row) => `(${columns.map((_, column) => `$${row * columns.length + column + 1}`).join(', ')})`,
        );
        await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
      }
      if (columns.includes('id')) {
        await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM ${table}))`);
      }
    }
    const id = source.prepare(`SELECT value FROM ledger_meta WHERE key = 'ledger_id'`).get() as { value: string };
    await client.query(`UPDATE ledger_meta SET value = $1 WHERE key = 'ledger_id'`, [id.value]);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
    source.close();
  }
}

/**
 * The ledger's schema, as numbered migrations applied in order and recorded in `schema_migrations`.
 * Never edit a migration that has shipped: add the next one. Times are ISO 8601 text in UTC, which sorts
 * correctly as text. A PostgreSQL ledger carries its own dialect of each migration under the same number.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  /**
   * The same migration for a PostgreSQL ledger (pg-migrate.ts). PostgreSQL has ADD COLUMN IF NOT EXISTS, so it needs
   * no `addColumns`; every statement is written to be safe on a database where an early build made part of it.
   */
  readonly postgres: string;
  /**
   * Columns added where they are missing. An early build created them in migration 1, so a ledger at version 1
   * may or may not have them; SQLite has no ADD COLUMN IF NOT EXISTS.
   */
  readonly addColumns?: readonly { readonly table: string; readonly column: string; readonly type: string }[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'jobs, their documents and events, and the ledger id',
    // A job's row stays small (listing 10,000 jobs reads every row); its large documents, the job as submitted
    // and its bill, live in job_documents, read one job at a time.
    sqlite: `
      CREATE TABLE ledger_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE jobs (
        job_id         TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        backend        TEXT NOT NULL,
        state          TEXT NOT NULL,
        phase          TEXT,
        provider_state TEXT,
        external_id    TEXT,
        exit_code      INTEGER,
        job_file       TEXT NOT NULL,
        price_json     TEXT,
        quoted_usd     REAL,
        billed_usd     REAL,
        submitted_at   TEXT NOT NULL,
        started_at     TEXT,
        ended_at       TEXT,
        phases_json    TEXT,
        updated_at     TEXT NOT NULL
      );
      CREATE INDEX jobs_by_state ON jobs (state);
      CREATE INDEX jobs_by_submitted_at ON jobs (submitted_at, job_id);
      CREATE TABLE job_documents (
        job_id    TEXT PRIMARY KEY REFERENCES jobs (job_id),
        spec_json TEXT NOT NULL,
        bill_json TEXT
      );
      CREATE TABLE job_events (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id         TEXT NOT NULL REFERENCES jobs (job_id),
        at             TEXT NOT NULL,
        recorded_at    TEXT NOT NULL,
        source         TEXT NOT NULL,
        state          TEXT,
        phase          TEXT,
        provider_state TEXT,
        message        TEXT
      );
      CREATE INDEX job_events_by_job ON job_events (job_id, id);
    `,
    // Text times as in SQLite (ISO 8601 in UTC sorts as text): the rows read back the same on both databases. Ids and
    // times sort byte by byte (COLLATE "C"), as SQLite sorts them, whatever the database's locale; their indexes
    // then serve ORDER BY and LIKE 'prefix%'.
    postgres: `
      CREATE TABLE IF NOT EXISTS ledger_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS jobs (
        job_id         TEXT COLLATE "C" PRIMARY KEY,
        name           TEXT NOT NULL,
        backend        TEXT NOT NULL,
        state          TEXT NOT NULL,
        phase          TEXT,
        provider_state TEXT,
        external_id    TEXT,
        exit_code      INTEGER,
        job_file       TEXT NOT NULL,
        price_json     TEXT,
        quoted_usd     DOUBLE PRECISION,
        billed_usd     DOUBLE PRECISION,
        submitted_at   TEXT COLLATE "C" NOT NULL,
        started_at     TEXT,
        ended_at       TEXT,
        phases_json    TEXT,
        updated_at     TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state);
      CREATE INDEX IF NOT EXISTS jobs_by_submitted_at ON jobs (submitted_at, job_id);
      CREATE TABLE IF NOT EXISTS job_documents (
        job_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES jobs (job_id),
        spec_json TEXT NOT NULL,
        bill_json TEXT
      );
      CREATE TABLE IF NOT EXISTS job_events (
        id             BIGSERIAL PRIMARY KEY,
        job_id         TEXT COLLATE "C" NOT NULL REFERENCES jobs (job_id),
        at             TEXT COLLATE "C" NOT NULL,
        recorded_at    TEXT NOT NULL,
        source         TEXT NOT NULL,
        state          TEXT,
        phase          TEXT,
        provider_state TEXT,
        message        TEXT
      );
      CREATE INDEX IF NOT EXISTS job_events_by_job ON job_events (job_id, id);
    `,
  },
  {
    version: 2,
    name: 'why a job ended, and the provider details its plan kept',
    sqlite: '',
    postgres: `
      ALTER TABLE jobs ADD COLUMN IF NOT EXISTS end_reason TEXT;
      ALTER TABLE jobs ADD COLUMN IF NOT EXISTS provider_json TEXT;
    `,
    addColumns: [
      { table: 'jobs', column: 'end_reason', type: 'TEXT' },
      { table: 'jobs', column: 'provider_json', type: 'TEXT' },
    ],
  },
  {
    // Self-contained (one new table, nothing else touched), so that a merge may renumber it.
    version: 3,
    name: 'refused submits: jobs the validator refused before any launch',
    sqlite: `
      CREATE TABLE IF NOT EXISTS refused_submits (
        id                         INTEGER PRIMARY KEY AUTOINCREMENT,
        at                         TEXT NOT NULL,
        job_name                   TEXT NOT NULL,
        backend                    TEXT NOT NULL,
        job_file                   TEXT NOT NULL,
        reason                     TEXT NOT NULL,
        estimated_failed_start_usd REAL
      );
      CREATE INDEX IF NOT EXISTS refused_submits_by_at ON refused_submits (at);
      `,
    postgres: `
      CREATE TABLE IF NOT EXISTS refused_submits (
        id                         BIGSERIAL PRIMARY KEY,
        at                         TEXT COLLATE "C" NOT NULL,
        job_name                   TEXT NOT NULL,
        backend                    TEXT NOT NULL,
        job_file                   TEXT NOT NULL,
        reason                     TEXT NOT NULL,
        estimated_failed_start_usd DOUBLE PRECISION
      );
      CREATE INDEX IF NOT EXISTS refused_submits_by_at ON refused_submits (at);
    `,
  },
  {
    // Self-contained (IF NOT EXISTS, no other migration's tables), so that its number may change in a merge.
    version: 4,
    name: "the ledger's budget",
    sqlite: `
      CREATE TABLE IF NOT EXISTS budget (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        amount_usd REAL NOT NULL,
        period     TEXT NOT NULL,
        set_at     TEXT NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS budget (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        amount_usd DOUBLE PRECISION NOT NULL,
        period     TEXT NOT NULL,
        set_at     TEXT NOT NULL
      );
    `,
  },
  {
    // The bill's billed time beside its total, so `report` sums a year of jobs from their rows alone instead of
    // reading and parsing every bill document. Bills stored before this migration are copied over once.
    version: 5,
    name: "the bill's billed time on the job's row",
    sqlite: `
      ALTER TABLE jobs ADD COLUMN billed_s REAL;
      UPDATE jobs SET billed_s = (
        SELECT json_extract(bill_json, '$.billed_s') FROM job_documents WHERE job_documents.job_id = jobs.job_id
      ) WHERE billed_usd IS NOT NULL;
    `,
    postgres: `
      ALTER TABLE jobs ADD COLUMN IF NOT EXISTS billed_s DOUBLE PRECISION;
      UPDATE jobs SET billed_s = (
        SELECT (bill_json::jsonb ->> 'billed_s')::double precision FROM job_documents
        WHERE job_documents.job_id = jobs.job_id
      ) WHERE billed_usd IS NOT NULL;
    `,
  },
  {
    // Self-contained (columns added where they are missing, nothing else touched), so that a merge may renumber it.
    // Jobs recorded before it keep null in both: their owner and host are unknown.
    version: 6,
    name: 'who launched each job, and from which host',
    sqlite: '',
    addColumns: [
      { table: 'jobs', column: 'owner', type: 'TEXT' },
      { table: 'jobs', column: 'host', type: 'TEXT' },
    ],
    postgres: `
      ALTER TABLE jobs ADD COLUMN IF NOT EXISTS owner TEXT;
      ALTER TABLE jobs ADD COLUMN IF NOT EXISTS host TEXT;
    `,
  },
  {
    // Self-contained (one nullable column, added only where it is missing), so that a merge may renumber it.
    // A job copied in from another ledger (`dlrun ledger migrate`) keeps the id of the ledger that launched it: its
    // provider resources carry that id in their tags, labels and object keys. NULL: this ledger launched it.
    version: 7,
    name: 'the ledger that launched a job, for jobs copied in from another ledger',
    sqlite: '',
    addColumns: [{ table: 'jobs', column: 'ledger_id', type: 'TEXT' }],
    postgres: 'ALTER TABLE jobs ADD COLUMN IF NOT EXISTS ledger_id TEXT;',
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

import { existsSync, statSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { type LedgerId, asLedgerId } from '../backend/job-id.js';
import { LedgerError } from '../base/errors.js';
import type { Bill } from '../cost/bill.js';
import {
  REFUSED_SUBMIT_COLUMNS,
  eventFromRow,
  jobFromRow,
  refusedSubmitFromRow,
  type EventRow,
  type JobRow,
  type RefusedSubmitRow,
} from './job-rows.js';
import type { ImportedJob, NewRefusedSubmit } from './ledger.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';

/** Every column of a `jobs` row that a copy reads, in the order of JobRow, then the ones a copy needs besides. */
const SOURCE_COLUMNS = [
  'job_id',
  'name',
  'backend',
  'state',
  'phase',
  'provider_state',
  'external_id',
  'exit_code',
  'job_file',
  'price_json',
  'quoted_usd',
  'billed_usd',
  'submitted_at',
  'started_at',
  'ended_at',
  'phases_json',
  'end_reason',
  'provider_json',
  'owner',
  'host',
  'ledger_id',
  'billed_s',
  'updated_at',
] as const;

/**
 * A SQLite ledger read as the source of `dlrun ledger migrate`: opened read-only (it is the user's copy of their
 * history, never upgraded or written), in one read transaction from `open` to `close`, so a dlrun writing to it
 * meanwhile does not make the copy inconsistent. A ledger of an older schema is read as it is: columns it lacks
 * read as NULL, a table it lacks as empty. (Its file is never written; SQLite, as for any reader of a WAL ledger, may
 * leave an empty `-wal` and a `-shm` file beside it.)
 */
interface JobReads {
  readonly row: BetterSqlite3.Statement;
  readonly documents: BetterSqlite3.Statement;
  readonly events: BetterSqlite3.Statement;
}

export class SqliteSourceLedger {
  private statements: JobReads | undefined;

  private constructor(
    private readonly db: BetterSqlite3.Database,
    readonly file: string,
    readonly id: LedgerId,
    readonly schemaVersion: number,
    private readonly columns: ReadonlySet<string>,
    private readonly tables: ReadonlySet<string>,
  ) {}

  static async open(file: string): Promise<SqliteSourceLedger> {
    refuseNonFile(file);
    const { default: Sqlite } = await import('better-sqlite3');
    let db: BetterSqlite3.Database;
    try {
      db = new Sqlite(file, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw sourceError(file, `cannot open it (${(error as Error).message})`, error);
    }
    try {
      db.exec('BEGIN');
      const tables = new Set(
        (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map(
          (row) => row.name,
        ),
      );
      if (!tables.has('ledger_meta') || !tables.has('jobs'))
        throw notALedger(file, tables.size ? 'it has no ledger_meta or jobs table' : 'it holds no tables');
      const idRow = db.prepare(`SELECT value FROM ledger_meta WHERE key = 'ledger_id'`).get() as
        | { value: string }
        | undefined;
      if (!idRow) throw notALedger(file, 'it has no ledger id');
      const version = tables.has('schema_migrations')
        ? ((db.prepare(`SELECT MAX(version) AS version FROM schema_migrations`).get() as { version: number | null })
            .version ?? 0)
        : 0;
      if (version > LATEST_SCHEMA_VERSION) {
        throw new LedgerError(
          `the ledger to copy was written by a newer dlrun (schema ${version}, this dlrun knows ` +
            `${LATEST_SCHEMA_VERSION}): ${file}`,
          file,
          { hint: 'upgrade dlrun, then run the migrate again' },
        );
      }
      const columns = new Set(
        (db.prepare(`SELECT name FROM pragma_table_info('jobs')`).all() as { name: string }[]).map((row) => row.name),
      );
      return new SqliteSourceLedger(db, file, asLedgerId(idRow.value), version, columns, tables);
    } catch (error) {
      db.close();
      if (error instanceof LedgerError) throw error;
      const code = String((error as { code?: unknown }).code ?? '');
      if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
        throw notALedger(file, 'it is not a SQLite database');
      throw sourceError(file, `cannot read it (${(error as Error).message})`, error);
    }
  }

  /** The ids of its jobs, oldest first (the order they are copied in). */
  jobIds(): string[] {
    return (this.db.prepare(`SELECT job_id FROM jobs ORDER BY submitted_at, job_id`).all() as { job_id: string }[]).map(
      (row) => row.job_id,
    );
  }

  /** One job whole, as `Ledger.importJob` takes it; its launch ledger is this ledger when it names none. */
  job(jobId: string): ImportedJob {
    this.statements ??= this.prepareJobReads();
    const row = this.statements.row.get(jobId) as
      | (JobRow & { billed_s: number | null; updated_at: string })
      | undefined;
    if (!row) throw new LedgerError(`job ${jobId} is no longer in the ledger to copy: ${this.file}`, this.file);
    const documents = this.statements.documents.get(jobId) as
      | { spec_json: string | null; bill_json: string | null }
      | undefined;
    const events = this.statements.events.all(jobId) as EventRow[];
    const stored = jobFromRow(row);
    const bill = documents?.bill_json ? (JSON.parse(documents.bill_json) as Bill) : undefined;
    return {
      job: { ...stored, ledgerId: stored.ledgerId ?? this.id },
      // Undefined when the documents row is missing: the copy of that job then fails whole.
      spec: documents?.spec_json ? (JSON.parse(documents.spec_json) as unknown) : undefined,
      bill,
      // A ledger from before migration 5 keeps the billed time in the bill only (migration 5 copied it the same way).
      billedS: this.columns.has('billed_s')
        ? row.billed_s
        : stored.billedUsd !== null
          ? (bill?.billed_s ?? null)
          : null,
      updatedAt: row.updated_at ?? stored.endedAt ?? stored.submittedAt,
      events: events.map((event) => {
        const { id: _id, jobId: _jobId, ...rest } = eventFromRow(event);
        return rest;
      }),
    };
  }

  /** The reads of one job, prepared once: a copy runs them for every job. */
  private prepareJobReads(): JobReads {
    const select = SOURCE_COLUMNS.map((column) => (this.columns.has(column) ? column : `NULL AS ${column}`)).join(', ');
    return {
      row: this.db.prepare(`SELECT ${select} FROM jobs WHERE job_id = ?`),
      documents: this.db.prepare(`SELECT spec_json, bill_json FROM job_documents WHERE job_id = ?`),
      events: this.db.prepare(`SELECT * FROM job_events WHERE job_id = ? ORDER BY id`),
    };
  }

  /** Its refused submits, oldest first; none when its schema predates them. */
  refusedSubmits(): NewRefusedSubmit[] {
    if (!this.tables.has('refused_submits')) return [];
    const rows = this.db
      .prepare(`SELECT ${REFUSED_SUBMIT_COLUMNS} FROM refused_submits ORDER BY at, id`)
      .all() as RefusedSubmitRow[];
    return rows.map((row) => refusedSubmitFromRow(row));
  }

  /** Whether it holds a budget (which a copy leaves behind). */
  hasBudget(): boolean {
    return this.tables.has('budget') && this.db.prepare(`SELECT 1 FROM budget`).get() !== undefined;
  }

  close(): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }
}

function refuseNonFile(file: string): void {
  if (!existsSync(file)) {
    throw new LedgerError(`there is no ledger to copy at ${file}`, file, {
      hint: "give the path of a dlrun ledger file: a laptop's is ~/.dlrun/ledger.db",
    });
  }
  if (statSync(file).isDirectory()) {
    throw new LedgerError(`${file} is a folder, not a ledger file`, file, {
      hint: `its ledger, if it is a DLRUN_HOME, is ${file.replace(/\/$/, '')}/ledger.db`,
    });
  }
}

function notALedger(file: string, why: string): LedgerError {
  return new LedgerError(`${file} is not a dlrun ledger: ${why}`, file, {
    hint: "give the path of a dlrun ledger file: a laptop's is ~/.dlrun/ledger.db",
  });
}

function sourceError(file: string, why: string, cause: unknown): LedgerError {
  return new LedgerError(`the ledger to copy could not be read: ${why}: ${file}`, file, {
    hint: 'check that the file exists and that you may read it',
    cause,
  });
}

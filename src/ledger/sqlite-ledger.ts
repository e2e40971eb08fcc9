import { type JobId, type LedgerId, asLedgerId } from '../backend/job-id.js';
import { chmodSync, closeSync, existsSync, linkSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { LedgerError, UnknownJobError } from '../base/errors.js';
import type { Bill } from '../cost/bill.js';
import type { Budget, BudgetPeriod } from '../cost/budget.js';
import { applyChange, repeatsJob, eventMessage } from './apply-change.js';
import {
  IMPORTED_JOB_COLUMNS,
  JOB_COLUMNS,
  eventFromRow,
  importedJobValues,
  jobFromRow,
  REFUSED_SUBMIT_COLUMNS,
  refusedSubmitFromRow,
  type EventRow,
  type JobRow,
  type RefusedSubmitRow,
} from './job-rows.js';
import { phaseSeconds } from './phases.js';
import type {
  ImportedJob,
  ImportedRefusedSubmits,
  JobChange,
  JobEvent,
  JobQuery,
  Ledger,
  LedgerInfo,
  NewJob,
  NewRefusedSubmit,
  RefusedSubmit,
  SpendQuery,
  SpendRow,
  StoredJob,
  TimeRange,
} from './ledger.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
import { ledgerErrorFrom } from './sqlite-errors.js';
import { spendRows } from './spend-rows.js';
import { TERMINAL_STATES } from '../backend/job-state.js';

type Database = BetterSqlite3.Database;

export interface SqliteLedgerOptions {
  /** How long a write waits for another process's write to finish before giving up. */
  readonly busyTimeoutMs: number;
}

const TERMINAL_LIST = [...TERMINAL_STATES].map((state) => `'${state}'`).join(', ');

/**
 * The default ledger: one SQLite file (mode 0600: it holds job settings and environment values), in WAL mode so
 * that readers never block the writer, with every write in an IMMEDIATE transaction so that several dlrun
 * processes writing at once queue up instead of failing halfway or losing an event.
 */
export class SqliteLedger implements Ledger {
  private constructor(
    private readonly db: Database,
    readonly id: LedgerId,
    readonly location: string,
  ) {}

  static async open(file: string, options: SqliteLedgerOptions): Promise<SqliteLedger> {
    const { default: Sqlite } = await import('better-sqlite3');
    return guard(file, () => {
      if (!existsSync(file)) createLedgerFile(Sqlite, file, options);
      refuseEmptyOrTighten(file);
      const db = new Sqlite(file, { timeout: options.busyTimeoutMs, fileMustExist: true });
      try {
        useWal(db, options.busyTimeoutMs);
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        migrate(db, file, 'existing');
        const row = db.prepare(`SELECT value FROM ledger_meta WHERE key = 'ledger_id'`).get() as
          | { value: string }
          | undefined;
        if (!row) throw new LedgerError(`the ledger has no id; it was not created by dlrun: ${file}`, file);
        return new SqliteLedger(db, asLedgerId(row.value), file);
      } catch (error) {
        db.close();
        throw error;
      }
    });
  }

  async createJob(job: NewJob): Promise<StoredJob> {
    return this.write(() => {
      const now = new Date().toISOString();
      this.db
        .prepare(
          'INSERT INTO jobs (job_id, name, backend, state, phase, job_file, price_json, quoted_usd, provider_json, ' +
            `submitted_at, updated_at, owner, host)
           VALUES (?, ?, ?, 'submitting', 'queued', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          job.jobId,
          job.name,
          job.backend,
          job.jobFile,
          job.price ? JSON.stringify(job.price) : null,
          job.quotedUsd ?? null,
          job.providerDetails ? JSON.stringify(job.providerDetails) : null,
          job.submittedAt,
          now,
          job.owner ?? null,
          job.host ?? null,
        );
      this.db
        .prepare(`INSERT INTO job_documents (job_id, spec_json) VALUES (?, ?)`)
        .run(job.jobId, JSON.stringify(job.spec));
      this.insertEvent(
        job.jobId,
        { at: job.submittedAt, source: 'dlrun', state: 'submitting', phase: 'queued', message: 'ledger row written' },
        now,
      );
      return this.requireJob(job.jobId);
    });
  }

  async recordChange(jobId: JobId, change: JobChange): Promise<StoredJob> {
    return this.write(() => {
      const current = this.requireJob(jobId);
      const phaseRecorded =
        change.source === 'machine' &&
        change.phase !== undefined &&
        this.db
          .prepare(`SELECT 1 FROM job_events WHERE job_id = ? AND phase = ? AND source = 'machine' LIMIT 1`)
          .get(jobId, change.phase);
      if (repeatsJob(current, change, Boolean(phaseRecorded))) return current;
      const { progress, eventState, eventPhase } = applyChange(current, change);
      const now = new Date().toISOString();
      this.db
        .prepare(
          `UPDATE jobs SET state = ?, phase = ?, started_at = ?, ended_at = ?,
             provider_state = COALESCE(?, provider_state), external_id = COALESCE(?, external_id),
             exit_code = COALESCE(?, exit_code), updated_at = ?
           WHERE job_id = ?`,
        )
        .run(
          progress.state,
          progress.phase,
          progress.startedAt,
          progress.endedAt,
          change.providerState ?? null,
          change.externalId ?? null,
          change.exitCode ?? null,
          now,
          jobId,
        );
      const message = eventMessage(current, change, eventState);
      this.insertEvent(
        jobId,
        { ...change, state: eventState ?? undefined, phase: eventPhase ?? undefined, message },
        now,
      );
      if (progress.endedAt !== null && progress.endedAt !== current.endedAt) {
        this.storeFinalPhases(jobId, progress.endedAt);
        this.db.prepare(`UPDATE jobs SET end_reason = ? WHERE job_id = ?`).run(message ?? null, jobId);
      }
      return this.requireJob(jobId);
    });
  }

  async recordBill(jobId: JobId, bill: Bill): Promise<void> {
    this.write(() => {
      this.requireJob(jobId);
      this.db
        .prepare(`UPDATE jobs SET billed_usd = ?, billed_s = ?, updated_at = ? WHERE job_id = ?`)
        .run(bill.total_usd, bill.billed_s ?? null, new Date().toISOString(), jobId);
      this.db.prepare(`UPDATE job_documents SET bill_json = ? WHERE job_id = ?`).run(JSON.stringify(bill), jobId);
    });
  }

  async getJob(jobId: JobId): Promise<StoredJob | undefined> {
    return this.read(() => {
      const row = this.db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE job_id = ?`).get(jobId) as JobRow | undefined;
      return row ? jobFromRow(row) : undefined;
    });
  }

  async getBill(jobId: JobId): Promise<Bill | undefined> {
    return this.read(() => {
      const row = this.db.prepare(`SELECT bill_json FROM job_documents WHERE job_id = ?`).get(jobId) as
        | { bill_json: string | null }
        | undefined;
      if (!row) throw new UnknownJobError(jobId);
      return row.bill_json === null ? undefined : (JSON.parse(row.bill_json) as Bill);
    });
  }

  async getJobSpec(jobId: JobId): Promise<unknown> {
    return this.read(() => {
      const row = this.db.prepare(`SELECT spec_json FROM job_documents WHERE job_id = ?`).get(jobId) as
        | { spec_json: string }
        | undefined;
      if (!row) throw new UnknownJobError(jobId);
      return JSON.parse(row.spec_json) as unknown;
    });
  }

  async listJobs(query: JobQuery = {}): Promise<StoredJob[]> {
    return this.read(() => {
      const which = query.which ?? 'all';
      const conditions = [
        ...(which === 'all' ? [] : [`state ${which === 'active' ? 'NOT IN' : 'IN'} (${TERMINAL_LIST})`]),
        ...(query.submittedSince !== undefined ? ['submitted_at >= ?'] : []),
        ...(query.owner !== undefined ? ['owner = ?'] : []),
      ];
      const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
      const limit = query.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(query.limit))}` : '';
      const rows = this.db
        .prepare(`SELECT ${JOB_COLUMNS} FROM jobs ${where} ORDER BY submitted_at DESC, job_id DESC ${limit}`)
        .all(
          ...(query.submittedSince !== undefined ? [query.submittedSince] : []),
          ...(query.owner !== undefined ? [query.owner] : []),
        ) as JobRow[];
      return rows.map(jobFromRow);
    });
  }

  async listSpendRows(query: SpendQuery = {}): Promise<SpendRow[]> {
    return this.read(() => spendRows(this.db, query));
  }

  async countJobs(query: Pick<JobQuery, 'owner'> = {}): Promise<number> {
    return this.read(() => {
      const counted =
        query.owner === undefined
          ? this.db.prepare(`SELECT COUNT(*) AS count FROM jobs`).get()
          : this.db.prepare(`SELECT COUNT(*) AS count FROM jobs WHERE owner = ?`).get(query.owner);
      return (counted as { count: number }).count;
    });
  }

  async jobIdsLike(prefix: string, limit: number): Promise<string[]> {
    // An empty prefix is the start of every id: it names no job.
    if (prefix === '') return [];
    return this.read(() => {
      const pattern = `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      const rows = this.db
        .prepare(`SELECT job_id FROM jobs WHERE job_id LIKE ? ESCAPE '\\' ORDER BY submitted_at DESC LIMIT ?`)
        .all(pattern, limit) as { job_id: string }[];
      return rows.map((row) => row.job_id);
    });
  }

  async recordRefusedSubmit(refused: NewRefusedSubmit): Promise<void> {
    this.write(() => {
      this.db
        .prepare(
          `INSERT INTO refused_submits (at, job_name, backend, job_file, reason, estimated_failed_start_usd)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          refused.at,
          refused.jobName,
          refused.backend,
          refused.jobFile,
          refused.reason,
          refused.estimatedFailedStartUsd,
        );
    });
  }

  async listRefusedSubmits(range: TimeRange = {}): Promise<RefusedSubmit[]> {
    return this.read(() => {
      const rows = this.db
        .prepare(
          `SELECT id, ${REFUSED_SUBMIT_COLUMNS} FROM refused_submits
           WHERE at >= ? AND (? IS NULL OR at < ?) ORDER BY at, id`,
        )
        .all(range.since ?? '', range.until ?? null, range.until ?? null) as (RefusedSubmitRow & { id: number })[];
      return rows.map((row) => refusedSubmitFromRow(row));
    });
  }

  async eventsOf(jobIds: readonly string[]): Promise<Map<string, JobEvent[]>> {
    return this.read(() => {
      const byJob = new Map<string, JobEvent[]>(jobIds.map((jobId) => [jobId, []]));
      // SQLite allows 32,766 parameters per statement; chunks keep far below that.
      for (let start = 0; start < jobIds.length; start += 500) {
        const chunk = jobIds.slice(start, start + 500);
        const rows = this.db
          .prepare(`SELECT * FROM job_events WHERE job_id IN (${chunk.map(() => '?').join(', ')}) ORDER BY job_id, id`)
          .all(...chunk) as EventRow[];
        for (const row of rows) byJob.get(row.job_id)?.push(eventFromRow(row));
      }
      return byJob;
    });
  }

  async billsOf(jobIds: readonly string[]): Promise<Map<string, Bill>> {
    return this.read(() => {
      const byJob = new Map<string, Bill>();
      // Chunked as eventsOf is, far below SQLite's parameter limit.
      for (let start = 0; start < jobIds.length; start += 500) {
        const chunk = jobIds.slice(start, start + 500);
        const rows = this.db
          .prepare(
            `SELECT job_id, bill_json FROM job_documents
             WHERE bill_json IS NOT NULL AND job_id IN (${chunk.map(() => '?').join(', ')})`,
          )
          .all(...chunk) as { job_id: string; bill_json: string }[];
        for (const row of rows) byJob.set(row.job_id, JSON.parse(row.bill_json) as Bill);
      }
      return byJob;
    });
  }

  async getBudget(): Promise<Budget | undefined> {
    return this.read(() => {
      const row = this.db.prepare(`SELECT amount_usd, period, set_at FROM budget WHERE id = 1`).get() as
        | { amount_usd: number; period: string; set_at: string }
        | undefined;
      return row ? { amount_usd: row.amount_usd, period: row.period as BudgetPeriod, set_at: row.set_at } : undefined;
    });
  }

  async setBudget(budget: Budget): Promise<void> {
    this.write(() => {
      this.db
        .prepare(
          `INSERT INTO budget (id, amount_usd, period, set_at) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET amount_usd = excluded.amount_usd, period = excluded.period,
             set_at = excluded.set_at`,
        )
        .run(budget.amount_usd, budget.period, budget.set_at);
    });
  }

  async clearBudget(): Promise<boolean> {
    return this.write(() => this.db.prepare(`DELETE FROM budget WHERE id = 1`).run().changes > 0);
  }

  async importJob(imported: ImportedJob): Promise<'imported' | 'already-present'> {
    const { job } = imported;
    return this.write(() => {
      if (this.db.prepare(`SELECT 1 FROM jobs WHERE job_id = ?`).get(job.jobId)) return 'already-present';
      const values = importedJobValues(imported, this.id);
      this.db
        .prepare(`INSERT INTO jobs (${IMPORTED_JOB_COLUMNS}) VALUES (${values.map(() => '?').join(', ')})`)
        .run(...values);
      this.db
        .prepare(`INSERT INTO job_documents (job_id, spec_json, bill_json) VALUES (?, ?, ?)`)
        .run(job.jobId, JSON.stringify(imported.spec) ?? null, jsonOrNull(imported.bill));
      const insert = this.db.prepare(
        `INSERT INTO job_events (job_id, at, recorded_at, source, state, phase, provider_state, message)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const event of imported.events) {
        insert.run(
          job.jobId,
          event.at,
          event.recordedAt,
          event.source,
          event.state,
          event.phase,
          event.providerState,
          event.message,
        );
      }
      return 'imported';
    });
  }

  async importRefusedSubmits(refused: readonly NewRefusedSubmit[]): Promise<ImportedRefusedSubmits> {
    return this.write(() => {
      const present = this.db.prepare(
        `SELECT 1 FROM refused_submits WHERE at = ? AND job_name = ? AND job_file = ? LIMIT 1`,
      );
      const insert = this.db.prepare(
        `INSERT INTO refused_submits (at, job_name, backend, job_file, reason, estimated_failed_start_usd)
         VALUES (?, ?, ?, ?, ?, ?)`,
      );
      let imported = 0;
      for (const one of refused) {
        if (present.get(one.at, one.jobName, one.jobFile)) continue;
        insert.run(one.at, one.jobName, one.backend, one.jobFile, one.reason, one.estimatedFailedStartUsd);
        imported += 1;
      }
      return { imported, alreadyPresent: refused.length - imported };
    });
  }

  async launchLedgerIds(): Promise<LedgerId[]> {
    return this.read(() => {
      const rows = this.db
        .prepare(
          `SELECT DISTINCT ledger_id FROM jobs WHERE ledger_id IS NOT NULL AND ledger_id <> ? ORDER BY ledger_id`,
        )
        .all(this.id) as { ledger_id: string }[];
      return [this.id, ...rows.map((row) => asLedgerId(row.ledger_id))];
    });
  }

  async info(): Promise<LedgerInfo> {
    return this.read(() => {
      const { version } = this.db.prepare(`SELECT MAX(version) AS version FROM schema_migrations`).get() as {
        version: number;
      };
      const { count } = this.db.prepare(`SELECT COUNT(*) AS count FROM jobs`).get() as { count: number };
      const bytes = (file: string): number => (existsSync(file) ? statSync(file).size : 0);
      return {
        kind: 'sqlite',
        location: this.location,
        id: this.id,
        schemaVersion: version,
        sizeBytes: bytes(this.location) + bytes(`${this.location}-wal`),
        jobs: count,
      };
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private requireJob(jobId: JobId): StoredJob {
    const row = this.db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE job_id = ?`).get(jobId) as JobRow | undefined;
    if (!row) throw new UnknownJobError(jobId);
    return jobFromRow(row);
  }

  /** An ended job's history no longer changes: work out its phases once, in the transaction that ends it. */
  private storeFinalPhases(jobId: JobId, endedAt: string): void {
    const rows = this.db.prepare(`SELECT * FROM job_events WHERE job_id = ? ORDER BY id`).all(jobId) as EventRow[];
    const phases = phaseSeconds(rows.map(eventFromRow), new Date(endedAt));
    this.db.prepare(`UPDATE jobs SET phases_json = ? WHERE job_id = ?`).run(JSON.stringify(phases), jobId);
  }

  private insertEvent(jobId: JobId, change: JobChange & { message?: string | undefined }, recordedAt: string): void {
    this.db
      .prepare(
        `INSERT INTO job_events (job_id, at, recorded_at, source, state, phase, provider_state, message)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        jobId,
        change.at,
        recordedAt,
        change.source,
        change.state ?? null,
        change.phase ?? null,
        change.providerState ?? null,
        change.message ?? null,
      );
  }

  /** Run `work` in one IMMEDIATE transaction: it takes the write lock first, so concurrent writers queue. */
  private write<T>(work: () => T): T {
    return guard(this.location, () => this.db.transaction(work).immediate());
  }

  private read<T>(work: () => T): T {
    return guard(this.location, work);
  }
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function guard<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw ledgerErrorFrom(error, file);
  }
}

/**
 * Create a new ledger whole, or not at all: it is built under a temporary name (private, in WAL mode, migrated, with
 * its id) and linked into place only then, so `ledger.db` never exists half made. An empty `ledger.db` is thus never
 * dlrun's own and is refused rather than made into a new ledger, which would forget every job (and their machines).
 * Processes creating the ledger at once race on the link; the losers open the winner's.
 */
function createLedgerFile(Sqlite: typeof BetterSqlite3, file: string, options: SqliteLedgerOptions): void {
  const draft = `${file}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Private before SQLite writes a byte: SQLite would create it world-readable.
    closeSync(openSync(draft, 'wx', 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw ledgerErrorFrom({ code: 'SQLITE_READONLY' }, file);
    throw ledgerErrorFrom({ code: 'SQLITE_CANTOPEN' }, file);
  }
  try {
    const db = new Sqlite(draft, { timeout: options.busyTimeoutMs });
    try {
      db.pragma('journal_mode = WAL');
      migrate(db, file, 'new');
    } finally {
      // Closing the last connection folds the WAL into the file and removes the -wal and -shm files.
      db.close();
    }
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${draft}${suffix}`, { force: true });
  }
}

/** Refuse an empty ledger file; tighten a ledger others can read, never loosen one (a read-only ledger stays so). */
function refuseEmptyOrTighten(file: string): void {
  const stats = statSync(file);
  if (stats.isFile() && stats.size === 0) throw emptyLedger(file, '0 bytes');
  const mode = stats.mode & 0o777;
  if (mode & 0o077) chmodSync(file, mode & 0o700);
}

function emptyLedger(file: string, why: string): LedgerError {
  return new LedgerError(`the ledger is empty (${why}): ${file}`, file, {
    hint:
      'dlrun never leaves an empty ledger, so it was truncated or made by something else: restore it from a backup, ' +
      `or, only if it never held a job, delete it (rm ${file}) and the next submit makes a new one; ` +
      "jobs it knew of may still be billing, so check your providers' consoles",
  });
}

/**
 * Switch to WAL. Processes opening a new ledger at once all switch it together, and SQLite fails the ones that
 * collide at once, without its busy handler (the switch upgrades a read to a write, where waiting could
 * deadlock: https://www.sqlite.org/c3ref/busy_handler.html), so wait and retry here as a write would.
 */
function useWal(db: Database, timeoutMs: number): void {
  const giveUp = Date.now() + timeoutMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const code = String((error as { code?: unknown }).code);
      if (!code.startsWith('SQLITE_BUSY') || Date.now() >= giveUp) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/** `new`: the ledger being created; `existing`: one found on disk, which must already be a dlrun ledger. */
function migrate(db: Database, file: string, ledger: 'new' | 'existing'): void {
  const applied = (): number => {
    const table = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
      .get();
    if (!table) return 0;
    return (
      (db.prepare(`SELECT MAX(version) AS version FROM schema_migrations`).get() as { version: number | null })
        .version ?? 0
    );
  };
  if (applied() > LATEST_SCHEMA_VERSION) {
    throw new LedgerError(
      `the ledger was written by a newer dlrun (schema ${applied()}, ` +
        `this dlrun knows ${LATEST_SCHEMA_VERSION}): ${file}`,
      file,
      {
        hint: 'upgrade dlrun',
      },
    );
  }
  if (applied() === LATEST_SCHEMA_VERSION) return;
  if (ledger === 'existing' && applied() === 0) {
    // Every ledger dlrun made holds its first migration: tables of another program, or none at all.
    if (db.prepare(`SELECT 1 FROM sqlite_master`).get()) throw ledgerErrorFrom({ code: 'SQLITE_NOTADB' }, file);
    throw emptyLedger(file, 'it holds no dlrun tables');
  }
  // Two processes may upgrade the ledger at once: the IMMEDIATE transaction makes the second wait, then see it done.
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations ' +
        '(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const done = applied();
    for (const migration of MIGRATIONS.filter((candidate) => candidate.version > done)) {
      db.exec(migration.sqlite);
      for (const { table, column, type } of migration.addColumns ?? []) {
        const present = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).some(
          (row) => row.name === column,
        );
        if (!present) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
      }
      if (migration.version === 1) {
        db.prepare(`INSERT INTO ledger_meta (key, value) VALUES ('ledger_id', ?), ('created_at', ?)`).run(
          newLedgerId(),
          new Date().toISOString(),
        );
      }
      db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`).run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }
  }).immediate();
}

/** 16 hex characters: valid as an EC2 tag value and a GCP label value, and unique enough across a company. */
function newLedgerId(): string {
  return randomBytes(8).toString('hex');
}

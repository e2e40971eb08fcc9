import { type JobId, type LedgerId, asLedgerId } from '../backend/job-id.js';
import { TERMINAL_STATES } from '../backend/job-state.js';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { UnknownJobError } from '../base/errors.js';
import type { Bill } from '../cost/bill.js';
import type { Budget, BudgetPeriod } from '../cost/budget.js';
import { applyChange, repeatsJob, eventMessage } from './apply-change.js';
import { passwordScrubber, redact } from './db-url.js';
import {
  JOB_COLUMNS,
  REFUSED_SUBMIT_COLUMNS,
  eventFromRow,
  jobFromRow,
  refusedSubmitFromRow,
  type EventRow,
  type JobRow,
  type RefusedSubmitRow,
} from './job-rows.js';
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
import { phaseSeconds } from './phases.js';
import { importPgJob, importPgRefusedSubmits, pgLaunchLedgerIds, pgLedgerInfo } from './pg-import.js';
import { firstConnection, openPgPool } from './pg-pool.js';
import { pgLedgerError } from './pg-errors.js';
import { migratePg } from './pg-migrate.js';
import { spendRowFrom, type SpendColumns } from './spend-rows.js';

export interface PgLedgerOptions {
  /** The deadline of every network call: connecting, each statement, waiting for another process's row lock. */
  readonly timeoutMs: number;
}

const TERMINAL_LIST = [...TERMINAL_STATES].map((state) => `'${state}'`).join(', ');
type Query = <R extends QueryResultRow>(text: string, values?: unknown[]) => Promise<R[]>;

/**
 * The team ledger: the same tables and behaviour as the SQLite ledger (the conformance suite runs on both), in a
 * PostgreSQL database that several people and machines share. Every write is one transaction; a change to a job
 * first locks its row (SELECT ... FOR UPDATE), so two processes reporting the same change apply it one after the
 * other and the second finds it already there (repeatsJob) instead of recording it twice.
 */
export class PgLedger implements Ledger {
  private constructor(
    private readonly pool: Pool,
    readonly id: LedgerId,
    readonly location: string,
    private readonly scrub: (text: string) => string,
  ) {}

  static async open(url: string, options: PgLedgerOptions): Promise<PgLedger> {
    const location = redact(url);
    const scrub = passwordScrubber(url);
    let pool: Pool | undefined;
    try {
      pool = await openPgPool(url, options.timeoutMs);
      await firstConnection(pool, location, scrub);
      const id = await migratePg(pool, location);
      return new PgLedger(pool, asLedgerId(id), location, scrub);
    } catch (error) {
      await pool?.end().catch(() => undefined);
      throw pgLedgerError(error, location, scrub);
    }
  }

  async createJob(job: NewJob): Promise<StoredJob> {
    return this.write(async (query) => {
      const now = new Date().toISOString();
      await query(
        `INSERT INTO jobs (job_id, name, backend, state, phase, job_file, price_json, quoted_usd, provider_json,
           submitted_at, updated_at, owner, host)
         VALUES ($1, $2, $3, 'submitting', 'queued', $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
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
        ],
      );
      await query(`INSERT INTO job_documents (job_id, spec_json) VALUES ($1, $2)`, [
        job.jobId,
        JSON.stringify(job.spec),
      ]);
      await insertEvent(
        query,
        job.jobId,
        { at: job.submittedAt, source: 'dlrun', state: 'submitting', phase: 'queued', message: 'ledger row written' },
        now,
      );
      return requireJob(query, job.jobId);
    });
  }

  async recordChange(jobId: JobId, change: JobChange): Promise<StoredJob> {
    return this.write(async (query) => {
      // The row lock: a concurrent change to this job waits here, then reads what this one wrote.
      const current = await requireJob(query, jobId, 'FOR UPDATE');
      const phaseRecorded =
        change.source === 'machine' &&
        change.phase !== undefined &&
        (
          await query(`SELECT 1 FROM job_events WHERE job_id = $1 AND phase = $2 AND source = 'machine' LIMIT 1`, [
            jobId,
            change.phase,
          ])
        ).length > 0;
      if (repeatsJob(current, change, phaseRecorded)) return current;
      const { progress, eventState, eventPhase } = applyChange(current, change);
      const now = new Date().toISOString();
      await query(
        `UPDATE jobs SET state = $1, phase = $2, started_at = $3, ended_at = $4,
           provider_state = COALESCE($5, provider_state), external_id = COALESCE($6, external_id),
           exit_code = COALESCE($7, exit_code), updated_at = $8
         WHERE job_id = $9`,
        [
          progress.state,
          progress.phase,
          progress.startedAt,
          progress.endedAt,
          change.providerState ?? null,
          change.externalId ?? null,
          change.exitCode ?? null,
          now,
          jobId,
        ],
      );
      const message = eventMessage(current, change, eventState);
      await insertEvent(
        query,
        jobId,
        { ...change, state: eventState ?? undefined, phase: eventPhase ?? undefined, message },
        now,
      );
      if (progress.endedAt !== null && progress.endedAt !== current.endedAt) {
        const rows = await query<EventRow>(`SELECT * FROM job_events WHERE job_id = $1 ORDER BY id`, [jobId]);
        const phases = phaseSeconds(rows.map(eventFromRow), new Date(progress.endedAt));
        await query(`UPDATE jobs SET phases_json = $1, end_reason = $2 WHERE job_id = $3`, [
          JSON.stringify(phases),
          message ?? null,
          jobId,
        ]);
      }
      return requireJob(query, jobId);
    });
  }

  async recordBill(jobId: JobId, bill: Bill): Promise<void> {
    await this.write(async (query) => {
      await requireJob(query, jobId, 'FOR UPDATE');
      await query(`UPDATE jobs SET billed_usd = $1, billed_s = $2, updated_at = $3 WHERE job_id = $4`, [
        bill.total_usd,
        bill.billed_s ?? null,
        new Date().toISOString(),
        jobId,
      ]);
      await query(`UPDATE job_documents SET bill_json = $1 WHERE job_id = $2`, [JSON.stringify(bill), jobId]);
    });
  }

  async getJob(jobId: JobId): Promise<StoredJob | undefined> {
    const rows = await this.read<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE job_id = $1`, [jobId]);
    return rows[0] ? jobFromRow(rows[0]) : undefined;
  }

  async getBill(jobId: JobId): Promise<Bill | undefined> {
    const rows = await this.read<{ bill_json: string | null }>(
      `SELECT bill_json FROM job_documents WHERE job_id = $1`,
      [jobId],
    );
    if (!rows[0]) throw new UnknownJobError(jobId);
    return rows[0].bill_json === null ? undefined : (JSON.parse(rows[0].bill_json) as Bill);
  }

  async getJobSpec(jobId: JobId): Promise<unknown> {
    const rows = await this.read<{ spec_json: string }>(`SELECT spec_json FROM job_documents WHERE job_id = $1`, [
      jobId,
    ]);
    if (!rows[0]) throw new UnknownJobError(jobId);
    return JSON.parse(rows[0].spec_json) as unknown;
  }

  async listJobs(query: JobQuery = {}): Promise<StoredJob[]> {
    const which = query.which ?? 'all';
    const values: unknown[] = [];
    const parameter = (value: unknown): string => `$${values.push(value)}`;
    const conditions = [
      ...(which === 'all' ? [] : [`state ${which === 'active' ? 'NOT IN' : 'IN'} (${TERMINAL_LIST})`]),
      ...(query.submittedSince !== undefined ? [`submitted_at >= ${parameter(query.submittedSince)}`] : []),
      ...(query.owner !== undefined ? [`owner = ${parameter(query.owner)}`] : []),
    ];
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const limit = query.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(query.limit))}` : '';
    const rows = await this.read<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs ${where} ORDER BY submitted_at DESC, job_id DESC ${limit}`,
      values,
    );
    return rows.map(jobFromRow);
  }

  async listSpendRows(query: SpendQuery = {}): Promise<SpendRow[]> {
    const since = query.submittedSince;
    // Arrays, not objects (rowMode 'array'), read as spend-rows.ts reads SQLite's.
    const result = await this.guard(() =>
      this.pool.query<SpendColumns>({
        text: `SELECT name, backend, state, quoted_usd, billed_usd, submitted_at, started_at, ended_at,
                 CASE WHEN billed_usd IS NOT NULL THEN billed_s END,
                 CASE WHEN billed_usd IS NULL OR billed_s IS NULL THEN price_json END, owner
               FROM jobs ${since !== undefined ? 'WHERE submitted_at >= $1' : ''}
               ORDER BY submitted_at DESC, job_id DESC`,
        values: since !== undefined ? [since] : [],
        rowMode: 'array',
      }),
    );
    return result.rows.map(spendRowFrom);
  }

  async countJobs(query: Pick<JobQuery, 'owner'> = {}): Promise<number> {
    const rows =
      query.owner === undefined
        ? await this.read<{ count: number }>(`SELECT COUNT(*) AS count FROM jobs`)
        : await this.read<{ count: number }>(`SELECT COUNT(*) AS count FROM jobs WHERE owner = $1`, [query.owner]);
    return rows[0]?.count ?? 0;
  }

  async jobIdsLike(prefix: string, limit: number): Promise<string[]> {
    // An empty prefix is the start of every id: it names no job.
    if (prefix === '') return [];
    const pattern = `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    const rows = await this.read<{ job_id: string }>(
      // ILIKE: SQLite's LIKE ignores (ASCII) case, and a mistyped id in capitals should still find its job.
      `SELECT job_id FROM jobs WHERE job_id ILIKE $1 ESCAPE '\\' ORDER BY submitted_at DESC LIMIT $2`,
      [pattern, limit],
    );
    return rows.map((row) => row.job_id);
  }

  async recordRefusedSubmit(refused: NewRefusedSubmit): Promise<void> {
    await this.write((query) =>
      query(
        `INSERT INTO refused_submits (at, job_name, backend, job_file, reason, estimated_failed_start_usd)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          refused.at,
          refused.jobName,
          refused.backend,
          refused.jobFile,
          refused.reason,
          refused.estimatedFailedStartUsd,
        ],
      ),
    );
  }

  async listRefusedSubmits(range: TimeRange = {}): Promise<RefusedSubmit[]> {
    const rows = await this.read<RefusedSubmitRow & { id: number }>(
      `SELECT id, ${REFUSED_SUBMIT_COLUMNS} FROM refused_submits
       WHERE at >= $1 AND ($2::text IS NULL OR at < $2) ORDER BY at, id`,
      [range.since ?? '', range.until ?? null],
    );
    return rows.map((row) => refusedSubmitFromRow(row));
  }

  async eventsOf(jobIds: readonly string[]): Promise<Map<string, JobEvent[]>> {
    const byJob = new Map<string, JobEvent[]>(jobIds.map((jobId) => [jobId, []]));
    if (jobIds.length === 0) return byJob;
    // One array parameter, however many jobs: PostgreSQL has no per-statement parameter limit to chunk around.
    const rows = await this.read<EventRow>(`SELECT * FROM job_events WHERE job_id = ANY($1) ORDER BY job_id, id`, [
      [...jobIds],
    ]);
    for (const row of rows) byJob.get(row.job_id)?.push(eventFromRow(row));
    return byJob;
  }

  async billsOf(jobIds: readonly string[]): Promise<Map<string, Bill>> {
    const byJob = new Map<string, Bill>();
    if (jobIds.length === 0) return byJob;
    const rows = await this.read<{ job_id: string; bill_json: string }>(
      `SELECT job_id, bill_json FROM job_documents WHERE bill_json IS NOT NULL AND job_id = ANY($1)`,
      [[...jobIds]],
    );
    for (const row of rows) byJob.set(row.job_id, JSON.parse(row.bill_json) as Bill);
    return byJob;
  }

  async getBudget(): Promise<Budget | undefined> {
    const rows = await this.read<{ amount_usd: number; period: string; set_at: string }>(
      `SELECT amount_usd, period, set_at FROM budget WHERE id = 1`,
    );
    const row = rows[0];
    return row ? { amount_usd: row.amount_usd, period: row.period as BudgetPeriod, set_at: row.set_at } : undefined;
  }

  async setBudget(budget: Budget): Promise<void> {
    await this.write((query) =>
      query(
        `INSERT INTO budget (id, amount_usd, period, set_at) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET amount_usd = excluded.amount_usd, period = excluded.period,
           set_at = excluded.set_at`,
        [budget.amount_usd, budget.period, budget.set_at],
      ),
    );
  }

  async clearBudget(): Promise<boolean> {
    return this.write(async (query) => (await query(`DELETE FROM budget WHERE id = 1 RETURNING id`)).length > 0);
  }

  async importJob(imported: ImportedJob): Promise<'imported' | 'already-present'> {
    return this.write((query) => importPgJob(query, this.id, imported));
  }

  async importRefusedSubmits(refused: readonly NewRefusedSubmit[]): Promise<ImportedRefusedSubmits> {
    return this.write((query) => importPgRefusedSubmits(query, refused));
  }

  async launchLedgerIds(): Promise<LedgerId[]> {
    return pgLaunchLedgerIds((text, values) => this.read(text, values), this.id);
  }

  async info(): Promise<LedgerInfo> {
    return pgLedgerInfo((text, values) => this.read(text, values), this.id, this.location);
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  private async read<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    return (await this.guard(() => this.pool.query<R>(text, values))).rows;
  }

  /** Run `work` in one transaction on one connection: all of it is kept, or (on any error) none of it. */
  private async write<T>(work: (query: Query) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      const client: PoolClient = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(async (text, values) => (await client.query(text, values?.map(withoutNul))).rows);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        broken = true;
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        // A connection that failed may be half-dead: drop it rather than hand it to the next query.
        client.release(broken);
      }
    });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw pgLedgerError(error, this.location, this.scrub);
    }
  }
}

/**
 * PostgreSQL text cannot hold a NUL character (SQLite's can): a provider's message or a machine's output with one
 * would fail the whole write. The NUL is dropped; JSON documents are unaffected (JSON escapes it as \u0000).
 */
function withoutNul(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\0') ? value.replaceAll('\0', '') : value;
}

async function requireJob(query: Query, jobId: JobId, lock: '' | 'FOR UPDATE' = ''): Promise<StoredJob> {
  const rows = await query<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE job_id = $1 ${lock}`, [jobId]);
  if (!rows[0]) throw new UnknownJobError(jobId);
  return jobFromRow(rows[0]);
}

async function insertEvent(
  query: Query,
  jobId: JobId,
  change: JobChange & { message?: string | undefined },
  recordedAt: string,
): Promise<void> {
  await query(
    `INSERT INTO job_events (job_id, at, recorded_at, source, state, phase, provider_state, message)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      jobId,
      change.at,
      recordedAt,
      change.source,
      change.state ?? null,
      change.phase ?? null,
      change.providerState ?? null,
      change.message ?? null,
    ],
  );
}

import { type LedgerId, asLedgerId } from '../backend/job-id.js';
import { IMPORTED_JOB_COLUMNS, importedJobValues } from './job-rows.js';
import type { ImportedJob, ImportedRefusedSubmits, LedgerInfo, NewRefusedSubmit } from './ledger.js';

/** One statement on the transaction's connection (pg-ledger.ts's `write`), its rows returned. */
export type PgQuery = <R extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

/** A JSON document as the ledger stores it, or null. */
function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * Copy one job of another ledger in, whole, in the caller's transaction. ON CONFLICT rather than a look-up first: two
 * `dlrun ledger migrate` of the same laptop at once then copy each job once, and neither fails on the other's row.
 */
export async function importPgJob(
  query: PgQuery,
  ledgerId: LedgerId,
  imported: ImportedJob,
): Promise<'imported' | 'already-present'> {
  const { job } = imported;
  const values = importedJobValues(imported, ledgerId);
  const inserted = await query(
    `INSERT INTO jobs (${IMPORTED_JOB_COLUMNS}) VALUES (${values.map((_, index) => `$${index + 1}`).join(', ')})
     ON CONFLICT (job_id) DO NOTHING RETURNING job_id`,
    values,
  );
  if (inserted.length === 0) return 'already-present';
  await query(`INSERT INTO job_documents (job_id, spec_json, bill_json) VALUES ($1, $2, $3)`, [
    job.jobId,
    JSON.stringify(imported.spec) ?? null,
    jsonOrNull(imported.bill),
  ]);
  for (const event of imported.events) {
    await query(
      `INSERT INTO job_events (job_id, at, recorded_at, source, state, phase, provider_state, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        job.jobId,
        event.at,
        event.recordedAt,
        event.source,
        event.state,
        event.phase,
        event.providerState,
        event.message,
      ],
    );
  }
  return 'imported';
}

/**
 * Copy refused submits in, skipping those already there (same time, job name and job file). The transaction first
 * takes an advisory lock of its own, so two copies at once cannot both find a submit missing and write it twice.
 */
export async function importPgRefusedSubmits(
  query: PgQuery,
  refused: readonly NewRefusedSubmit[],
): Promise<ImportedRefusedSubmits> {
  await query(`SELECT pg_advisory_xact_lock(hashtext('dlrun: refused_submits import'))`);
  let imported = 0;
  for (const one of refused) {
    const present = await query(
      `SELECT 1 FROM refused_submits WHERE at = $1 AND job_name = $2 AND job_file = $3 LIMIT 1`,
      [one.at, one.jobName, one.jobFile],
    );
    if (present.length > 0) continue;
    await query(
      `INSERT INTO refused_submits (at, job_name, backend, job_file, reason, estimated_failed_start_usd)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [one.at, one.jobName, one.backend, one.jobFile, one.reason, one.estimatedFailedStartUsd],
    );
    imported += 1;
  }
  return { imported, alreadyPresent: refused.length - imported };
}

/** This ledger's id first, then the ids of the ledgers whose jobs were copied in, as sqlite-ledger.ts lists them. */
export async function pgLaunchLedgerIds(query: PgQuery, ledgerId: LedgerId): Promise<LedgerId[]> {
  const rows = await query<{ ledger_id: string }>(
    `SELECT DISTINCT ledger_id FROM jobs WHERE ledger_id IS NOT NULL AND ledger_id <> $1 ORDER BY ledger_id`,
    [ledgerId],
  );
  return [ledgerId, ...rows.map((row) => asLedgerId(row.ledger_id))];
}

/** The ledger's tables only (indexes and TOAST included), not the whole database, which may hold other things. */
const LEDGER_TABLES = ['jobs', 'job_documents', 'job_events', 'refused_submits', 'budget', 'schema_migrations'];

export async function pgLedgerInfo(query: PgQuery, id: LedgerId, location: string): Promise<LedgerInfo> {
  const [row] = await query<{ version: number | null; jobs: number; size: number | null }>(
    `SELECT (SELECT MAX(version) FROM schema_migrations) AS version,
       (SELECT COUNT(*) FROM jobs) AS jobs,
       (SELECT SUM(pg_total_relation_size(to_regclass(name)))::bigint FROM unnest($1::text[]) AS name) AS size`,
    [LEDGER_TABLES],
  );
  return {
    kind: 'postgresql',
    location,
    id,
    schemaVersion: row?.version ?? 0,
    sizeBytes: row?.size ?? 0,
    jobs: row?.jobs ?? 0,
  };
}

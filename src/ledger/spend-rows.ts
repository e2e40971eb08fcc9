import type BetterSqlite3 from 'better-sqlite3';
import { storedJobState } from './job-rows.js';
import type { SpendQuery, SpendRow } from './ledger.js';

/** The columns read, in this order: `raw()` rows are arrays, which better-sqlite3 makes about twice as fast. */
export type SpendColumns = [
  name: string,
  backend: string,
  state: string,
  quotedUsd: number | null,
  billedUsd: number | null,
  submittedAt: string,
  startedAt: string | null,
  endedAt: string | null,
  billedS: number | null,
  priceJson: string | null,
  owner: string | null,
];

/**
 * The jobs `report` sums, in `listJobs`'s order (sums of the same figures in the same order come out the same to the
 * last bit). A year of a busy team is 10,000 rows: only the jobs table is read, never a bill or spec document, and a
 * price is parsed only for a job whose bill total or billed time is not stored (a job still going, mostly).
 */
export function spendRows(db: BetterSqlite3.Database, query: SpendQuery): SpendRow[] {
  const since = query.submittedSince;
  const rows = db
    .prepare(
      `SELECT name, backend, state, quoted_usd, billed_usd, submitted_at, started_at, ended_at,
         CASE WHEN billed_usd IS NOT NULL THEN billed_s END,
         CASE WHEN billed_usd IS NULL OR billed_s IS NULL THEN price_json END, owner
       FROM jobs ${since !== undefined ? 'WHERE submitted_at >= ?' : ''}
       ORDER BY submitted_at DESC, job_id DESC`,
    )
    .raw()
    .all(...(since !== undefined ? [since] : [])) as SpendColumns[];
  return rows.map(spendRowFrom);
}

/** One spend row from its columns, as both ledgers read them (pg-ledger.ts asks pg for arrays too). */
export function spendRowFrom([
  name,
  backend,
  state,
  quotedUsd,
  billedUsd,
  submittedAt,
  startedAt,
  endedAt,
  billedS,
  priceJson,
  owner,
]: SpendColumns): SpendRow {
  return {
    name,
    backend,
    state: storedJobState(state),
    quotedUsd,
    billedUsd,
    billedS,
    submittedAt,
    startedAt,
    endedAt,
    price: priceJson === null ? null : JSON.parse(priceJson),
    owner,
  };
}

import { type LedgerId, asJobId, asLedgerId } from '../backend/job-id.js';
import { isJobState, isPhase, type JobState } from '../backend/job-state.js';
import { InternalError } from '../base/errors.js';
import type { EventSource, ImportedJob, JobEvent, NewRefusedSubmit, RefusedSubmit, StoredJob } from './ledger.js';

/** A `jobs` row as the database returns it. */
export interface JobRow {
  job_id: string;
  name: string;
  backend: string;
  state: string;
  phase: string | null;
  provider_state: string | null;
  external_id: string | null;
  exit_code: number | null;
  job_file: string;
  price_json: string | null;
  quoted_usd: number | null;
  billed_usd: number | null;
  submitted_at: string;
  started_at: string | null;
  ended_at: string | null;
  phases_json: string | null;
  end_reason: string | null;
  provider_json: string | null;
  owner: string | null;
  host: string | null;
  /** The ledger that launched the job, when another one did (it was copied in); null: this ledger. */
  ledger_id: string | null;
}

/** The columns of a JobRow, as queries name them. */
export const JOB_COLUMNS = [
  'job_id, name, backend, state, phase, provider_state, external_id, exit_code, job_file, price_json, quoted_usd',
  'billed_usd, submitted_at, started_at, ended_at, phases_json, end_reason, provider_json, owner, host, ledger_id',
].join(', ');

/** A `job_events` row as the database returns it. */
export interface EventRow {
  id: number;
  job_id: string;
  at: string;
  recorded_at: string;
  source: string;
  state: string | null;
  phase: string | null;
  provider_state: string | null;
  message: string | null;
}

/** A state read from the ledger; an unknown word is a bug (or a newer dlrun), never a state to guess. */
export function storedJobState(value: string): JobState {
  if (!isJobState(value)) throw new InternalError(`the ledger holds an unknown job state '${value}'`);
  return value;
}

export function jobFromRow(row: JobRow): StoredJob {
  return {
    jobId: asJobId(row.job_id),
    name: row.name,
    backend: row.backend,
    state: storedJobState(row.state),
    phase: row.phase !== null && isPhase(row.phase) ? row.phase : null,
    providerState: row.provider_state,
    externalId: row.external_id,
    exitCode: row.exit_code,
    jobFile: row.job_file,
    price: row.price_json === null ? null : JSON.parse(row.price_json),
    quotedUsd: row.quoted_usd,
    billedUsd: row.billed_usd,
    submittedAt: row.submitted_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    finalPhases: row.phases_json === null ? null : JSON.parse(row.phases_json),
    endReason: row.end_reason,
    providerDetails: row.provider_json === null ? null : JSON.parse(row.provider_json),
    owner: row.owner,
    host: row.host,
    ledgerId: row.ledger_id === null ? null : asLedgerId(row.ledger_id),
  };
}

export function eventFromRow(row: EventRow): JobEvent {
  return {
    id: row.id,
    jobId: asJobId(row.job_id),
    at: row.at,
    recordedAt: row.recorded_at,
    source: row.source as EventSource,
    state: row.state === null ? null : storedJobState(row.state),
    phase: row.phase !== null && isPhase(row.phase) ? row.phase : null,
    providerState: row.provider_state,
    message: row.message,
  };
}

/** The columns an imported job's row is written with (`Ledger.importJob`), in the order of `importedJobValues`. */
export const IMPORTED_JOB_COLUMNS = [
  'job_id, name, backend, state, phase, provider_state, external_id, exit_code, job_file, price_json, quoted_usd',
  'billed_usd, billed_s, submitted_at, started_at, ended_at, phases_json, end_reason, provider_json, ledger_id',
  'owner, host, updated_at',
].join(', ');

/**
 * The values of an imported job's row, as both ledgers write it: every column as the other ledger stored it, and
 * its launch ledger id left null where it is the receiving ledger's own (a job copied back home).
 */
export function importedJobValues(imported: ImportedJob, receivingLedgerId: LedgerId): unknown[] {
  const { job } = imported;
  const json = (value: unknown): string | null =>
    value === undefined || value === null ? null : JSON.stringify(value);
  return [
    job.jobId,
    job.name,
    job.backend,
    job.state,
    job.phase,
    job.providerState,
    job.externalId,
    job.exitCode,
    job.jobFile,
    json(job.price),
    job.quotedUsd,
    job.billedUsd,
    imported.billedS,
    job.submittedAt,
    job.startedAt,
    job.endedAt,
    json(job.finalPhases),
    job.endReason,
    json(job.providerDetails),
    job.ledgerId === receivingLedgerId ? null : job.ledgerId,
    job.owner,
    job.host,
    imported.updatedAt,
  ];
}

/** A `refused_submits` row as the database returns it (`id` left out where a query does not read it). */
export interface RefusedSubmitRow {
  id?: number;
  at: string;
  job_name: string;
  backend: string;
  job_file: string;
  reason: string;
  estimated_failed_start_usd: number | null;
}

/** The columns of a RefusedSubmitRow, as queries name them (`id` first when it is read). */
export const REFUSED_SUBMIT_COLUMNS = 'at, job_name, backend, job_file, reason, estimated_failed_start_usd';

export function refusedSubmitFromRow(row: RefusedSubmitRow & { id: number }): RefusedSubmit;
export function refusedSubmitFromRow(row: RefusedSubmitRow): NewRefusedSubmit;
export function refusedSubmitFromRow(row: RefusedSubmitRow): NewRefusedSubmit | RefusedSubmit {
  return {
    ...(row.id !== undefined ? { id: row.id } : {}),
    at: row.at,
    jobName: row.job_name,
    backend: row.backend,
    jobFile: row.job_file,
    reason: row.reason,
    estimatedFailedStartUsd: row.estimated_failed_start_usd,
  };
}

import { isJobState, isPhase, type JobState } from '../backend/job-state.js';
import { InternalError } from '../backend/errors.js';
import type { EventSource, JobEvent, StoredJob } from './ledger.js';

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
  spec_json: string;
  price_json: string | null;
  quoted_usd: number | null;
  bill_json: string | null;
  submitted_at: string;
  started_at: string | null;
  ended_at: string | null;
}

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

function state(value: string): JobState {
  if (!isJobState(value)) throw new InternalError(`the ledger holds an unknown job state '${value}'`);
  return value;
}

export function jobFromRow(row: JobRow): StoredJob {
  return {
    jobId: row.job_id,
    name: row.name,
    backend: row.backend,
    state: state(row.state),
    phase: row.phase !== null && isPhase(row.phase) ? row.phase : null,
    providerState: row.provider_state,
    externalId: row.external_id,
    exitCode: row.exit_code,
    jobFile: row.job_file,
    // Parsed when read: listing jobs (status --all) never reads their specs, and parsing them all took about a
    // quarter of listJobs() over 10,000 jobs (bench/status-large-ledger.ts).
    get spec(): unknown {
      return JSON.parse(row.spec_json) as unknown;
    },
    price: row.price_json === null ? null : JSON.parse(row.price_json),
    quotedUsd: row.quoted_usd,
    bill: row.bill_json === null ? null : JSON.parse(row.bill_json),
    submittedAt: row.submitted_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

export function eventFromRow(row: EventRow): JobEvent {
  return {
    id: row.id,
    jobId: row.job_id,
    at: row.at,
    recordedAt: row.recorded_at,
    source: row.source as EventSource,
    state: row.state === null ? null : state(row.state),
    phase: row.phase !== null && isPhase(row.phase) ? row.phase : null,
    providerState: row.provider_state,
    message: row.message,
  };
}

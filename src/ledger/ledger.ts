import type { JobId, LedgerId } from '../backend/job-id.js';
import type { JobState, Phase } from '../backend/job-state.js';
import type { Bill } from '../cost/bill.js';
import type { Budget } from '../cost/budget.js';
import type { PriceSnapshot } from '../cost/price-snapshot.js';
import type { ProviderDetails } from '../backend/training-backend.js';

/** Seconds a job spent in each phase. */
export type PhaseSeconds = Record<Phase, number>;

/** Who said a job changed: dlrun itself, the provider's API, or the machine (bootstrap markers). */
export type EventSource = 'dlrun' | 'provider' | 'machine';

/** One job as the ledger keeps it. Times are ISO 8601 in UTC. */
export interface StoredJob {
  readonly jobId: JobId;
  readonly name: string;
  readonly backend: string;
  readonly state: JobState;
  readonly phase: Phase | null;
  /** The provider's own word for the state, as it last reported it. */
  readonly providerState: string | null;
  /** The provider's id for the job (instance id, customJob name, Rescale job id). */
  readonly externalId: string | null;
  readonly exitCode: number | null;
  readonly jobFile: string;
  readonly price: PriceSnapshot | null;
  readonly quotedUsd: number | null;
  /** The stored bill's total (dlrun's figure), or null before the job was billed; `getBill` has the whole bill. */
  readonly billedUsd: number | null;
  readonly submittedAt: string;
  /** When the job left the queue (first provisioning or running). */
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  /**
   * Seconds per phase, worked out from the events once, when the job ended (an ended job's history no longer
   * changes); null while it runs. Listing thousands of jobs then needs no events for the ended ones.
   */
  readonly finalPhases: PhaseSeconds | null;
  /** Why the job ended, as the change that ended it said ("max_runtime 4h reached", "the job exited with status 3"). */
  readonly endReason: string | null;
  /** What the backend needs to find the job again (its plan's details), kept from before the launch. */
  readonly providerDetails: ProviderDetails | null;
  /** Who launched the job (`DLRUN_USER`, else the OS user); null for a job recorded before owners were. */
  readonly owner: string | null;
  /** The host it was launched from (`os.hostname()`); null for a job recorded before hosts were. */
  readonly host: string | null;
  /**
   * The id of the ledger that launched the job when it was another one (the job was copied in by `dlrun ledger
   * migrate`), else null. Its provider resources carry that id: use `launchLedgerId` whenever talking to a backend.
   */
  readonly ledgerId: LedgerId | null;
}

/**
 * The ledger id a job's provider resources carry (tags, labels, object keys, client tokens): the id of the ledger
 * that launched it. Every BackendContext made for a stored job takes this id, never `ledger.id` alone.
 */
export function launchLedgerId(job: Pick<StoredJob, 'ledgerId'>, ledger: Pick<Ledger, 'id'>): LedgerId {
  return job.ledgerId ?? ledger.id;
}

/** One entry of the append-only history: every state or phase change, with its time and the provider's word. */
export interface JobEvent {
  readonly id: number;
  readonly jobId: JobId;
  /** When it happened, by the clock of whoever reported it. */
  readonly at: string;
  /** When the ledger recorded it. */
  readonly recordedAt: string;
  readonly source: EventSource;
  readonly state: JobState | null;
  readonly phase: Phase | null;
  readonly providerState: string | null;
  readonly message: string | null;
}

export interface NewJob {
  readonly jobId: JobId;
  readonly name: string;
  readonly backend: string;
  readonly jobFile: string;
  readonly spec: unknown;
  readonly submittedAt: string;
  readonly price?: PriceSnapshot;
  readonly quotedUsd?: number;
  readonly providerDetails?: ProviderDetails;
  /** Who launched it; left out, the job's owner is unknown (null). */
  readonly owner?: string;
  /** The host it was launched from; left out, unknown (null). */
  readonly host?: string;
}

/** A change reported for a job. Fields left out stay as they are. */
export interface JobChange {
  readonly at: string;
  readonly source: EventSource;
  readonly state?: JobState;
  readonly phase?: Phase;
  readonly providerState?: string;
  readonly externalId?: string;
  readonly exitCode?: number;
  readonly message?: string;
}

/**
 * A submit the validator refused before anything was launched or recorded as a job: no machine, no cost. Kept apart
 * from jobs (`status` never lists it) for `report`, which counts what such a mistake would have cost.
 */
export interface NewRefusedSubmit {
  readonly at: string;
  readonly jobName: string;
  readonly backend: string;
  readonly jobFile: string;
  /** The first error found, as the refusal said it. */
  readonly reason: string;
  /** What one failed start would have cost on that backend (quote's failed_start_usd); null when it had no price. */
  readonly estimatedFailedStartUsd: number | null;
}

export interface RefusedSubmit extends NewRefusedSubmit {
  readonly id: number;
}

/** Refused submits at or after `since` and before `until` (ISO 8601 UTC); either bound may be left out. */
export interface TimeRange {
  readonly since?: string;
  readonly until?: string;
}

export interface JobQuery {
  /** Jobs that have not ended, jobs that have, or both (the default). */
  readonly which?: 'active' | 'ended' | 'all';
  /** The most recently submitted first; at most this many. */
  readonly limit?: number;
  /** Only jobs submitted at or after this time (ISO 8601, UTC). */
  readonly submittedSince?: string;
  /** Only jobs this owner launched (exactly this name; jobs of unknown owner never match). */
  readonly owner?: string;
}

/** What `report` reads of a job: its row's plain columns, no document and no JSON it does not need. */
export interface SpendRow
  extends Pick<
    StoredJob,
    'name' | 'backend' | 'state' | 'quotedUsd' | 'billedUsd' | 'submittedAt' | 'startedAt' | 'endedAt' | 'owner'
  > {
  /** The stored bill's billed time in seconds; null before the job was billed (or when its bill gives none). */
  readonly billedS: number | null;
  /**
   * The price in force at launch, only where the report works a figure out from it: a job with no bill total or no
   * billed time stored; null everywhere else (and for a job without a price).
   */
  readonly price: PriceSnapshot | null;
}

export interface SpendQuery {
  /** Only jobs submitted at or after this time (ISO 8601, UTC). */
  readonly submittedSince?: string;
}

/** One event of a job copied from another ledger: as it was recorded there, without its id (the copy gets new ones). */
export type ImportedEvent = Omit<JobEvent, 'id' | 'jobId'>;

/**
 * A job copied whole from another ledger (`dlrun ledger migrate`): its row as stored there (times, state, price at
 * launch, bill total, end reason, provider details, phases), its documents and its events, oldest first.
 */
export interface ImportedJob {
  /** The job as the other ledger stored it; `ledgerId` is the id of the ledger that launched it (never null here). */
  readonly job: StoredJob & { readonly ledgerId: LedgerId };
  /** The job as submitted (`getJobSpec` of the other ledger). */
  readonly spec: unknown;
  /** Its stored bill, if it was billed. */
  readonly bill: Bill | undefined;
  /** The bill's billed time in seconds as the row kept it (SpendRow.billedS), or null. */
  readonly billedS: number | null;
  /** When the other ledger last changed the row. */
  readonly updatedAt: string;
  /** Its history, in the order it was recorded. */
  readonly events: readonly ImportedEvent[];
}

/** What `importRefusedSubmits` did: refused submits copied, and ones already there (same time, name and file). */
export interface ImportedRefusedSubmits {
  readonly imported: number;
  readonly alreadyPresent: number;
}

/** What `dlrun ledger info` tells about a ledger. */
export interface LedgerInfo {
  readonly kind: 'sqlite' | 'postgresql';
  /** The file, or the database URL without its password. */
  readonly location: string;
  readonly id: LedgerId;
  /** The highest migration applied. */
  readonly schemaVersion: number;
  /** Bytes on disk: the SQLite file and its write-ahead log; for PostgreSQL, the ledger's tables and indexes. */
  readonly sizeBytes: number;
  readonly jobs: number;
}

/**
 * The ledger: every job dlrun launched, its history and its bill. Write-ahead: `createJob` runs before any
 * backend is called, so a crash at any point leaves a row that reconcile can match against provider tags.
 * Asynchronous so that the SQLite and PostgreSQL implementations share it.
 */
export interface Ledger {
  /** Made once when the ledger was created; every provider resource carries it as the `dlrun-ledger` tag. */
  readonly id: LedgerId;
  /** The file or database URL, for messages. */
  readonly location: string;
  /** Write a new job in state `submitting`, with its first event. */
  createJob(job: NewJob): Promise<StoredJob>;
  /** Record a change as an event and apply it to the job. A finished job keeps its end state (see canTransition). */
  recordChange(jobId: string, change: JobChange): Promise<StoredJob>;
  /** Store the final bill. */
  recordBill(jobId: string, bill: Bill): Promise<void>;
  getJob(jobId: string): Promise<StoredJob | undefined>;
  /** The job as it was submitted (no secret values: `secrets` holds names only); kept apart from listings. */
  getJobSpec(jobId: string): Promise<unknown>;
  /** The job's stored bill, or undefined before it was billed. */
  getBill(jobId: string): Promise<Bill | undefined>;
  listJobs(query?: JobQuery): Promise<StoredJob[]>;
  /** The jobs as `report` sums them, the most recently submitted first (the order `listJobs` gives). */
  listSpendRows(query?: SpendQuery): Promise<SpendRow[]>;
  /** How many jobs the ledger holds; with `owner`, how many that owner launched. */
  countJobs(query?: Pick<JobQuery, 'owner'>): Promise<number>;
  /** Job ids that start with `prefix` (for did-you-mean on a mistyped id); none for an empty prefix. */
  jobIdsLike(prefix: string, limit: number): Promise<string[]>;
  /** Record a submit refused before any launch (it is no job: no row in `jobs`). */
  recordRefusedSubmit(refused: NewRefusedSubmit): Promise<void>;
  /** The refused submits in the range, oldest first. */
  listRefusedSubmits(range?: TimeRange): Promise<RefusedSubmit[]>;
  /** The events of these jobs, oldest first, by job id. */
  eventsOf(jobIds: readonly string[]): Promise<Map<string, JobEvent[]>>;
  /** The stored bills of these jobs, by job id; a job without one (or unknown) is left out. */
  billsOf(jobIds: readonly string[]): Promise<Map<string, Bill>>;
  /** The ledger's budget, or undefined when none is set. */
  getBudget(): Promise<Budget | undefined>;
  /** Set the budget, replacing the one before. */
  setBudget(budget: Budget): Promise<void>;
  /** Remove the budget; true when there was one. */
  clearBudget(): Promise<boolean>;
  /**
   * Copy a job from another ledger, in one transaction: its row (every column as given, `ledger_id` set to the
   * launching ledger's id, or NULL when that is this ledger), its documents and its events (new ids, same order).
   * A job id already here is left as it is ('already-present'): copying twice changes nothing. On any failure
   * nothing of the job is written.
   */
  importJob(imported: ImportedJob): Promise<'imported' | 'already-present'>;
  /**
   * Copy refused submits from another ledger, in one transaction; one already here (the same `at`, `jobName` and
   * `jobFile`) is skipped.
   */
  importRefusedSubmits(refused: readonly NewRefusedSubmit[]): Promise<ImportedRefusedSubmits>;
  /**
   * The ids of the ledgers that launched the jobs held here: this ledger's own first, then those of jobs copied in
   * (their `ledger_id`), each once, sorted. `gc` looks for leftovers under each.
   */
  launchLedgerIds(): Promise<LedgerId[]>;
  /** What `dlrun ledger info` shows: kind, location, id, schema version, size, number of jobs. */
  info(): Promise<LedgerInfo>;
  close(): Promise<void>;
}

import type { BackendName } from '../spec/backend-names.js';
import type { JobSpec } from '../spec/job-spec.js';
import type { BackendCapabilities } from './capabilities.js';
import type { JobState, Phase } from './job-state.js';
import type { JobId, LedgerId } from './job-id.js';
import type { ResourceTags } from './tags.js';

/** What every backend call gets from dlrun: who is asking and where things live. */
export interface BackendContext {
  /** The ledger's id, for the `dlrun-ledger` tag and for finding this ledger's resources only. */
  readonly ledgerId: LedgerId;
  /** `DLRUN_HOME`: where the local backend keeps job folders. */
  readonly home: string;
  /**
   * The environment, for the providers' own credential chains and endpoints: the shell's, plus what `.env` may add
   * (all of it in a folder the user allowed, harmless settings otherwise; src/trust/dotenv-rules.ts).
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * The submitting shell's own environment, without `.env`: what a job running on this machine inherits is taken from
   * here only (`inheritedEnvironment`). This process's environment when absent.
   */
  readonly shell?: Readonly<Record<string, string | undefined>>;
  /** Names whose value in `env` came from `.env`, so that a backend can say where a setting came from. */
  readonly fromDotenv?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
}

/**
 * An endpoint a backend will send requests to that is not the provider's own (a private cloud, a stand-in, or a
 * server someone else chose): `submit`, `submit --dry-run` and `check` always show these.
 */
export interface ForeignEndpoint {
  /** Whose own endpoints these requests would otherwise go to, e.g. `AWS`. */
  readonly provider: string;
  /** Which of its services, e.g. `S3`, `EC2, STS`; undefined for every service the backend uses. */
  readonly services?: string;
  /** Where the requests go instead; any password in it is left out. */
  readonly url: string;
  /** The setting that says so, e.g. `AWS_ENDPOINT_URL`, `endpoint_url of profile dev`. */
  readonly setting: string;
  /** Where that setting came from, e.g. `your shell`, `.env`, `/home/me/.aws/config`. */
  readonly source: string;
}

/** When the job must be stopped: max_runtime, or sooner when max_cost runs out at the job's rate. */
export interface StopAfter {
  /** Seconds after the job starts, or null for no limit. */
  readonly seconds: number | null;
  /** Which limit it is, for the message when it is reached ("max_runtime 4h"). */
  readonly reason: string | null;
}

/** `plan` gets the job's identity and its limit on top of the common context. */
export interface PlanContext extends BackendContext {
  readonly jobId: JobId;
  readonly stopAfter: StopAfter;
}

/** `submit` also gets the values of the job's `secrets`, read from the submitting shell; never stored. */
export interface SubmitContext extends BackendContext {
  readonly secrets: Readonly<Record<string, string>>;
  /**
   * Called by a backend that can tell (EC2) right before its first request that may start a machine. Until then a
   * failed or interrupted submit certainly launched nothing, so the job can be ended at once instead of waiting
   * for the provider to list a machine that cannot exist. Backends that never call it are treated as unsure.
   */
  readonly launching?: () => Promise<void>;
}

/** One provider request submit would send, shown by `submit --dry-run`. */
export interface PlannedRequest {
  /** The provider operation, e.g. `ec2:RunInstances` or `POST /api/v2/jobs/`. */
  readonly operation: string;
  readonly description: string;
  /** The request body exactly as it would be sent, secrets shown by name only. */
  readonly body: unknown;
}

/** Everything submit will do for one job, computed offline so `--dry-run` can print it and `submit` can run it. */
export interface LaunchPlan {
  readonly jobId: JobId;
  readonly backend: BackendName;
  readonly job: JobSpec;
  readonly tags: ResourceTags;
  readonly stopAfter: StopAfter;
  readonly requests: readonly PlannedRequest[];
  /** The startup script (bootstrap) as it will run on the machine. */
  readonly startupScript: string | undefined;
  /**
   * What the adapter needs to find the job again (its region, its bucket), as JSON. The ledger keeps it with the job
   * from before the launch, so a job whose submit crashed can still be found and reconciled.
   */
  readonly details?: ProviderDetails;
}

/** Adapter-owned data kept with a job in the ledger (JSON values only). */
export type ProviderDetails = Readonly<Record<string, string | number | boolean | null>>;

/** How dlrun finds a job again at the provider. */
export interface JobHandle {
  readonly jobId: JobId;
  readonly backend: BackendName;
  /** The provider's id (instance ids, customJob name, Rescale job id, local process group); null before launch. */
  readonly externalId: string | null;
  /** The plan's details, as the ledger kept them. */
  readonly details?: ProviderDetails;
  /** When the job was submitted (ISO 8601): a job missing at the provider soon after may just not be visible yet. */
  readonly submittedAt?: string;
}

/** A job as the provider reports it right now. */
export interface JobStatus {
  readonly jobId: JobId;
  /** dlrun's word for the state. */
  readonly state: JobState;
  /** The provider's own word, kept beside dlrun's. */
  readonly providerState: string;
  readonly phase?: Phase;
  /** When each phase began, when the provider or the machine's markers tell. */
  readonly phaseStartedAt?: Partial<Readonly<Record<Phase, string>>>;
  readonly exitCode?: number;
  /** When the job ended, for a job that has (by the provider's or the machine's clock). */
  readonly endedAt?: string;
  /** The provider's reason, e.g. a spot interruption notice. */
  readonly message?: string;
  /** The provider's id, when the provider found the job without it (a submit that died before recording it). */
  readonly externalId?: string;
  /**
   * For a job that has ended, what `billingFacts` would answer, when the status call already read it: the bill is
   * then settled without another request per job (a status of 1,000 jobs stays one DescribeInstances).
   */
  readonly billing?: { readonly facts: unknown } | { readonly unavailable: true };
  readonly observedAt: string;
}

export interface LogChunk {
  readonly text: string;
}

export interface LogOptions {
  /** Keep reading until the job ends. */
  readonly follow: boolean;
  readonly signal?: AbortSignal;
  /**
   * Only about the last this many bytes (to show why a job failed without reading a log of gigabytes); the first
   * line may be cut. Ignored with `follow`; a backend that cannot seek may read it all.
   */
  readonly tailBytes?: number;
}

/** The provider's own billing figure for a job. */
export interface ProviderUsage {
  readonly totalUsd: number;
  /** Where the figure came from, e.g. "AWS Cost Explorer, tag dlrun-job-id". */
  readonly source: string;
}

/** One check of `dlrun check`: whether something needed to use a backend is there, and what was found. */
export interface CheckItem {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
  /** A failed required check makes the backend unusable; an optional one is advice. */
  readonly required: boolean;
}

/** A garbage item that is still there after removal was tried (a group whose instances are still shutting down). */
export interface GarbageLeft {
  readonly item: GarbageItem;
  readonly reason: string;
}

/** What findGarbage found, and where it could not look: gc reports the places not searched and exits 1. */
export interface GarbageSearch {
  readonly items: readonly GarbageItem[];
  readonly unsearched: readonly GarbageUnsearched[];
}

/** A look-up that failed: what kind of resource was not searched for, where, and the provider's error. */
export interface GarbageUnsearched {
  /** `instance`, `volume`, `object` ..., as in GarbageItem. */
  readonly kind: string;
  /** A region, or `region/bucket`. */
  readonly location: string;
  readonly error: string;
}

/** A provider resource this ledger started that belongs to no active job and may still bill (`dlrun gc`). */
export interface GarbageItem {
  /** `instance`, `volume`, `security-group`, `placement-group`, `object` ... */
  readonly kind: string;
  readonly id: string;
  readonly jobId: JobId | null;
  readonly description: string;
  /** Where it is, as the adapter needs it to delete it (a region, a bucket). */
  readonly location: string;
}

/** What `pullOutputs` brought home. */
export interface PulledOutputs {
  readonly files: number;
  readonly bytes: number;
  /** What was not pulled and why (a FIFO, an archive entry that would land outside the folder), for the user. */
  readonly skipped?: readonly string[];
}

/**
 * THE contract every backend implements. Adapters are factories that return this object; dlrun's core never
 * imports an adapter except through `src/core/backends.ts`, lazily.
 */
export interface TrainingBackend {
  readonly name: BackendName;
  readonly capabilities: BackendCapabilities;
  /** The exact requests submit would send. No provider call that creates anything. */
  plan(job: JobSpec, context: PlanContext): Promise<LaunchPlan>;
  /** Launch. Idempotent per job id: a retry after a crash finds the first launch instead of starting another. */
  submit(plan: LaunchPlan, context: SubmitContext): Promise<JobHandle>;
  /**
   * Checks that need the provider's credentials but create nothing, run before the ledger row is written: a job
   * refused here leaves no trace (temporary credentials that expire before the job's limit, say).
   */
  preflight?(plan: LaunchPlan, context: SubmitContext): Promise<void>;
  /** True when `submit` calls `context.launching` before anything that may start a machine (see SubmitContext). */
  readonly announcesLaunch?: boolean;
  /** Batched: one provider call for many jobs where the API allows. Unknown handles come back as `lost`. */
  status(handles: readonly JobHandle[], context: BackendContext): Promise<JobStatus[]>;
  /** End the job and delete everything it started. A no-op on a finished job. */
  cancel(handle: JobHandle, context: BackendContext): Promise<void>;
  logs?(handle: JobHandle, options: LogOptions, context: BackendContext): AsyncIterable<LogChunk>;
  usage?(handle: JobHandle, context: BackendContext): Promise<ProviderUsage | undefined>;
  /**
   * What the bill of an ended job needs that only the provider knows (EC2: each instance's own running time, zone
   * and end reason, and the spot prices over the run), handed unchanged to that backend's bill rules. Undefined
   * when the provider has nothing (the bill then uses the ledger's times); a rejection means "ask again later".
   */
  billingFacts?(handle: JobHandle, context: BackendContext): Promise<unknown>;
  /**
   * Copy the job's outputs (its `outputs` folder) into `destination`, a local folder that exists (its links already
   * followed): never through a link inside it (src/util/copy-tree.ts).
   */
  pullOutputs?(handle: JobHandle, destination: string, context: BackendContext): Promise<PulledOutputs>;
  /** Every job handle tagged with this ledger's id, for gc and reconcile. */
  list(context: BackendContext): Promise<JobHandle[]>;
  /** The backend's own checks for `dlrun check`: credentials, permissions, quotas. */
  check?(context: BackendContext): Promise<CheckItem[]>;
  /**
   * Every endpoint this backend would send requests to that is not the provider's own, as the context's settings
   * say (no request is made). Backends that always talk to their provider's own endpoints leave it out.
   */
  endpoints?(context: BackendContext): readonly ForeignEndpoint[];
  /**
   * Resources of this ledger that belong to no active job (`activeJobIds`); `knownJobs` are every job of the ledger
   * on this backend, whose details tell where to look (regions, buckets).
   */
  findGarbage?(
    activeJobIds: ReadonlySet<JobId>,
    knownJobs: readonly JobHandle[],
    context: BackendContext,
  ): Promise<GarbageSearch>;
  /** Remove what findGarbage found; resolves with what could not be removed yet, and why (gc says so). */
  removeGarbage?(items: readonly GarbageItem[], context: BackendContext): Promise<readonly GarbageLeft[]>;
}

/** What an adapter module exports: `adapters/<name>/<name>-backend.ts`. */
export interface BackendModule {
  createBackend(): TrainingBackend;
}

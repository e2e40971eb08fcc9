/**
 * The CustomJobs of the Vertex AI stand-in: their states on a clock, and their replicas, which run the container's
 * command with the test's PATH in a folder of their own, as a training node would run the container.
 *
 * Lifecycle ([V] "Understand the training service" page, unless marked):
 * - QUEUED, then PENDING, then RUNNING (startTime set) when every replica has started; the replicas start together.
 * - The job SUCCEEDS when the primary replica (workerpool0-0) exits 0; the other replicas are then shut down.
 * - A replica that exits non-zero FAILS the job: "The replica REPLICA_NAME exited with a non-zero status of EXIT_CODE.
 *   Termination reason: REASON." The google.rpc code in `error` is 3 ([U]). Vertex's restarts of transient exit
 *   codes (SIGABRT, SIGSEGV) and of internal errors are not modelled.
 * - cancel: CANCELLING, the replicas get SIGTERM; CANCELLED after `cancellingMs`, with error.code 1 [V].
 * - scheduling.timeout, counted from RUNNING: the replicas are killed and the job ends CANCELLED ([S] tfx issue
 *   #6223, "cancelled after exactly 7 days"; the reference says "cancelled"); `timeoutEndsAs` makes it FAILED with
 *   DEADLINE_EXCEEDED instead, for the case that it is. Its message is the stand-in's own [U].
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { killAllAndWait, killGroup, signalNumber } from './process-groups.js';
import { durationMs, type JobState, type JsonObject } from './vertex-validation.js';
import { RPC_CODES, type RpcStatus } from './vertex-status.js';

export const TERMINAL_STATES: readonly JobState[] = [
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
];

export interface JobClock {
  /** How long a new job stays JOB_STATE_QUEUED (Infinity: until setState). */
  readonly queuedMs: number;
  /** How long it then stays JOB_STATE_PENDING before RUNNING. */
  readonly pendingMs: number;
  /** How long a cancelled job stays JOB_STATE_CANCELLING. */
  readonly cancellingMs: number;
  /** The state a job that reaches scheduling.timeout ends in. */
  readonly timeoutEndsAs: 'JOB_STATE_CANCELLED' | 'JOB_STATE_FAILED';
}

export interface ReplicaEnvironment {
  /** PATH of every replica. */
  readonly path: string;
  /** More variables for every replica (a storage stand-in's endpoint, an access token...). */
  readonly env: Readonly<Record<string, string>>;
}

/** A line a replica wrote, as Cloud Logging would hold it (resource ml_job [V]; the rest of the entry [S]). */
export interface LogEntry {
  readonly logName: string;
  readonly resource: {
    readonly type: 'ml_job';
    readonly labels: { readonly job_id: string; readonly project_id: string; readonly task_name: string };
  };
  /** stdout lines are INFO, stderr lines ERROR ([S]: how the logging agent tags the two streams). */
  readonly severity: 'INFO' | 'ERROR';
  readonly textPayload: string;
  readonly timestamp: string;
}

/** One replica: `workerpool{pool}-{index}`, as Vertex names nodes in webAccessUris [V]. */
export interface Replica {
  readonly task: string;
  readonly pool: number;
  readonly index: number;
  readonly dir: string;
  process?: ChildProcess;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  /** Resolves when the process has exited and its output is read (at once if it never started). */
  finished: Promise<void>;
}

export interface JobRecord {
  /** The numeric id, the last segment of the name. */
  readonly id: string;
  readonly region: string;
  /** The CustomJob as the API returns it. */
  readonly resource: JsonObject;
  readonly dir: string;
  replicas: Replica[];
  readonly logs: Map<string, LogEntry[]>;
  /** The timer of the current state (QUEUED -> PENDING, PENDING -> RUNNING, CANCELLING -> CANCELLED). */
  clock?: NodeJS.Timeout;
  timeout?: NodeJS.Timeout;
}

/** The code is [V] (1, CANCELLED); the words are the stand-in's own [U]. */
const CANCELLED_MESSAGE = 'The job was cancelled.';

const startNs = BigInt(Date.now()) * 1_000_000n;
const startHr = process.hrtime.bigint();

/** Now, as an RFC 3339 time with nanoseconds, written as proto3 JSON writes a Timestamp (0, 3, 6 or 9 digits) [V]. */
export function timestamp(): string {
  const ns = startNs + (process.hrtime.bigint() - startHr);
  const seconds = new Date(Number(ns / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
  const fraction = ns % 1_000_000_000n;
  let digits = fraction.toString().padStart(9, '0');
  if (fraction === 0n) return `${seconds}Z`;
  if (fraction % 1_000_000n === 0n) digits = digits.slice(0, 3);
  else if (fraction % 1_000n === 0n) digits = digits.slice(0, 6);
  return `${seconds}.${digits}Z`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

export class JobRunner {
  constructor(
    private readonly clock: JobClock,
    private readonly environment: ReplicaEnvironment,
    private readonly projectNumber: string,
    private readonly baseDir: string,
  ) {}

  private readonly live = new Set<ChildProcess>();

  /** Puts a job in a state, with what that state brings (timestamps, timers, replicas started or stopped). */
  enter(job: JobRecord, state: JobState, error?: RpcStatus): void {
    const resource = job.resource;
    clearTimeout(job.clock);
    job.clock = undefined;
    resource.state = state;
    resource.updateTime = timestamp();
    const later = (ms: number, next: () => void): void => {
      if (Number.isFinite(ms)) job.clock = setTimeout(next, ms);
    };
    switch (state) {
      case 'JOB_STATE_QUEUED':
        later(this.clock.queuedMs, () => this.enter(job, 'JOB_STATE_PENDING'));
        break;
      case 'JOB_STATE_PENDING':
        later(this.clock.pendingMs, () => this.enter(job, 'JOB_STATE_RUNNING'));
        break;
      case 'JOB_STATE_RUNNING':
        resource.startTime ??= resource.updateTime;
        if (job.replicas.length === 0) void this.startReplicas(job);
        this.scheduleTimeout(job);
        break;
      case 'JOB_STATE_CANCELLING':
        clearTimeout(job.timeout);
        for (const replica of job.replicas) killGroup(replica.process, 'SIGTERM');
        later(this.clock.cancellingMs, () =>
          this.enter(job, 'JOB_STATE_CANCELLED', { code: RPC_CODES.CANCELLED, message: CANCELLED_MESSAGE }),
        );
        break;
      default:
        if (TERMINAL_STATES.includes(state)) {
          clearTimeout(job.timeout);
          resource.endTime = resource.updateTime;
          for (const replica of job.replicas) killGroup(replica.process, 'SIGKILL');
        }
    }
    const status =
      error ?? (state === 'JOB_STATE_FAILED' || state === 'JOB_STATE_CANCELLED' ? defaultError(state) : undefined);
    if (status !== undefined && (error !== undefined || resource.error === undefined))
      resource.error = structuredClone(status) as unknown as JsonObject;
  }

  private scheduleTimeout(job: JobRecord): void {
    const scheduling = (job.resource.jobSpec as JsonObject).scheduling as JsonObject | undefined;
    const limit = typeof scheduling?.timeout === 'string' ? durationMs(scheduling.timeout) : undefined;
    if (limit === undefined || job.timeout !== undefined) return;
    job.timeout = setTimeout(() => {
      if (job.resource.state !== 'JOB_STATE_RUNNING') return;
      const failed = this.clock.timeoutEndsAs === 'JOB_STATE_FAILED';
      this.enter(job, this.clock.timeoutEndsAs, {
        code: failed ? RPC_CODES.DEADLINE_EXCEEDED : RPC_CODES.CANCELLED,
        message: `The job ran longer than its scheduling.timeout of ${String(scheduling!.timeout)} and was stopped.`,
      });
    }, limit);
  }

  private async startReplicas(job: JobRecord): Promise<void> {
    const spec = job.resource.jobSpec as JsonObject;
    const pools = (spec.workerPoolSpecs ?? []) as JsonObject[];
    // Known at once, so that a second RUNNING (setState) does not start them twice.
    const replicas: Replica[] = pools.flatMap((poolSpec, pool) =>
      Array.from(
        { length: Object.keys(poolSpec).length === 0 ? 0 : Number(poolSpec.replicaCount ?? 0) },
        (_, index) => {
          const task = `workerpool${pool}-${index}`;
          return { task, pool, index, dir: path.join(job.dir, task), finished: Promise.resolve() };
        },
      ),
    );
    job.replicas = replicas;
    const cluster: Record<string, string[]> = {};
    for (const replica of replicas) {
      // Real nodes are hosts of their own (workerpool0-0:2222 style [S]); here every replica is on loopback, so
      // each gets a free port for its address, and a rendezvous between replicas can work.
      const address = `127.0.0.1:${await freePort()}`;
      cluster[`workerpool${replica.pool}`] = [...(cluster[`workerpool${replica.pool}`] ?? []), address];
    }
    if (job.resource.state !== 'JOB_STATE_RUNNING') return;
    for (const replica of replicas) this.startReplica(job, replica, pools[replica.pool]!, cluster);
  }

  private startReplica(job: JobRecord, replica: Replica, pool: JsonObject, cluster: Record<string, string[]>): void {
    mkdirSync(replica.dir, { recursive: true });
    const entries: LogEntry[] = [];
    job.logs.set(replica.task, entries);
    const log = (severity: LogEntry['severity'], textPayload: string): void =>
      void entries.push({
        logName: `projects/${this.projectNumber}/logs/${replica.task}`,
        resource: {
          type: 'ml_job',
          labels: { job_id: job.id, project_id: this.projectNumber, task_name: replica.task },
        },
        severity,
        textPayload,
        timestamp: timestamp(),
      });

    const container = pool.containerSpec as JsonObject | undefined;
    const command = [...((container?.command ?? []) as string[]), ...((container?.args ?? []) as string[])];
    if (container === undefined || (container.command ?? []).toString() === '') {
      // The stand-in has no images: it can run only what containerSpec.command names.
      const why = container
        ? `the stand-in cannot run image ${String(container.imageUri)} without containerSpec.command`
        : 'the stand-in does not run pythonPackageSpec replicas';
      log('ERROR', why);
      replica.exit = { code: 127, signal: null };
      queueMicrotask(() => this.replicaExited(job, replica));
      return;
    }
    const spec = job.resource.jobSpec as JsonObject;
    const env: Record<string, string> = {
      PATH: this.environment.path,
      HOME: replica.dir,
      ...this.environment.env,
      ...Object.fromEntries(((container.env ?? []) as JsonObject[]).map((e) => [e.name, String(e.value ?? '')])),
      // What Vertex AI sets itself wins over the job's own variables ([U]).
      CLUSTER_SPEC: JSON.stringify({
        cluster,
        environment: 'cloud',
        task: { type: `workerpool${replica.pool}`, index: replica.index },
      }),
      ...outputDirectories(spec),
    };
    const child = spawn(command[0]!, command.slice(1), {
      cwd: replica.dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    replica.process = child;
    this.live.add(child);
    const lines = (severity: LogEntry['severity']): ((chunk: Buffer) => void) => {
      let partial = '';
      const stream = severity === 'INFO' ? child.stdout : child.stderr;
      stream?.on('end', () => {
        if (partial !== '') log(severity, partial);
      });
      return (chunk) => {
        const text = partial + chunk.toString('utf8');
        const complete = text.split('\n');
        partial = complete.pop()!;
        for (const line of complete) log(severity, line);
      };
    };
    child.stdout?.on('data', lines('INFO'));
    child.stderr?.on('data', lines('ERROR'));
    replica.finished = new Promise((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        // A command that cannot be started: what a container runtime reports as exit status 127.
        log('ERROR', `exec: ${command[0]}: ${error.code === 'ENOENT' ? 'not found' : error.message}`);
        replica.exit ??= { code: 127, signal: null };
      });
      child.once('exit', (code, signal) => {
        replica.exit ??= { code, signal };
        // A container stops with its main process: whatever it left running goes too (and lets the pipes close).
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // The group is empty.
        }
      });
      child.once('close', () => {
        this.live.delete(child);
        resolve();
        this.replicaExited(job, replica);
      });
    });
  }

  private replicaExited(job: JobRecord, replica: Replica): void {
    if (job.resource.state !== 'JOB_STATE_RUNNING' || replica.exit === undefined) return;
    const { code, signal } = replica.exit;
    const status = code ?? 128 + signalNumber(signal ?? 'SIGKILL');
    if (status === 0) {
      if (replica.pool === 0) this.enter(job, 'JOB_STATE_SUCCEEDED');
      return;
    }
    this.enter(job, 'JOB_STATE_FAILED', {
      code: RPC_CODES.INVALID_ARGUMENT,
      message: `The replica ${replica.task} exited with a non-zero status of ${status}. Termination reason: Error.`,
    });
  }

  /** Kills every replica process still running, and waits for them. */
  async stopAll(): Promise<void> {
    await killAllAndWait(this.live);
  }

  /** For process exit: kill what is left, synchronously. */
  killAllNow(): void {
    for (const child of this.live) killGroup(child, 'SIGKILL');
  }

  jobDir(id: string): string {
    return path.join(this.baseDir, id);
  }
}

/** AIP_MODEL_DIR and friends, derived from baseOutputDirectory ([V] CustomJobSpec.baseOutputDirectory comment). */
function outputDirectories(spec: JsonObject): Record<string, string> {
  const prefix = (spec.baseOutputDirectory as JsonObject | undefined)?.outputUriPrefix;
  if (typeof prefix !== 'string') return {};
  const base = prefix.replace(/\/+$/, '');
  return {
    AIP_MODEL_DIR: `${base}/model/`,
    AIP_CHECKPOINT_DIR: `${base}/checkpoints/`,
    AIP_TENSORBOARD_LOG_DIR: `${base}/logs/`,
  };
}

function defaultError(state: JobState): RpcStatus {
  if (state === 'JOB_STATE_CANCELLED') return { code: RPC_CODES.CANCELLED, message: CANCELLED_MESSAGE };
  return { code: RPC_CODES.INTERNAL, message: 'Internal error occurred for the current attempt.' };
}

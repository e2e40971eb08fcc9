/**
 * The jobs of the Rescale stand-in: their statuses on a clock, and the analysis command, run with bash in a work
 * directory of the job's own as Rescale's node would run it.
 *
 * Lifecycle ([V] the status words and their order, providers.md 5.3; the rest as marked):
 * - Created: Pending. Submit: after `pendingMs` Queued, then Started (the cluster is up: the walltime counts from
 *   here [U]), Validated, Executing, each after the previous one's time.
 * - Executing: the input files are copied into the work directory as uploaded (an archive is not extracted [U]),
 *   then `bash -c <command>` runs there, its stdout and stderr in `process_output.log` in the work directory
 *   (the name [V] from the docs' sample output files). HOME is the folder above the work directory [U].
 * - The command ends: every file in the work directory becomes an output file of the job, then the job is Completed,
 *   whatever the exit code ([U]: Rescale's Completed does not say the command succeeded). The exit code is in the
 *   Completed status's statusReason ("Command exited with code 3." [U] the words; empty for 0).
 * - A command that cannot start (bash not on PATH, an input file gone): Failed, with the reason.
 * - Stop: Stopping (the command gets SIGTERM), then after `stoppingMs` Stopped (SIGKILL for what is left); the files
 *   written so far become output files [U].
 * - The walltime (hours x `hourMs`, from Started) stops the job as a stop does, ending Stopped with the reason
 *   "Walltime of N hours exceeded." ([S] "when walltime is hit, the job is stopped"; [U] Stopped rather than
 *   Terminated (`walltimeEndsAs` makes it Terminated), and the words).
 * - Several slots (nodes): the command runs once, on "node 0", with `$HOME/machinefile` listing a host per core
 *   (all `localhost`) [U] what Rescale writes for MPI.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JobSpec } from './rescale-job-body.js';
import { killAllAndWait, killGroup, signalNumber } from './process-groups.js';
import type { JsonObject } from './rescale-errors.js';
import { type FileStore, rescaleDate } from './rescale-files.js';

export type RescaleStatus =
  | 'Pending'
  | 'Queued'
  | 'Started'
  | 'Validated'
  | 'Executing'
  | 'Completed'
  | 'Stopping'
  | 'Stopped'
  | 'Force Stopped'
  | 'Failed'
  | 'Terminated';

/** [V] Interlink's terminal set. */
export const TERMINAL_STATUSES: readonly RescaleStatus[] = [
  'Completed',
  'Failed',
  'Stopped',
  'Force Stopped',
  'Terminated',
];

export interface StatusEntry {
  readonly status: RescaleStatus;
  readonly statusDate: string;
  readonly statusReason: string;
}

export interface JobClock {
  /** After submit, how long the job stays Pending before Queued (ms; Infinity holds it). */
  readonly pendingMs: number;
  readonly queuedMs: number;
  readonly startedMs: number;
  readonly validatedMs: number;
  /** How long Stopping lasts before Stopped. */
  readonly stoppingMs: number;
  /** How long one walltime hour lasts (3 600 000 for real time; tests use a few ms). */
  readonly hourMs: number;
  /** The status a job stopped at its walltime ends in, after Stopping ([U] which: Stopped by default). */
  readonly walltimeEndsAs: 'Stopped' | 'Terminated';
}

export interface JobEnvironment {
  readonly path: string;
  /** Read when a command starts (so that it can name the server's URL, known only once it listens). */
  readonly env: () => Readonly<Record<string, string>>;
  /** RESCALE_API_KEY in the job [V]. */
  readonly apiKey: string;
}

export interface JobRecord {
  readonly id: string;
  /** The job as GET jobs/{id}/ gives it. */
  readonly resource: JsonObject;
  readonly spec: JobSpec;
  readonly dateInserted: string;
  /** Oldest first (the API answers newest first). */
  readonly statuses: StatusEntry[];
  submitted: boolean;
  /** HOME of the command; the work directory is `work` in it. */
  readonly dir: string;
  child?: ChildProcess;
  /** Resolves when the command has ended (at once when it never started). */
  finished: Promise<void>;
  exitCode?: number;
  /** Output file ids, once the run has ended. */
  outputs: string[];
  dateStarted?: string;
  dateCompleted?: string;
  /** What Stopping ends in (Stopped, unless the walltime says otherwise). */
  stoppingEndsAs?: RescaleStatus;
  clock?: NodeJS.Timeout;
  walltime?: NodeJS.Timeout;
}

export const currentStatus = (job: JobRecord): StatusEntry => job.statuses[job.statuses.length - 1]!;
export const isTerminal = (job: JobRecord): boolean => TERMINAL_STATUSES.includes(currentStatus(job).status);

export class RescaleJobRunner {
  private readonly live = new Set<ChildProcess>();
  private closed = false;

  constructor(
    private readonly clock: JobClock,
    private readonly environment: JobEnvironment,
    private readonly files: FileStore,
  ) {}

  workDir(job: JobRecord): string {
    return path.join(job.dir, 'work');
  }

  /** Puts a job in a status, with what it brings: the next status on the clock, the command started or stopped. */
  enter(job: JobRecord, status: RescaleStatus, reason = ''): void {
    if (this.closed) return;
    clearTimeout(job.clock);
    job.clock = undefined;
    job.statuses.push({ status, statusDate: rescaleDate(), statusReason: reason });
    const later = (ms: number, next: () => void): void => {
      if (Number.isFinite(ms)) job.clock = setTimeout(next, ms);
    };
    switch (status) {
      case 'Pending':
        if (job.submitted) later(this.clock.pendingMs, () => this.enter(job, 'Queued'));
        break;
      case 'Queued':
        later(this.clock.queuedMs, () => this.enter(job, 'Started'));
        break;
      case 'Started':
        this.startWalltime(job);
        later(this.clock.startedMs, () => this.enter(job, 'Validated'));
        break;
      case 'Validated':
        later(this.clock.validatedMs, () => this.enter(job, 'Executing'));
        break;
      case 'Executing':
        if (job.child === undefined) this.run(job);
        break;
      case 'Stopping':
        killGroup(job.child, 'SIGTERM');
        later(this.clock.stoppingMs, () => void this.settle(job, job.stoppingEndsAs ?? 'Stopped', reason));
        break;
      default:
        // A terminal status (from setStatus, or after settle): nothing may run on.
        clearTimeout(job.walltime);
        job.dateCompleted ??= currentStatus(job).statusDate;
        killGroup(job.child, 'SIGKILL');
    }
  }

  /** Submit: the clock starts. */
  submit(job: JobRecord): void {
    job.submitted = true;
    // The job stays Pending (no second Pending in its history) until the clock moves it on.
    clearTimeout(job.clock);
    if (Number.isFinite(this.clock.pendingMs))
      job.clock = setTimeout(() => this.enter(job, 'Queued'), this.clock.pendingMs);
  }

  /** Ends a job in a terminal status after its command is gone and its files are collected. */
  async settle(job: JobRecord, status: RescaleStatus, reason = ''): Promise<void> {
    clearTimeout(job.clock);
    clearTimeout(job.walltime);
    killGroup(job.child, 'SIGKILL');
    await job.finished;
    if (isTerminal(job) || this.closed) return;
    this.collect(job);
    this.enter(job, status, reason);
  }

  private collect(job: JobRecord): void {
    if (job.outputs.length > 0 || job.dateStarted === undefined) return;
    job.outputs = this.files.collectOutputs(job.id, this.workDir(job)).map((file) => file.id);
  }

  private startWalltime(job: JobRecord): void {
    const hours = job.spec.walltime;
    if (hours === null || job.walltime !== undefined) return;
    job.walltime = setTimeout(() => {
      if (isTerminal(job) || currentStatus(job).status === 'Stopping') return;
      job.stoppingEndsAs = this.clock.walltimeEndsAs;
      this.enter(job, 'Stopping', `Walltime of ${hours} hour${hours === 1 ? '' : 's'} exceeded.`);
    }, hours * this.clock.hourMs);
  }

  private run(job: JobRecord): void {
    const workDir = this.workDir(job);
    mkdirSync(workDir, { recursive: true });
    job.dateStarted = rescaleDate();
    for (const id of job.spec.inputFileIds) {
      if (!this.files.has(id)) {
        void this.settle(job, 'Failed', `Input file ${id} could not be found.`);
        return;
      }
      const file = this.files.get(id);
      copyFileSync(file.source, path.join(workDir, String(file.resource.name)));
    }
    const hosts = Array.from({ length: job.spec.slots * job.spec.coresPerSlot }, () => 'localhost');
    writeFileSync(path.join(job.dir, 'machinefile'), `${hosts.join('\n')}\n`);
    const env: Record<string, string> = {
      PATH: this.environment.path,
      HOME: job.dir,
      ...this.environment.env(),
      ...job.spec.envVars,
      // What Rescale sets itself wins over the job's variables [U].
      RESCALE_API_KEY: this.environment.apiKey,
    };
    const log = openSync(path.join(workDir, 'process_output.log'), 'a');
    let child: ChildProcess;
    try {
      child = spawn('bash', ['-c', job.spec.command], {
        cwd: workDir,
        env,
        detached: true,
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
    job.child = child;
    this.live.add(child);
    job.finished = new Promise((resolve) => {
      let startError: Error | undefined;
      child.once('error', (error) => {
        startError = error;
      });
      child.once('close', (code, signal) => {
        this.live.delete(child);
        // A node's processes go with its job: whatever the command left running is killed.
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // The group is empty.
        }
        resolve();
        if (currentStatus(job).status !== 'Executing' || this.closed) return;
        if (startError !== undefined || child.pid === undefined) {
          this.enter(job, 'Failed', `The command could not be started: ${startError?.message ?? 'no process'}.`);
          return;
        }
        job.exitCode = code ?? 128 + signalNumber(signal ?? 'SIGKILL');
        this.collect(job);
        this.enter(job, 'Completed', job.exitCode === 0 ? '' : `Command exited with code ${job.exitCode}.`);
      });
    });
  }

  /** Kills every command still running, and waits for them; the clock stops. */
  async stopAll(jobs: Iterable<JobRecord>): Promise<void> {
    this.closed = true;
    for (const job of jobs) {
      clearTimeout(job.clock);
      clearTimeout(job.walltime);
    }
    await killAllAndWait(this.live);
  }

  /** For process exit: kill what is left, synchronously. */
  killAllNow(): void {
    for (const child of this.live) killGroup(child, 'SIGKILL');
  }
}

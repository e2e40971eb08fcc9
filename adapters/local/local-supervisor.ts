/**
 * The supervisor of one local job: started detached by `dlrun submit` (so it outlives the terminal), it runs the
 * job wrapper in a process group of its own, writes the job's output to the log, enforces the job's deadline
 * (max_runtime, and max_cost at the job's rate) by stopping the whole group, and records how the job ended.
 *
 * Usage: node local-supervisor.js <job folder>
 */
import { asJobId } from '../../src/backend/job-id.js';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { spawn } from 'node:child_process';
import { localJobFolder, writeJsonAtomically } from './local-job-folder.js';
import { LogWriter } from './local-log-writer.js';
import { inheritedEnvironment } from '../../src/backend/job-environment.js';
import { identify } from '../../src/util/process-identity.js';
import type { LocalJobSettings, LocalProcesses, LocalResult } from './local-settings.js';
import { stopJobProcesses } from './local-stop.js';
import path from 'node:path';

/** setTimeout cannot wait longer than this (about 24.8 days); longer deadlines re-arm. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
/** Daemons a finished job left behind get this long to stop before they are killed. */
const LEFTOVER_GRACE_MS = 2_000;
/** Enough for result.json and for the next `dlrun status` to open and write a ledger on the same disk. */
const RESERVE_BYTES = 1024 * 1024;

const jobDirectory = process.argv[2];
if (!jobDirectory) {
  process.stderr.write('usage: local-supervisor.js <job folder>\n');
  process.exit(2);
}
const folder = localJobFolder(path.dirname(path.dirname(jobDirectory)), asJobId(path.basename(jobDirectory)));
const settings = JSON.parse(readFileSync(folder.settings, 'utf8')) as LocalJobSettings;
const secrets = readSecrets();

/** The job's secrets, which submit writes on stdin (never to disk, never into this process's environment). */
function readSecrets(): Record<string, string> {
  let text = '';
  try {
    text = readFileSync(0, 'utf8');
  } catch {
    // No stdin (started by hand, or by a test): a job without secrets.
  }
  return text.trim() ? (JSON.parse(text) as Record<string, string>) : {};
}

function note(message: string): void {
  try {
    appendFileSync(folder.supervisorLog, `${new Date().toISOString()} ${message}\n`);
  } catch {
    // A note is never worth the job: on a full disk the supervisor must still enforce limits and record the end.
  }
}

// A job may fill the disk its folder is on; the space held here is given back when it ends (see finish).
// Random bytes, so that a compressing filesystem cannot store the reserve in no space at all.
try {
  writeFileSync(folder.reserve, randomBytes(RESERVE_BYTES));
} catch {
  rmSync(folder.reserve, { force: true });
}

let droppedLogBytes = 0;
const log = new LogWriter(
  folder.log,
  folder.rotatedLog,
  settings.logLimitBytes,
  (dropped) => (droppedLogBytes = dropped),
);
const child = spawn('bash', [folder.wrapper], {
  cwd: folder.root,
  detached: true,
  // What the job gets: the base it inherits from the submitting shell (this process was started with it; filtered
  // again so that no other variable slips through), its secrets, its env: and the DLRUN_* variables.
  env: { ...inheritedEnvironment(process.env), ...secrets, ...settings.env, DLRUN_JOB_DIR: folder.root },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const processGroup = child.pid;
let stopping: { state: LocalResult['state']; message: string } | undefined;
let stopped: Promise<void> | undefined;
let finished = false;
let exitedAt: string | undefined;

child.stdout.on('data', (chunk: Buffer) => log.write(chunk));
child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
child.on('error', (error) =>
  finish({ state: 'failed', exitCode: null, signal: null, message: `could not start bash: ${error.message}` }),
);
child.on('exit', (code, signal) => void onExit(code, signal));

if (processGroup !== undefined) {
  const job = identify(processGroup);
  const supervisor = identify(process.pid);
  const processes: LocalProcesses = {
    supervisor: { pid: process.pid, started: supervisor?.started ?? '' },
    job: { pid: processGroup, started: job?.started ?? '' },
    processGroup,
    startedAt: new Date().toISOString(),
  };
  writeJsonAtomically(folder.processes, processes);
  if (settings.deadlineAt !== null) armDeadline(settings.deadlineAt);
}

// `dlrun cancel` writes the request file, then sends SIGTERM; the terminal closing (SIGHUP) changes nothing.
process.on('SIGTERM', () => {
  const requested = existsSync(folder.cancelRequest);
  void stop('cancelled', requested ? 'cancelled by dlrun cancel' : 'cancelled: the supervisor was asked to stop');
});
process.on('SIGHUP', () => undefined);
process.on('SIGINT', () => undefined);
process.on('uncaughtException', (error) => {
  note(`supervisor failed: ${error.stack ?? error.message}`);
  void stop(
    'failed',
    `dlrun's supervisor failed (${error.message}); the job was stopped so it cannot run without its limits`,
  );
});
// A cancel that came while the job was being prepared found no processes to stop. Checked after process.json
// was written, so a cancel either finds that file (and signals this supervisor) or is found here.
if (existsSync(folder.cancelRequest)) void stop('cancelled', 'cancelled by dlrun cancel');

function armDeadline(deadline: number): void {
  const remaining = deadline - Date.now();
  if (remaining > LONGEST_TIMER_MS) {
    setTimeout(() => armDeadline(deadline), LONGEST_TIMER_MS);
    return;
  }
  setTimeout(
    () => void stop('timed_out', `${settings.deadlineReason ?? 'the time limit'} reached; the job was stopped`),
    Math.max(0, remaining),
  );
}

async function stop(state: LocalResult['state'], message: string): Promise<void> {
  // Once the wrapper has exited the job has ended on its own: a deadline or a cancel that comes while its
  // leftovers are being stopped must not rewrite how it ended.
  if (stopping || finished || exitedAt !== undefined || processGroup === undefined) return;
  stopping = { state, message };
  note(`stopping the job: ${message}`);
  stopped = stopJobProcesses(settings.jobId, processGroup, settings.stopGraceMs);
  await stopped;
}

async function onExit(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
  // The job ended when its wrapper exited; stopping what it left behind is dlrun's cleanup, not its run time.
  exitedAt = new Date().toISOString();
  // The wrapper dies at the first SIGTERM; a stop under way still gives the rest of the job its full grace
  // period (to save a checkpoint) instead of a second SIGTERM and the shorter leftover grace.
  if (processGroup !== undefined) await (stopped ?? stopJobProcesses(settings.jobId, processGroup, LEFTOVER_GRACE_MS));
  const exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : null);
  const ended =
    stopping ??
    (code === 0
      ? { state: 'succeeded' as const, message: 'the job finished' }
      : { state: 'failed' as const, message: `the job exited with status ${exitCode}` });
  finish({ ...ended, exitCode, signal });
}

function finish(outcome: Pick<LocalResult, 'state' | 'exitCode' | 'signal' | 'message'>): void {
  if (finished) return;
  finished = true;
  const result: LocalResult = { ...outcome, endedAt: exitedAt ?? new Date().toISOString(), droppedLogBytes };
  // Wait briefly for the pipes to drain so the log holds the job's last words, then record the end.
  const drained = Promise.all(
    [child.stdout, child.stderr].map(
      (stream) =>
        new Promise<void>((resolve) => (stream.readableEnded ? resolve() : stream.once('close', () => resolve()))),
    ),
  );
  void Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 2_000))]).then(() => {
    log.close();
    rmSync(folder.reserve, { force: true });
    try {
      if (log.writeErrors > 0) note(`${log.writeErrors} writes to the log failed (is the disk full?)`);
      writeJsonAtomically(folder.result, { ...result, droppedLogBytes });
    } catch (error) {
      // A full disk: `dlrun status` finds no result and no supervisor, and records the job as failed.
      process.stderr.write(`could not record the job's end: ${(error as Error).message}\n`);
      process.exit(1);
    }
    process.exit(0);
  });
}

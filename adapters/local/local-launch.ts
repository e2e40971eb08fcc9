import type { JobId } from '../../src/backend/job-id.js';
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DlrunError, ProviderError } from '../../src/base/errors.js';
import { inheritedEnvironment } from '../../src/backend/job-environment.js';
import type { JobHandle, LaunchPlan, SubmitContext } from '../../src/backend/training-backend.js';
import { packageRoot } from '../../src/util/package-root.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import { copyWorkdir } from './local-copy-workdir.js';
import {
  jobsRoot,
  localJobFolder,
  readJsonIfPresent,
  writeJsonAtomically,
  type LocalJobFolder,
} from './local-job-folder.js';
import { START_TIMEOUT_MS } from './local-map-state.js';
import { identify, isAlive, type ProcessIdentity } from '../../src/util/process-identity.js';
import type { LocalJobSettings, LocalProcesses } from './local-settings.js';

/** The compiled supervisor, which runs as a program of its own (also when the tests run this file from source). */
const supervisorProgram = (): string => path.join(packageRoot(), 'dist', 'adapters', 'local', 'local-supervisor.js');

/** Who is preparing the job folder (claim.json), and which supervisor was started for it (launch.json). */
interface ClaimRecord {
  readonly claimant: ProcessIdentity | undefined;
}
interface LaunchRecord {
  readonly supervisor: ProcessIdentity;
}
/** How long a second submit waits for the first one's copy of the workdir before giving up. */
const PREPARATION_TIMEOUT_MS = 10 * 60_000;

/**
 * Launch a local job, idempotently: the job folder is claimed with an exclusive mkdir, so a second submit of the
 * same job id (a retry, a crash and reconcile) finds the first launch instead of starting another.
 */
export async function launchLocalJob(
  plan: LaunchPlan,
  context: SubmitContext,
  settings: LocalJobSettings,
): Promise<JobHandle> {
  const folder = localJobFolder(context.home, plan.jobId);
  mkdirSync(jobsRoot(context.home), { recursive: true, mode: 0o700 });
  if (!claim(folder)) {
    const existing = await waitForStart(folder, plan.jobId);
    if (existing) return existing;
    // An earlier attempt died before its supervisor started anything: start over in a clean folder.
    rmSync(folder.root, { recursive: true, force: true });
    if (!claim(folder))
      throw new ProviderError(`another dlrun is launching job ${plan.jobId} right now`, undefined, { retryable: true });
  }
  try {
    prepareFolder(plan, folder, settings);
  } catch (error) {
    rmSync(folder.root, { recursive: true, force: true });
    throw preparationError(error, plan, context.home);
  }
  const supervisor = startSupervisor(folder, context);
  writeJsonAtomically(path.join(folder.root, 'launch.json'), { supervisor } satisfies LaunchRecord);
  const handle = await waitForStart(folder, plan.jobId);
  if (!handle) throw new ProviderError(`job ${plan.jobId} did not start; see ${folder.supervisorLog}`, undefined);
  return handle;
}

function claim(folder: LocalJobFolder): boolean {
  try {
    mkdirSync(folder.root, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeJsonAtomically(claimFile(folder), { claimant: identify(process.pid) } satisfies ClaimRecord);
  return true;
}

function claimFile(folder: LocalJobFolder): string {
  return path.join(folder.root, 'claim.json');
}

function prepareFolder(plan: LaunchPlan, folder: LocalJobFolder, settings: LocalJobSettings): void {
  copyWorkdir(listWorkdir(plan.job.workdir), folder.workdir);
  writeFileSync(folder.setupScript, plan.job.setup ?? '', { mode: 0o600 });
  writeFileSync(folder.runScript, plan.job.run, { mode: 0o600 });
  copyFileSync(path.join(packageRoot(), 'templates', 'bootstrap', 'job-wrapper.sh'), folder.wrapper);
  writeJsonAtomically(folder.settings, settings);
}

function preparationError(error: unknown, plan: LaunchPlan, home: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new DlrunError(`the disk holding ${home} is full: the copy of the workdir for ${plan.jobId} did not fit`, {
      hint: 'free some space, or leave large files home with a .dlrunignore',
      cause: error,
    });
  }
  if (code === 'ENOENT') {
    return new DlrunError(
      `the workdir ${plan.job.workdir} changed while it was being copied (${(error as Error).message})`,
      { cause: error },
    );
  }
  return error;
}

function startSupervisor(folder: LocalJobFolder, context: SubmitContext): ProcessIdentity {
  const output = openSync(folder.supervisorLog, 'a', 0o600);
  try {
    // Detached: its own session, so closing the terminal (SIGHUP) or Ctrl-C in it never reaches the job. Its
    // environment is what the job inherits from the shell, nothing more (no credentials, no .env); the secrets come
    // on its stdin, so that no name among them (NODE_OPTIONS...) is ever a variable of the supervisor itself.
    const child = spawn(process.execPath, [supervisorProgram(), folder.root], {
      detached: true,
      stdio: ['pipe', output, output],
      env: inheritedEnvironment(context.shell ?? process.env),
      cwd: folder.root,
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(JSON.stringify(context.secrets));
    child.unref();
    const identity = child.pid === undefined ? undefined : identify(child.pid);
    if (!identity) throw new ProviderError('could not start the local job supervisor', undefined);
    return identity;
  } finally {
    closeSync(output);
  }
}

/**
 * Wait until the supervisor reports the job's processes (or its end). Undefined when no launch is under way:
 * the process that claimed the folder died before starting a supervisor, or the supervisor died at once.
 */
async function waitForStart(folder: LocalJobFolder, jobId: JobId): Promise<JobHandle | undefined> {
  const started = Date.now();
  while (Date.now() - started < PREPARATION_TIMEOUT_MS) {
    const processes = readJsonIfPresent<LocalProcesses>(folder.processes);
    if (processes) return { jobId, backend: 'local', externalId: String(processes.processGroup) };
    if (readJsonIfPresent(folder.result)) return { jobId, backend: 'local', externalId: null };
    const launch = readJsonIfPresent<LaunchRecord>(path.join(folder.root, 'launch.json'));
    if (launch) {
      if (!isAlive(launch.supervisor) || Date.now() - started > START_TIMEOUT_MS) return undefined;
    } else {
      const claim = readJsonIfPresent<ClaimRecord>(claimFile(folder));
      // The claim file follows the mkdir within moments; a folder without one for long was abandoned.
      if (claim ? !claim.claimant || !isAlive(claim.claimant) : Date.now() - started > 2_000) return undefined;
    }
    await sleep(20);
  }
  return undefined;
}

import { type JobId, asJobId } from '../../src/backend/job-id.js';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DlrunError } from '../../src/base/errors.js';
import { dlrunVariables } from '../../src/backend/job-environment.js';
import { resourceTags } from '../../src/backend/tags.js';
import type {
  BackendContext,
  JobHandle,
  JobStatus,
  LaunchPlan,
  PlanContext,
  SubmitContext,
  TrainingBackend,
} from '../../src/backend/training-backend.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import { localCapabilities } from './local-capabilities.js';
import { checkLocal } from './local-check.js';
import {
  jobsRoot,
  localJobFolder,
  readJsonIfPresent,
  writeJsonAtomically,
  type LocalJobFolder,
} from './local-job-folder.js';
import { launchLocalJob } from './local-launch.js';
import { localLogs } from './local-logs.js';
import { pullLocalOutputs } from './local-outputs.js';
import { readFolderState } from './local-map-state.js';
import { isAlive } from '../../src/util/process-identity.js';
import { signalProcess } from './local-process.js';
import type { LocalJobSettings, LocalProcesses, LocalResult } from './local-settings.js';
import { STOP_GRACE_MS, stopJobProcesses } from './local-stop.js';

const DEFAULT_LOG_LIMIT_BYTES = 256 * 1024 * 1024;

/** The local backend: jobs run on this machine, each watched by a detached supervisor (local-supervisor.ts). */
export function createBackend(): TrainingBackend {
  return {
    name: 'local',
    capabilities: localCapabilities,
    plan,
    submit: async (launchPlan, context) => launchLocalJob(launchPlan, context, settingsOf(launchPlan, context)),
    status: async (handles, context) => Promise.all(handles.map((handle) => statusOf(handle, context))),
    cancel,
    logs: (handle, options, context) => localLogs(localJobFolder(context.home, handle.jobId), options),
    pullOutputs: async (handle, destination, context) => {
      const settings = readJsonIfPresent<LocalJobSettings>(localJobFolder(context.home, handle.jobId).settings);
      const outputDir = settings?.env.DLRUN_OUTPUT_DIR;
      if (!outputDir) throw new DlrunError(`this machine has no folder for job ${handle.jobId}`);
      return pullLocalOutputs(outputDir, destination);
    },
    list,
    check: checkLocal,
  };
}

async function plan(job: JobSpec, context: PlanContext): Promise<LaunchPlan> {
  const folder = localJobFolder(context.home, context.jobId);
  const manifest = listWorkdir(job.workdir);
  return {
    jobId: context.jobId,
    backend: 'local',
    job,
    tags: resourceTags(context.jobId, context.ledgerId),
    stopAfter: context.stopAfter,
    startupScript: undefined,
    requests: [
      {
        operation: 'local:copy-workdir',
        description: `copy ${manifest.files.length} files of the workdir into the job folder`,
        body: {
          from: job.workdir,
          to: folder.workdir,
          files: manifest.files.length,
          bytes: manifest.bytes,
          left_out: manifest.leftOut,
          kept_home: manifest.keptHome.map((kept) => kept.path),
        },
      },
      {
        operation: 'local:start',
        description:
          'start the job detached, in a process group of its own, watched by a supervisor that enforces its limits',
        body: {
          command: ['bash', folder.wrapper],
          setup: job.setup ?? null,
          run: job.run,
          env: variablesOf(job, context.jobId, folder.workdir),
          secrets: job.secrets ?? [],
          stop_after_s: context.stopAfter.seconds,
        },
      },
    ],
  };
}

function variablesOf(job: JobSpec, jobId: JobId, workdir: string): Record<string, string> {
  return {
    ...job.env,
    ...dlrunVariables({
      jobId,
      backend: 'local',
      workdir,
      outputDir: path.join(workdir, job.outputs),
      nodes: 1,
      rank: 0,
      masterAddress: '127.0.0.1',
      gpusPerNode: job.resources.gpu?.count ?? 0,
      framework: job.framework,
      nodeAddresses: ['127.0.0.1'],
    }),
  };
}

function settingsOf(launchPlan: LaunchPlan, context: SubmitContext): LocalJobSettings {
  const folder = localJobFolder(context.home, launchPlan.jobId);
  const limit = Number(context.env.DLRUN_LOCAL_LOG_LIMIT_BYTES);
  // Unset or empty (as copied from .env.example) is the default; 0 is a setting (no grace: SIGKILL at once).
  const grace = Number(context.env.DLRUN_LOCAL_STOP_GRACE_MS || Number.NaN);
  return {
    jobId: launchPlan.jobId,
    ledgerId: context.ledgerId,
    env: variablesOf(launchPlan.job, launchPlan.jobId, folder.workdir),
    deadlineAt: launchPlan.stopAfter.seconds === null ? null : Date.now() + launchPlan.stopAfter.seconds * 1000,
    deadlineReason: launchPlan.stopAfter.reason,
    logLimitBytes: Number.isFinite(limit) && limit > 0 ? limit : DEFAULT_LOG_LIMIT_BYTES,
    stopGraceMs: Number.isFinite(grace) && grace >= 0 ? grace : STOP_GRACE_MS,
  };
}

async function statusOf(handle: JobHandle, context: BackendContext): Promise<JobStatus> {
  const folder = localJobFolder(context.home, handle.jobId);
  const state = readFolderState(handle.jobId, folder, new Date());
  if (state.kind === 'status') return state.status;
  // The supervisor died without recording an end (killed, or the machine restarted): stop whatever the job
  // left running, so no job runs without its limits, and record the end.
  await stopJobProcesses(handle.jobId, ownGroup(state.processes), graceOf(folder));
  recordEnd(
    folder,
    'failed',
    "dlrun's supervisor ended without recording the job's end (killed, or the machine restarted); " +
      'its processes were stopped',
  );
  const after = readFolderState(handle.jobId, folder, new Date());
  if (after.kind !== 'status') throw new Error(`local job ${handle.jobId}: no result after recording one`);
  return after.status;
}

function recordEnd(folder: LocalJobFolder, state: LocalResult['state'], message: string): void {
  if (existsSync(folder.result)) return;
  // The supervisor that would have given back the space it held for this did not: give it back here.
  rmSync(folder.reserve, { force: true });
  const result: LocalResult = {
    state,
    exitCode: null,
    signal: null,
    endedAt: new Date().toISOString(),
    message,
    droppedLogBytes: 0,
  };
  writeJsonAtomically(folder.result, result);
}

async function cancel(handle: JobHandle, context: BackendContext): Promise<void> {
  const folder = localJobFolder(context.home, handle.jobId);
  if (existsSync(folder.result) || !existsSync(folder.root)) return;
  writeFileSync(folder.cancelRequest, new Date().toISOString());
  const processes = readJsonIfPresent<LocalProcesses>(folder.processes);
  const grace = graceOf(folder);
  if (processes && isAlive(processes.supervisor)) {
    signalProcess(processes.supervisor.pid, 'SIGTERM');
    // The supervisor stops the job within its grace period and records the end; wait for that.
    const deadline = Date.now() + grace + 10_000;
    while (Date.now() < deadline && !existsSync(folder.result) && isAlive(processes.supervisor)) await sleep(50);
    if (existsSync(folder.result)) return;
  }
  if (processes) await stopJobProcesses(handle.jobId, ownGroup(processes), grace);
  recordEnd(folder, 'cancelled', 'cancelled by dlrun cancel');
}

/**
 * The job's process group, while it is still the job's: its leader is the very process that started the job.
 * After a restart the number may be another program's group, which must never be signalled; the job's own
 * processes are still found by the job id in their environment.
 */
function ownGroup(processes: LocalProcesses): number | undefined {
  return isAlive(processes.job) ? processes.processGroup : undefined;
}

function graceOf(folder: LocalJobFolder): number {
  return readJsonIfPresent<LocalJobSettings>(folder.settings)?.stopGraceMs ?? STOP_GRACE_MS;
}

async function list(context: BackendContext): Promise<JobHandle[]> {
  const root = jobsRoot(context.home);
  if (!existsSync(root)) return [];
  const handles: JobHandle[] = [];
  for (const jobId of readdirSync(root).map(asJobId)) {
    const settings = readJsonIfPresent<LocalJobSettings>(localJobFolder(context.home, jobId).settings);
    if (settings?.ledgerId !== context.ledgerId) continue;
    const processes = readJsonIfPresent<LocalProcesses>(localJobFolder(context.home, jobId).processes);
    handles.push({ jobId, backend: 'local', externalId: processes ? String(processes.processGroup) : null });
  }
  return handles;
}

import { DlrunError } from '../base/errors.js';
import { isTerminal, type Phase } from '../backend/job-state.js';
import { boundedPhases, boundedTime } from '../backend/time-bounds.js';
import type { JobHandle, JobStatus, TrainingBackend } from '../backend/training-backend.js';
import type { Config } from '../config.js';
import type { LedgerId } from '../backend/job-id.js';
import { launchLedgerId, type JobEvent, type Ledger, type StoredJob } from '../ledger/ledger.js';
import { isBackendName, type BackendName } from '../spec/backend-names.js';
import { backendContext } from './backend-context.js';
import { canLaunch, loadBackend } from './backends.js';
import { handleOf } from './job-handle.js';
import { onlyReachableFrom } from './job-owner.js';
import { settleBill } from './settle-bill.js';
import { STAGING, submitProgress } from './submit-progress.js';

/** A job still `submitting` this long has had time to reach its provider; only then may "no trace" mean lost. */
const SUBMIT_GRACE_MS = 120_000;
/** A submit still running (staging a large workdir, say) is waited for this long before its pid is doubted. */
const SUBMITTER_PATIENCE_MS = 3_600_000;

export interface RefreshResult {
  readonly jobs: StoredJob[];
  /** Backends that could not be asked, with why; their jobs are shown as the ledger last knew them. */
  readonly warnings: string[];
}

/**
 * Ask the providers about every active job, one batched call per backend, and record what changed: phases the
 * machine reported (with the machine's timestamps), then the state. A job that reaches its end gets its bill.
 * Backends are asked at the same time, each on its own: a local job is refreshed without waiting for a cloud, and
 * a cloud that does not answer (its clients have deadlines) leaves its jobs as the ledger knew them, with a warning.
 * A job only its own host can reach (a local job launched on another host sharing the ledger) is never asked about
 * here: this machine's backend knows nothing of it, and would call it lost. It keeps its last known state.
 */
export async function refreshJobs(ledger: Ledger, jobs: readonly StoredJob[], config: Config): Promise<RefreshResult> {
  const byBackend = new Map<BackendName, StoredJob[]>();
  const launchable = new Map<BackendName, boolean>();
  for (const job of jobs) {
    if (isTerminal(job.state) || !isBackendName(job.backend)) continue;
    if (!launchable.has(job.backend)) launchable.set(job.backend, await canLaunch(job.backend));
    if (!launchable.get(job.backend)) continue;
    if ((await onlyReachableFrom(job)) !== undefined) continue;
    byBackend.set(job.backend, [...(byBackend.get(job.backend) ?? []), job]);
  }
  const updated = new Map<string, StoredJob>();
  const warnings = new Map<BackendName, string>();
  await Promise.all(
    [...byBackend].map(async ([name, active]) => {
      try {
        const backend = await loadBackend(name);
        // One call per ledger id the jobs were launched under: a job copied in from another ledger is found by that
        // ledger's id in its tags and labels (nearly always one group: this ledger's own).
        const byLaunchLedger = new Map<LedgerId, StoredJob[]>();
        for (const job of active) {
          const id = launchLedgerId(job, ledger);
          byLaunchLedger.set(id, [...(byLaunchLedger.get(id) ?? []), job]);
        }
        for (const [launchId, launched] of byLaunchLedger)
          for (const job of await refreshBackend(ledger, backend, launched, launchId, config))
            updated.set(job.jobId, job);
      } catch (error) {
        // The hint too: a warning about rejected credentials is only useful with what to do about them.
        const hint = error instanceof DlrunError && error.hint ? ` (hint: ${error.hint})` : '';
        warnings.set(name, `could not refresh ${name} jobs: ${(error as Error).message}${hint}`);
      }
    }),
  );
  // Warnings in the order the backends were met, whichever answered first.
  return {
    jobs: jobs.map((job) => updated.get(job.jobId) ?? job),
    warnings: [...byBackend.keys()].flatMap((name) => warnings.get(name) ?? []),
  };
}

async function refreshBackend(
  ledger: Ledger,
  backend: TrainingBackend,
  jobs: readonly StoredJob[],
  launchId: LedgerId,
  config: Config,
): Promise<StoredJob[]> {
  const handles: JobHandle[] = jobs.map((job) => handleOf(job, backend));
  const statuses = await backend.status(handles, backendContext(config, launchId));
  const events = await ledger.eventsOf(jobs.map((job) => job.jobId));
  const results: StoredJob[] = [];
  for (const job of jobs) {
    const status = statuses.find((candidate) => candidate.jobId === job.jobId);
    results.push(status ? await applyStatus(ledger, job, status, events.get(job.jobId) ?? [], backend, config) : job);
  }
  return results;
}

async function applyStatus(
  ledger: Ledger,
  job: StoredJob,
  reported: JobStatus,
  events: readonly JobEvent[],
  backend: TrainingBackend,
  config: Config,
): Promise<StoredJob> {
  let status: JobStatus = withinJobLifetime(reported, job);
  if (reported.state === 'lost' && job.externalId === null) {
    const settled = unlaunched(job, reported, events);
    if (!settled) return job;
    status = settled;
  } else if (reported.state === 'lost') {
    // `lost` is for a job whose submit never completed; one that was launched and then left no trace has ended
    // in a way nobody saw, which is a failure to report, not a job that never was.
    status = {
      ...reported,
      state: 'failed',
      message: `${reported.message ?? 'the provider has no trace of it'}; it was launched as ${job.externalId}`,
    };
  }
  let current = job;
  const recorded = new Set(events.map((event) => event.phase));
  const newPhases = (Object.entries(status.phaseStartedAt ?? {}) as [Phase, string][])
    .filter(([phase]) => !recorded.has(phase))
    .sort(([, a], [, b]) => a.localeCompare(b));
  for (const [phase, at] of newPhases) {
    current = await ledger.recordChange(job.jobId, {
      at,
      source: 'machine',
      ...(current.state === 'running' || isTerminal(status.state) ? {} : { state: 'running' as const }),
      phase,
      message: `${phase} began`,
    });
  }
  // A machine found by the job's tag that the ledger does not name yet (its submit died before recording it).
  const foundId =
    status.externalId !== undefined && status.externalId !== current.externalId ? status.externalId : undefined;
  const changed =
    foundId !== undefined ||
    status.state !== current.state ||
    status.providerState !== current.providerState ||
    (status.exitCode ?? null) !== current.exitCode;
  if (changed) {
    current = await ledger.recordChange(job.jobId, {
      at: status.endedAt ?? status.observedAt,
      source: 'provider',
      state: status.state,
      providerState: status.providerState,
      ...(foundId !== undefined ? { externalId: foundId } : {}),
      ...(status.phase && !newPhases.length ? { phase: status.phase } : {}),
      ...(status.exitCode !== undefined ? { exitCode: status.exitCode } : {}),
      ...(status.message ? { message: status.message } : {}),
    });
  }
  if (isTerminal(current.state) && current.billedUsd === null) {
    const bill = await settleBill(ledger, current, backend, config, status.billing);
    if (bill) current = { ...current, billedUsd: bill.total_usd };
  }
  return current;
}

/**
 * Whatever a backend passes on from the machine stays between the job's submit and the moment it was observed:
 * the ledger's phases and the bill are computed from these times.
 */
function withinJobLifetime(status: JobStatus, job: StoredJob): JobStatus {
  const endedAt = boundedTime(status.endedAt, job.submittedAt, status.observedAt);
  const { endedAt: _reported, ...rest } = status;
  return {
    ...rest,
    phaseStartedAt: boundedPhases(status.phaseStartedAt, job.submittedAt, status.observedAt),
    ...(endedAt ? { endedAt } : {}),
  };
}

/**
 * A job the provider lists no machine of and whose submit recorded none: `lost` once that is certain, else
 * undefined (leave it as it is). Certain means the submit was killed before it asked for a machine, or it asked
 * long enough ago for the provider to list what it started.
 */
function unlaunched(job: StoredJob, reported: JobStatus, events: readonly JobEvent[]): JobStatus | undefined {
  const age = Date.now() - Date.parse(job.submittedAt);
  const progress = submitProgress(events);
  if (progress.submitter === 'running' && age < SUBMITTER_PATIENCE_MS) return undefined;
  const neverAsked = progress.step === STAGING && progress.submitter === 'gone';
  if (!neverAsked && age < SUBMIT_GRACE_MS) return undefined;
  const why = neverAsked
    ? 'dlrun submit stopped before it asked for a machine'
    : (reported.message ?? `${job.backend} lists no machine of it (${reported.providerState})`);
  return { ...reported, state: 'lost', message: `the launch never completed: ${why}` };
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DlrunError, JobFileError } from '../base/errors.js';
import { hasErrors, sortFindings, type Finding } from '../base/finding.js';
import { asLedgerId, newJobId } from '../backend/job-id.js';
import type { ForeignEndpoint, JobHandle, LaunchPlan, TrainingBackend } from '../backend/training-backend.js';
import type { Config } from '../config.js';
import { roundUsd, type PriceSnapshot } from '../cost/price-snapshot.js';
import type { PricesUsed } from '../cost/quote.js';
import { failedStartUsd, startupOf } from '../cost/startup.js';
import { limitsUsd } from '../cost/budget.js';
import { stopAfter, worstCaseUsd } from '../cost/stop-after.js';
import type { Ledger, StoredJob } from '../ledger/ledger.js';
import { openExistingLedger, openLedger } from '../ledger/open-ledger.js';
import { BACKEND_NAMES, type BackendName, isBackendName } from '../spec/backend-names.js';
import type { JobSpec } from '../spec/job-spec.js';
import { type LoadedJob, loadJobFile } from '../spec/load-job-file.js';
import { listWorkdir, type WorkdirManifest } from '../util/workdir-files.js';
import { backendContext } from './backend-context.js';
import { budgetStanding, refuseOverBudget } from './budget-standing.js';
import { loadBackend, pricingOf } from './backends.js';
import { checkJob } from './check-job.js';
import { foreignEndpoints } from './foreign-endpoints.js';
import { jobOwner, type JobOwner } from './job-owner.js';
import { readSecrets } from './secrets.js';
import { storableSpec } from './storable-spec.js';
import { pricesInForce } from './prices-in-force.js';
import { LAUNCH_REQUESTED, STAGING, submitterNote } from './submit-progress.js';

/** Above this worst case, submit asks before launching when it runs on a terminal (JOB-SPEC.md section 2). */
export const CONFIRM_ABOVE_USD = 5;

export interface SubmitRequest {
  readonly jobPath: string;
  readonly backend: BackendName | undefined;
  readonly dryRun: boolean;
  readonly cwd: string;
  /** Ask the user; resolves false to stop. Absent when there is no terminal to ask on. */
  readonly confirm: ((question: string) => Promise<boolean>) | undefined;
  /**
   * Told what submit learned once every check passed, before it asks, records or launches anything (not on a dry run).
   */
  readonly beforeLaunch?: (details: SubmitPlan) => void;
}

/** Everything submit learned before launching, which --dry-run prints. */
export interface SubmitPlan {
  readonly job: JobSpec;
  readonly findings: readonly Finding[];
  readonly price: PriceSnapshot;
  /** Which prices the price came from: the newest snapshot, or the repository catalog (none: not a catalog's). */
  readonly prices: PricesUsed | undefined;
  /** Price snapshots skipped as unusable, one sentence each. */
  readonly priceProblems: readonly string[];
  readonly worstCaseUsd: number;
  readonly manifest: WorkdirManifest;
  readonly plan: LaunchPlan;
  /** Who launches the job and from which host, as its ledger row will say. */
  readonly launchedBy: JobOwner;
  /** Endpoints the backend would send requests to that are not the provider's own: always shown. */
  readonly endpoints: readonly ForeignEndpoint[];
}

export type SubmitOutcome =
  | { readonly kind: 'dry-run'; readonly details: SubmitPlan }
  | { readonly kind: 'declined'; readonly details: SubmitPlan }
  | { readonly kind: 'submitted'; readonly details: SubmitPlan; readonly job: StoredJob; readonly ledger: Ledger };

/**
 * `dlrun submit`: validate, quote, check the budget, write the ledger row, then launch and record. Nothing is
 * created anywhere before every check passed, and the ledger row exists before the backend is called.
 */
export async function submitJob(config: Config, request: SubmitRequest): Promise<SubmitOutcome> {
  const now = new Date();
  // Before anything else: a DLRUN_USER that cannot be recorded refuses the submit, which then does nothing.
  const launchedBy = jobOwner(config);
  let loaded: LoadedJob;
  try {
    loaded = loadJobFile(request.jobPath, request.cwd);
  } catch (error) {
    // A file that was read but is invalid is a refusal of the validator too; one that cannot be read is not.
    if (!request.dryRun && error instanceof JobFileError && hasErrors(error.findings)) {
      const named = namedIn(request.jobPath, request.cwd);
      await recordRefusal(config, request.jobPath, {
        name: named.name,
        backend: request.backend ?? named.backend,
        findings: error.findings,
        now,
      });
    }
    throw error;
  }
  const job = loaded.job;
  const backendName = request.backend ?? job.backend;
  const backend = await loadBackend(backendName);
  const findings = sortFindings([
    ...loaded.findings,
    ...(await checkJob(job, config, backendName, !request.dryRun)).findings,
  ]);
  if (hasErrors(findings)) {
    if (!request.dryRun)
      await recordRefusal(config, request.jobPath, { name: job.name, backend: backendName, job, findings, now });
    throw new JobFileError(request.jobPath, `${request.jobPath} cannot run on ${backendName}`, findings);
  }
  const inForce = await pricesInForce(backendName, config.home, now);
  // The price stored with the job is the one in force now: a later refresh never changes its bill.
  const price = (await pricingOf(backendName)).price(job, now, config.env, inForce.refreshed);
  const limit = stopAfter(job, price);
  checkBudget(job, price);
  const secrets = readSecrets(job, config);
  const jobId = newJobId(job.name, now);
  const existingLedger = request.dryRun ? await openExistingLedger(config) : await openLedger(config);
  if (!request.dryRun) await holdBudget(existingLedger!, now, job, price);
  const ledgerId = existingLedger?.id ?? asLedgerId('(made when the ledger is created)');
  const context = backendContext(config, ledgerId);
  const details: SubmitPlan = {
    job,
    findings,
    price,
    prices: inForce.used,
    priceProblems: inForce.problems,
    worstCaseUsd: worstCaseUsd(limit, price, job.limits.max_cost),
    manifest: listWorkdir(job.workdir),
    plan: await backend.plan(job, { ...context, jobId, stopAfter: limit }),
    launchedBy,
    endpoints: foreignEndpoints(backend, context),
  };
  if (request.dryRun) {
    await existingLedger?.close();
    return { kind: 'dry-run', details };
  }
  const ledger = existingLedger!;
  request.beforeLaunch?.(details);
  if (details.worstCaseUsd > CONFIRM_ABOVE_USD && request.confirm) {
    const worst = Number.isFinite(details.worstCaseUsd)
      ? `$${details.worstCaseUsd.toFixed(2)}`
      : 'an unlimited amount (no max_runtime or max_cost)';
    if (!(await request.confirm(`This job may cost up to ${worst} on ${backendName}. Launch it?`))) {
      await ledger.close();
      return { kind: 'declined', details };
    }
  }
  const stored = await launch(ledger, backend, details, secrets, config, request);
  return { kind: 'submitted', details, job: stored, ledger };
}

/**
 * Record in the ledger a submit the validator refused: nothing was launched and nothing costs, but `report` counts
 * what one failed start would have cost there (the figure `quote` gives as failed_start_usd). Only in a ledger that
 * exists: a refused submit never creates one (nor anything else in DLRUN_HOME). Best effort: a ledger that cannot be
 * written never hides the refusal itself.
 */
async function recordRefusal(
  config: Config,
  jobPath: string,
  refused: {
    readonly name: string | undefined;
    readonly backend: BackendName;
    /** The job when it could be loaded: only then can a failed start be priced. */
    readonly job?: JobSpec;
    readonly findings: readonly Finding[];
    readonly now: Date;
  },
): Promise<void> {
  let ledger: Ledger | undefined;
  try {
    ledger = await openExistingLedger(config);
    if (!ledger) return;
    const estimated = refused.job
      ? await failedStartEstimate(ledger, refused.job, refused.backend, config, refused.now)
      : null;
    const first = refused.findings.find((finding) => finding.severity === 'error')!;
    await ledger.recordRefusedSubmit({
      at: refused.now.toISOString(),
      jobName: refused.name || path.basename(jobPath),
      backend: refused.backend,
      jobFile: jobPath,
      reason: `${first.file}:${first.line}: ${first.message}`,
      estimatedFailedStartUsd: estimated,
    });
  } catch {
    // The refusal is the answer; its record is for the report only.
  } finally {
    await ledger?.close().catch(() => undefined);
  }
}

/**
 * The name and backend a job file that did not load gives at its top level, read line by line (the loader refused
 * it, so no parse is trusted); the schema's default backend when it names none.
 */
function namedIn(jobPath: string, cwd: string): { name: string | undefined; backend: BackendName } {
  let text = '';
  try {
    text = readFileSync(path.resolve(cwd, jobPath), 'utf8');
  } catch {
    // Unreadable now: the file's path names the refusal.
  }
  const top = (key: string): string | undefined =>
    new RegExp(`^${key}:[ \\t]*["']?([^"'#\\r\\n]*?)["']?[ \\t]*(?:#.*)?$`, 'm').exec(text)?.[1] || undefined;
  const backend = top('backend');
  return { name: top('name'), backend: backend && isBackendName(backend) ? backend : BACKEND_NAMES[0] };
}

/** What one failed start of the job would cost on the backend, as `quote` prices it; null when it cannot be priced. */
async function failedStartEstimate(
  ledger: Ledger,
  job: JobSpec,
  backendName: BackendName,
  config: Config,
  now: Date,
): Promise<number | null> {
  try {
    const pricing = await pricingOf(backendName);
    const price = pricing.price(job, now, config.env, (await pricesInForce(backendName, config.home, now)).refreshed);
    const startup = startupOf(pricing, await ledger.listJobs({ which: 'ended' }), backendName, price.machine);
    return failedStartUsd(pricing, price, startup.seconds);
  } catch {
    return null;
  }
}

/** max_cost below what the backend charges for the shortest run can only fail: refuse before paying. */
function checkBudget(job: JobSpec, price: PriceSnapshot): void {
  const minimumCharge = (price.minimum_billed_s * price.rate_per_hour_usd) / 3600;
  if (job.limits.max_cost !== undefined && job.limits.max_cost < minimumCharge) {
    throw new DlrunError(
      `max_cost $${job.limits.max_cost} is below the smallest possible charge on ${price.machine} ` +
        `($${minimumCharge.toFixed(4)})`,
      {
        hint: 'raise limits.max_cost',
      },
    );
  }
}

/**
 * The ledger's budget, when one is set: the job may cost no more under its limits than is left of it after this
 * period's spend and the most the active jobs may still add. Refused before the ledger row and any launch.
 */
async function holdBudget(ledger: Ledger, now: Date, job: JobSpec, price: PriceSnapshot): Promise<void> {
  try {
    const standing = await budgetStanding(ledger, now);
    if (standing) refuseOverBudget(standing, limitsUsd(job, price), price.machine);
  } catch (error) {
    await ledger.close();
    throw error;
  }
}

async function launch(
  ledger: Ledger,
  backend: TrainingBackend,
  details: SubmitPlan,
  secrets: Readonly<Record<string, string>>,
  config: Config,
  request: SubmitRequest,
): Promise<StoredJob> {
  const { plan, price } = details;
  const quoted = roundUsd(details.worstCaseUsd);
  // Refusals that need the provider but create nothing come before the ledger row: a refused job leaves no trace.
  await backend.preflight?.(plan, { ...backendContext(config, ledger.id), secrets });
  await ledger.createJob({
    jobId: plan.jobId,
    name: plan.job.name,
    backend: backend.name,
    jobFile: request.jobPath,
    spec: storableSpec(plan.job),
    submittedAt: new Date().toISOString(),
    price,
    ...(Number.isFinite(quoted) ? { quotedUsd: quoted } : {}),
    ...(plan.details ? { providerDetails: plan.details } : {}),
    owner: details.launchedBy.owner,
    host: details.launchedBy.host,
  });
  // The job stays `submitting` until the provider confirms a launch; the note names this process, so that
  // `dlrun status` can tell a submit still at work from one that was killed (submit-progress.ts).
  await ledger.recordChange(plan.jobId, {
    at: new Date().toISOString(),
    source: 'dlrun',
    providerState: STAGING,
    message: `staging the workdir and starting the machine ${submitterNote()}`,
  });
  let launchRequested = false;
  // When the machine was asked for: the job left the queue then (a local job starts within submit), so its run
  // time and its limits count from there, not from the moment submit got the answer.
  let askedAt = new Date().toISOString();
  const launching = async (): Promise<void> => {
    launchRequested = true;
    askedAt = new Date().toISOString();
    await ledger.recordChange(plan.jobId, {
      at: askedAt,
      source: 'dlrun',
      providerState: LAUNCH_REQUESTED,
      message: `asking ${backend.name} for the machine ${submitterNote()}`,
    });
  };
  let handle: JobHandle;
  try {
    handle = await backend.submit(plan, { ...backendContext(config, ledger.id), secrets, launching });
  } catch (error) {
    await recordFailedLaunch(
      ledger,
      backend,
      plan,
      config,
      error,
      backend.announcesLaunch ? launchRequested : undefined,
    );
    throw error;
  }
  // The provider accepted the launch: the machine is starting. The state moves on when the provider (or the
  // machine's markers) says so, at the first refresh.
  return ledger.recordChange(plan.jobId, {
    at: askedAt,
    source: 'provider',
    state: 'provisioning',
    providerState: 'launched',
    ...(handle.externalId ? { externalId: handle.externalId } : {}),
    message: 'launched',
  });
}

/**
 * What a failed launch leaves in the ledger. `requested` is whether a machine may have been asked for (undefined:
 * the backend cannot tell). A launch that certainly did not happen ends the job; one that may have happened stays
 * `submitting` for `dlrun status` to reconcile from the provider's tags: a job is never written off while a
 * machine of it may run.
 */
async function recordFailedLaunch(
  ledger: Ledger,
  backend: TrainingBackend,
  plan: LaunchPlan,
  config: Config,
  error: unknown,
  requested: boolean | undefined,
): Promise<void> {
  const message = (error as Error).message;
  const at = (): string => new Date().toISOString();
  const certain = requested === false || !(error instanceof DlrunError) || !error.isRetryable;
  if (!certain) {
    await ledger.recordChange(plan.jobId, {
      at: at(),
      source: 'dlrun',
      message: `the launch was not confirmed (${message}); 'dlrun status' looks for its machine by the job's tag`,
    });
    return;
  }
  // Money safety: whatever part of the launch did happen is ended before the job is written off.
  const cleaned = await backend
    .cancel(
      {
        jobId: plan.jobId,
        backend: backend.name,
        externalId: null,
        ...(plan.details ? { details: plan.details } : {}),
      },
      backendContext(config, ledger.id),
    )
    .then(
      () => true,
      () => false,
    );
  if (!cleaned && requested !== false) {
    await ledger.recordChange(plan.jobId, {
      at: at(),
      source: 'dlrun',
      message:
        `launch failed (${message}) and dlrun could not make sure no machine was left; ` +
        "'dlrun status' looks for it by the job's tag",
    });
    return;
  }
  const never = requested === false ? 'no machine was asked for; ' : '';
  await ledger.recordChange(plan.jobId, {
    at: at(),
    source: 'dlrun',
    state: 'failed',
    message: `launch failed: ${never}${message}`,
  });
}

import type { LedgerId } from '../../backend/job-id.js';
import { isUnsuccessful, jobRecord, type JobRecord } from '../../core/job-record.js';
import { lastOutputLines } from '../../core/last-output.js';
import { refreshJobs } from '../../core/refresh-jobs.js';
import { refuseEmptyJobId, resolveJob } from '../../core/resolve-job-id.js';
import { launchLedgerId, type Ledger, type StoredJob } from '../../ledger/ledger.js';
import { openExistingLedger } from '../../ledger/open-ledger.js';
import { booleanFlag, stringFlag, type CommandInput } from '../command.js';
import { launchableBackend } from '../job-command.js';
import { formatUsd } from '../format.js';
import { renderJobDetail, renderJobTable } from '../render-jobs.js';
import { visibleField } from '../visible-text.js';
import { isTerminal } from '../../backend/job-state.js';
import { UnknownJobError, UsageError } from '../../base/errors.js';
import { onlyReachableFrom, ownerFlag, ownerName } from '../../core/job-owner.js';
import { budgetStanding } from '../../core/budget-standing.js';
import type { BudgetCheck } from '../../cost/budget.js';

/** Without --all, `status` lists every active job and this many of the most recent ended ones. */
const RECENT_ENDED = 20;

/**
 * `dlrun status [JOB_ID] [--mine | --owner NAME]`: jobs from the ledger with their owner, state, elapsed time per
 * phase and cost so far; --mine and --owner list only the jobs one owner launched.
 */
export async function run(input: CommandInput): Promise<number> {
  const { io } = input;
  const json = booleanFlag(input, 'json');
  const jobId = input.positionals[0];
  if (jobId !== undefined) refuseEmptyJobId(jobId);
  const owner = ownerWanted(input, jobId);
  const ledger = await openExistingLedger(input.config);
  if (!ledger) {
    if (jobId !== undefined) throw new UnknownJobError(jobId);
    if (json) io.out(JSON.stringify({ jobs: [] }));
    else io.err(noJobs(owner));
    return 0;
  }
  try {
    const now = new Date();
    if (jobId !== undefined) {
      const [job] = await refreshed(ledger, [await resolveJob(ledger, jobId)], input);
      const [record] = await records(ledger, [job!], now);
      // A job that went wrong shows how its output ended, so the reason is on screen without a second command.
      const lastOutput = isUnsuccessful(job!.state)
        ? await lastLinesOf(job!, input, launchLedgerId(job!, ledger))
        : undefined;
      io.out(
        json
          ? JSON.stringify({ ...record, ...(lastOutput?.length ? { last_output: lastOutput } : {}) })
          : renderJobDetail(record!, lastOutput, await onlyReachableFrom(job!)),
      );
      return 0;
    }
    const all = booleanFlag(input, 'all');
    const jobs = all
      ? await ledger.listJobs(owner !== undefined ? { owner } : {})
      : await activeAndRecent(ledger, owner);
    const shown = await records(ledger, await refreshed(ledger, jobs, input), now);
    const total = totalUsd(shown);
    const budget = await budgetStanding(ledger, now);
    if (json) {
      io.out(JSON.stringify({ jobs: shown, total_usd: total, ...(budget ? { budget: budgetJson(budget) } : {}) }));
      return 0;
    }
    if (shown.length === 0) io.err(noJobs(owner));
    else
      io.out(
        `${renderJobTable(shown)}\n` +
          `total of the ${shown.length === 1 ? 'job' : `${shown.length} jobs`} shown: ${formatUsd(total)}`,
      );
    if (budget) io.out(budgetLine(budget));
    const elsewhere = await elsewhereCount(jobs);
    if (elsewhere > 0)
      io.err(
        elsewhere === 1
          ? "1 active job launched on another host is shown as last known here: only its host refreshes it ('dlrun " +
              "status JOB_ID' names the host)"
          : `${elsewhere} active jobs launched on other hosts are shown as last known here: only their hosts refresh ` +
              "them ('dlrun status JOB_ID' names the host)",
      );
    const hidden = all ? 0 : (await ledger.countJobs(owner !== undefined ? { owner } : {})) - shown.length;
    if (hidden > 0)
      io.err(`${hidden} older job${hidden === 1 ? '' : 's'} not shown; 'dlrun status --all' lists every job`);
    return 0;
  } finally {
    await ledger.close();
  }
}

/** The period's spend beside the budget, as `status --json` prints it. */
function budgetJson(standing: BudgetCheck) {
  return {
    amount_usd: standing.budget.amount_usd,
    period: standing.budget.period,
    period_start: standing.period_start,
    spent_usd: standing.spent_usd,
    active_worst_usd: standing.active_worst_usd,
    left_usd: standing.left_usd,
  };
}

function budgetLine(standing: BudgetCheck): string {
  const { budget } = standing;
  const active = standing.unbounded_jobs.length
    ? ', active jobs may add any amount (no limit)'
    : standing.active_worst_usd > 0
      ? `, active jobs may add up to ${formatUsd(standing.active_worst_usd)}`
      : '';
  return (
    `budget: ${formatUsd(standing.spent_usd)} spent of ${formatUsd(budget.amount_usd)} this ${budget.period} ` +
    `(since ${standing.period_start.slice(0, 10)})${active}; ${formatUsd(standing.left_usd)} left`
  );
}

/** The owner whose jobs to list (--mine: this user, as submit would record them; --owner NAME), or every owner. */
function ownerWanted(input: CommandInput, jobId: string | undefined): string | undefined {
  const mine = booleanFlag(input, 'mine');
  const named = stringFlag(input, 'owner');
  if (mine && named !== undefined)
    throw new UsageError('--mine and --owner cannot be given together: --mine is --owner with your own name');
  if (jobId !== undefined && (mine || named !== undefined))
    throw new UsageError(`--${mine ? 'mine' : 'owner'} chooses which jobs to list: give it without a JOB_ID`);
  if (mine) return ownerName(input.config);
  return named === undefined ? undefined : ownerFlag(named, '--owner');
}

function noJobs(owner: string | undefined): string {
  return owner === undefined
    ? "no jobs yet: 'dlrun submit JOB.yaml' starts one"
    : `no jobs launched by ${visibleField(owner)}; 'dlrun status' lists every owner's`;
}

/** Active jobs that only another host can refresh (their state is the last one known here). */
async function elsewhereCount(jobs: readonly StoredJob[]): Promise<number> {
  let count = 0;
  for (const job of jobs) if (!isTerminal(job.state) && (await onlyReachableFrom(job)) !== undefined) count += 1;
  return count;
}

async function activeAndRecent(ledger: Ledger, owner: string | undefined): Promise<StoredJob[]> {
  const only = owner !== undefined ? { owner } : {};
  const [active, ended] = await Promise.all([
    ledger.listJobs({ which: 'active', ...only }),
    ledger.listJobs({ which: 'ended', limit: RECENT_ENDED, ...only }),
  ]);
  return [...active, ...ended].sort(
    (a, b) => b.submittedAt.localeCompare(a.submittedAt) || b.jobId.localeCompare(a.jobId),
  );
}

/** The jobs with their active ones refreshed from the providers; a provider that cannot be asked is a warning. */
async function refreshed(ledger: Ledger, jobs: StoredJob[], input: CommandInput): Promise<StoredJob[]> {
  const result = await refreshJobs(ledger, jobs, input.config);
  for (const warning of result.warnings) input.io.err(`warning: ${warning}`);
  return result.jobs;
}

/** What the jobs shown cost (so far, for those still going), to the millionth of a dollar. */
function totalUsd(records: readonly JobRecord[]): number {
  return Math.round(records.reduce((sum, record) => sum + (record.cost_so_far_usd ?? 0), 0) * 1e6) / 1e6;
}

async function lastLinesOf(job: StoredJob, input: CommandInput, ledgerId: LedgerId): Promise<string[]> {
  const backend = await launchableBackend(job);
  return backend ? lastOutputLines(job, backend, input.config, ledgerId) : [];
}

async function records(ledger: Ledger, jobs: readonly StoredJob[], now: Date): Promise<JobRecord[]> {
  // Ended jobs carry their phases; only the others, and those that went wrong (in which phase?), need their events.
  const events = await ledger.eventsOf(
    jobs.filter((job) => job.finalPhases === null || isUnsuccessful(job.state)).map((job) => job.jobId),
  );
  return jobs.map((job) => jobRecord(job, events.get(job.jobId) ?? [], now));
}

import type { LedgerId } from '../../backend/job-id.js';
import { isUnsuccessful, jobRecord, type JobRecord } from '../../core/job-record.js';
import { lastOutputLines } from '../../core/last-output.js';
import { refreshJobs } from '../../core/refresh-jobs.js';
import { refuseEmptyJobId, resolveJob } from '../../core/resolve-job-id.js';
import { launchLedgerId, type Ledger, type StoredJob } from '../../ledger/ledger.js';
import { openExistingLedger } from '../../ledger/open-ledger.js';
import { booleanFlag, type CommandInput } from '../command.js';
import { launchableBackend } from '../job-command.js';
import { formatUsd } from '../format.js';
import { renderJobDetail, renderJobTable } from '../render-jobs.js';
import { UnknownJobError } from '../../base/errors.js';
import { budgetStanding } from '../../core/budget-standing.js';
import type { BudgetCheck } from '../../cost/budget.js';

/** Without --all, `status` lists every active job and this many of the most recent ended ones. */
const RECENT_ENDED = 20;

/** `dlrun status [JOB_ID]`: jobs from the ledger with their state, elapsed time per phase and cost so far. */
export async function run(input: CommandInput): Promise<number> {
  const { io } = input;
  const json = booleanFlag(input, 'json');
  const jobId = input.positionals[0];
  if (jobId !== undefined) refuseEmptyJobId(jobId);
  const ledger = await openExistingLedger(input.config);
  if (!ledger) {
    if (jobId !== undefined) throw new UnknownJobError(jobId);
    if (json) io.out(JSON.stringify({ jobs: [] }));
    else io.err("no jobs yet: 'dlrun submit JOB.yaml' starts one");
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
          : renderJobDetail(record!, lastOutput),
      );
      return 0;
    }
    const all = booleanFlag(input, 'all');
    const jobs = all ? await ledger.listJobs() : await activeAndRecent(ledger);
    const shown = await records(ledger, await refreshed(ledger, jobs, input), now);
    const total = totalUsd(shown);
    const budget = await budgetStanding(ledger, now);
    if (json) {
      io.out(JSON.stringify({ jobs: shown, total_usd: total, ...(budget ? { budget: budgetJson(budget) } : {}) }));
      return 0;
    }
    if (shown.length === 0) io.err("no jobs yet: 'dlrun submit JOB.yaml' starts one");
    else
      io.out(
        `${renderJobTable(shown)}\n` +
          `total of the ${shown.length === 1 ? 'job' : `${shown.length} jobs`} shown: ${formatUsd(total)}`,
      );
    if (budget) io.out(budgetLine(budget));
    const hidden = all ? 0 : (await ledger.countJobs()) - shown.length;
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

async function activeAndRecent(ledger: Ledger): Promise<StoredJob[]> {
  const [active, ended] = await Promise.all([
    ledger.listJobs({ which: 'active' }),
    ledger.listJobs({ which: 'ended', limit: RECENT_ENDED }),
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

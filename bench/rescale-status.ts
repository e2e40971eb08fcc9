import { DEFAULT_PAGE_SIZE } from '../adapters/rescale/rescale-client.js';
import { homeWithRescaleJobs, type RescaleLedgerJob } from '../test/support/rescale-ledger-jobs.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult } from './support/measurement.js';
import { type RescaleBenchStand, rescaleRequestKinds, startRescaleBenchStand } from './support/rescale-bench-stand.js';
import { statusBench } from './support/status-bench.js';

const JOBS = 500;
const EXECUTING = JOBS / 2;

/**
 * The whole `dlrun status` process over 500 active Rescale jobs, half of them Executing (their command a sleep)
 * and half Queued, each created and submitted in the Rescale stand-in, behind the timing proxy: wall time, job
 * list pages and per-job requests per run, and how much of the time was spent waiting for the stand-in.
 */
export async function rescaleStatusBench(): Promise<BenchmarkResult> {
  return statusBench({
    title: 'dlrun status over 500 active Rescale jobs (stand-in)',
    jobs: JOBS,
    running: EXECUTING,
    folderPrefix: 'dlrun-bench-rescale-status-',
    labels: {
      provider: 'Rescale',
      // One paged list of the account's dlrun jobs, DEFAULT_PAGE_SIZE a page.
      lists: 'job list pages',
      other: 'requests about one job',
      pageSize: DEFAULT_PAGE_SIZE,
      seeded:
        `${JOBS} jobs recorded in the ledger as submit records them, one Rescale job each, created and submitted ` +
        `(${EXECUTING} Executing, their command a sleep; the others Queued)`,
      providerTime: 'Rescale time = requests in flight at the proxy in front of the Rescale stand-in',
      seeding: `seeding: ${JOBS} creates and submits, ${EXECUTING} jobs moved to Executing, the ledger records`,
    },
    startStand: () => startRescaleBenchStand({ queuedMs: Number.POSITIVE_INFINITY }),
    seed: async (stand, home) => {
      // The platform recorded with each job is the proxy's URL: status asks where submit sent the job.
      const { jobs } = await homeWithRescaleJobs(home, stand.directEnv, JOBS, { platform: stand.proxy.url });
      await startExecuting(stand, jobs.slice(0, EXECUTING));
    },
    counts: (stand) => ({
      lists: stand.proxy.requests('listJobs'),
      // Requests about one job: its statuses, files, a file's contents.
      other: stand.proxy.requests() - stand.proxy.requests('listJobs') - stand.proxy.requests('coreTypes'),
      kinds: rescaleRequestKinds(stand),
    }),
  });
}

/** Started, as the clock would after Queued; the stand-in's clock takes them through Validated to Executing. */
async function startExecuting(stand: RescaleBenchStand, jobs: readonly RescaleLedgerJob[]): Promise<void> {
  for (const job of jobs) stand.rescale.setStatus(job.rescaleId, 'Started');
  const executing = () => jobs.every((job) => stand.rescale.job(job.rescaleId)?.status === 'Executing');
  for (let wait = 0; !executing(); wait++) {
    if (wait > 600) throw new Error('the jobs did not reach Executing in the stand-in');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

await runWhenMain(import.meta.url, rescaleStatusBench);

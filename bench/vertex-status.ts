import type { LedgerId } from '../src/backend/job-id.js';
import { vertexClients } from '../adapters/vertex/vertex-clients.js';
import { jobObjects } from '../adapters/vertex/vertex-details.js';
import { LIST_PAGE_SIZE } from '../adapters/vertex/vertex-list-jobs.js';
import { putText } from '../adapters/vertex/vertex-staging.js';
import { homeWithVertexJobs, type VertexLedgerJob } from '../test/support/vertex-ledger-jobs.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult } from './support/measurement.js';
import { statusBench } from './support/status-bench.js';
import {
  BENCH_BUCKET,
  BENCH_PREFIX,
  isGcsRead,
  requestKinds,
  startVertexBenchStand,
  type VertexBenchStand,
} from './support/vertex-bench-stand.js';

const JOBS = 500;
const RUNNING = JOBS / 2;

/**
 * The whole `dlrun status` process over 500 active Vertex AI jobs, half of them RUNNING, each with its custom job in
 * the Vertex AI stand-in, behind the timing proxies: wall time, customJobs.list calls and Cloud Storage reads per
 * run, and how much of the time was spent waiting for Google's stand-ins.
 */
export async function vertexStatusBench(): Promise<BenchmarkResult> {
  return statusBench({
    title: 'dlrun status over 500 active Vertex AI jobs (stand-ins)',
    jobs: JOBS,
    running: RUNNING,
    folderPrefix: 'dlrun-bench-vertex-status-',
    labels: {
      provider: 'Google',
      // One customJobs.list of the ledger's label, LIST_PAGE_SIZE jobs a page.
      lists: 'customJobs.list calls',
      other: 'Cloud Storage reads',
      pageSize: LIST_PAGE_SIZE,
      seeded:
        `${JOBS} jobs recorded in the ledger as submit records them, one custom job each (${RUNNING} RUNNING with ` +
        'their phase markers in the bucket, the others QUEUED)',
      providerTime:
        'Google time = requests in flight at the proxies in front of the Vertex AI and Cloud Storage stand-ins',
      seeding: `seeding: ${JOBS} customJobs.create, ${RUNNING} marker objects and the ledger records`,
    },
    startStand: () => startVertexBenchStand({ queuedMs: Number.POSITIVE_INFINITY }),
    seed: async (stand, home) => {
      const location = { bucket: BENCH_BUCKET, prefix: BENCH_PREFIX };
      const { ledgerId, jobs } = await homeWithVertexJobs(home, stand.directEnv, JOBS, location);
      await startRunning(stand, ledgerId, jobs.slice(0, RUNNING));
    },
    counts: (stand) => ({
      lists: stand.vertexProxy.requests('customJobs.list'),
      other: [...stand.gcsProxy.counts()].filter(([label]) => isGcsRead(label)).reduce((sum, [, n]) => sum + n, 0),
      kinds: requestKinds(stand),
    }),
  });
}

/**
 * The jobs RUNNING in the stand-in (startTime set; each replica runs a sleep), and node 0's markers in the bucket
 * as the bootstrap writes them once the job's command runs (templates/bootstrap, src/backend/phase-markers.ts).
 */
async function startRunning(stand: VertexBenchStand, ledgerId: LedgerId, jobs: readonly VertexLedgerJob[]) {
  const clients = vertexClients(undefined, { ledgerId, home: '/nonexistent', env: stand.directEnv });
  const location = { bucket: BENCH_BUCKET, prefix: BENCH_PREFIX };
  const seconds = (Date.now() - 60_000) / 1000;
  const markers = `${seconds.toFixed(6)} phase setup\n${(seconds + 20).toFixed(6)} phase run\n`;
  for (const job of jobs) {
    stand.vertex.setState(job.customJob, 'JOB_STATE_RUNNING');
    const name = jobObjects(location, ledgerId, job.jobId).markers(0);
    await putText(clients.storage, location, name, markers, { jobId: job.jobId, ledgerId });
  }
}

await runWhenMain(import.meta.url, vertexStatusBench);

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LedgerId } from '../src/backend/job-id.js';
import { vertexClients } from '../adapters/vertex/vertex-clients.js';
import { jobObjects } from '../adapters/vertex/vertex-details.js';
import { LIST_PAGE_SIZE } from '../adapters/vertex/vertex-list-jobs.js';
import { putText } from '../adapters/vertex/vertex-staging.js';
import { homeWithVertexJobs, type VertexLedgerJob } from '../test/support/vertex-ledger-jobs.js';
import { requestTime, timeChild } from './support/aws-stand-in.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN } from './support/paths.js';
import { median, medianAndP90 } from './support/statistics.js';
import { expectTableRows, jsonStates } from './support/status-output.js';
import { takeTurns } from './support/take-turns.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv } from './support/time-commands.js';
import {
  BENCH_BUCKET,
  BENCH_PREFIX,
  isGcsRead,
  requestKinds,
  startVertexBenchStand,
  type VertexBenchStand,
} from './support/vertex-bench-stand.js';

const TITLE = 'dlrun status over 500 active Vertex AI jobs (stand-ins)';
const JOBS = 500;
const RUNNING = JOBS / 2;
const WARMUPS = 1;
const RUNS = 5;
/** One customJobs.list of the ledger's label, LIST_PAGE_SIZE jobs a page. */
const EXPECTED_LISTS = Math.ceil(JOBS / LIST_PAGE_SIZE);

interface Sample {
  readonly ms: number;
  readonly lists: number;
  readonly gcsReads: number;
  readonly googleMs: number;
  readonly requests: number;
  /** Every request of the run, by kind, a line per service. */
  readonly kinds: readonly string[];
}

/**
 * The whole `dlrun status` process over 500 active Vertex AI jobs, half of them RUNNING, each with its custom job in
 * the Vertex AI stand-in, behind the timing proxies: wall time, customJobs.list calls and Cloud Storage reads per
 * run, and how much of the time was spent waiting for Google's stand-ins.
 */
export async function vertexStatusBench(): Promise<BenchmarkResult> {
  const stand = await startVertexBenchStand({ queuedMs: Number.POSITIVE_INFINITY });
  const root = makeTempFolder('dlrun-bench-vertex-status-');
  try {
    const home = path.join(root, 'home');
    mkdirSync(home);
    const seedingStart = performance.now();
    const location = { bucket: BENCH_BUCKET, prefix: BENCH_PREFIX };
    const { ledgerId, jobs } = await homeWithVertexJobs(home, stand.directEnv, JOBS, location);
    await startRunning(stand, ledgerId, jobs.slice(0, RUNNING));
    const seedingMs = performance.now() - seedingStart;
    const env = cleanEnv({ HOME: home, DLRUN_HOME: home, ...stand.env });
    const commands = [
      { label: 'dlrun status --json', flags: ['--json'], check: expectJsonJobs },
      { label: 'dlrun status', flags: [], check: expectTableRows(JOBS) },
    ];
    // The first round records the RUNNING jobs' move to running (as the first status after it does); the runs
    // after it change nothing, so each sees the same ledger.
    const samples = await takeTurns(commands, { warmups: WARMUPS, runs: RUNS }, (command) =>
      timeStatus(stand, [CLI_BIN, 'status', ...command.flags], home, env, command.check),
    );
    return {
      title: TITLE,
      method: [
        `${JOBS} jobs recorded in the ledger as submit records them, one custom job each (${RUNNING} RUNNING with ` +
          'their phase markers in the bucket, the others QUEUED)',
        `${RUNS} runs each after ${WARMUPS} warm-up round, the commands taking turns`,
        'Google time = requests in flight at the proxies in front of the Vertex AI and Cloud Storage stand-ins',
      ].join('; '),
      measurements: [
        ...commands.flatMap(({ label }) => measurementsOf(label, samples.get(label)!)),
        {
          label: `seeding: ${JOBS} customJobs.create, ${RUNNING} marker objects and the ledger records`,
          figures: [{ name: 'total', ms: seedingMs }],
          runs: 1,
        },
      ],
    };
  } finally {
    removeFolder(root);
    await stand.stop();
  }
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

async function timeStatus(
  stand: VertexBenchStand,
  args: readonly string[],
  home: string,
  env: Record<string, string>,
  check: (stdout: string) => void,
): Promise<Sample> {
  stand.clear();
  const run = await timeChild(args, { cwd: home, env });
  check(run.stdout);
  const time = requestTime(stand.events());
  return {
    ms: run.ms,
    lists: stand.vertexProxy.requests('customJobs.list'),
    gcsReads: [...stand.gcsProxy.counts()].filter(([label]) => isGcsRead(label)).reduce((sum, [, n]) => sum + n, 0),
    googleMs: time.inFlightMs,
    requests: time.requests,
    kinds: requestKinds(stand),
  };
}

function measurementsOf(label: string, samples: readonly Sample[]): Measurement[] {
  const runs = samples.length;
  const wall = samples.map((sample) => sample.ms);
  const google = samples.map((sample) => sample.googleMs);
  const most = (of: (sample: Sample) => number) => Math.max(...samples.map(of));
  const lists = most((sample) => sample.lists);
  const last = samples.at(-1)!;
  const pages = `${EXPECTED_LISTS} pages of ${LIST_PAGE_SIZE}`;
  return [
    { label, figures: medianAndP90(wall), runs },
    {
      label: `  of which waiting for Google (requests in flight, ${most((sample) => sample.requests)} at most)`,
      figures: medianAndP90(google),
      runs,
      ratio: { value: median(google) / median(wall), of: 'wall' },
    },
    {
      label: '  dlrun itself (wall - Google, per run)',
      figures: medianAndP90(samples.map((sample) => sample.ms - sample.googleMs)),
      runs,
      ratio: { value: (median(wall) - median(google)) / median(wall), of: 'wall' },
    },
    {
      label: `  customJobs.list calls per run: ${lists} (the most in any run; ${pages})`,
      figures: [],
      runs,
      ratio: { value: lists / EXPECTED_LISTS, of: 'pages' },
    },
    {
      label: `  Cloud Storage reads per run: ${most((sample) => sample.gcsReads)} (the most in any run)`,
      figures: [],
      runs,
    },
    ...last.kinds.map((kinds) => ({ label: `    last run, ${kinds}`, figures: [], runs: 1 })),
  ];
}

function expectJsonJobs(stdout: string): void {
  const states = jsonStates(stdout);
  const running = states.filter((state) => state === 'running').length;
  if (states.length !== JOBS || running !== RUNNING)
    throw new Error(`status --json listed ${states.length} jobs, ${running} running; expected ${JOBS}, ${RUNNING}`);
}

await runWhenMain(import.meta.url, vertexStatusBench);

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_PAGE_SIZE } from '../adapters/rescale/rescale-client.js';
import { homeWithRescaleJobs, type RescaleLedgerJob } from '../test/support/rescale-ledger-jobs.js';
import { requestTime, timeChild } from './support/aws-stand-in.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN } from './support/paths.js';
import { type RescaleBenchStand, rescaleRequestKinds, startRescaleBenchStand } from './support/rescale-bench-stand.js';
import { median, medianAndP90 } from './support/statistics.js';
import { expectTableRows, jsonStates } from './support/status-output.js';
import { takeTurns } from './support/take-turns.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv } from './support/time-commands.js';

const TITLE = 'dlrun status over 500 active Rescale jobs (stand-in)';
const JOBS = 500;
const EXECUTING = JOBS / 2;
const WARMUPS = 1;
const RUNS = 5;
/** One paged list of the account's dlrun jobs, DEFAULT_PAGE_SIZE a page. */
const EXPECTED_LISTS = Math.ceil(JOBS / DEFAULT_PAGE_SIZE);

interface Sample {
  readonly ms: number;
  readonly lists: number;
  /** Requests about one job: its statuses, files, a file's contents. */
  readonly perJob: number;
  readonly rescaleMs: number;
  readonly requests: number;
  readonly kinds: readonly string[];
}

/**
 * The whole `dlrun status` process over 500 active Rescale jobs, half of them Executing (their command a sleep)
 * and half Queued, each created and submitted in the Rescale stand-in, behind the timing proxy: wall time, job
 * list pages and per-job requests per run, and how much of the time was spent waiting for the stand-in.
 */
export async function rescaleStatusBench(): Promise<BenchmarkResult> {
  const stand = await startRescaleBenchStand({ queuedMs: Number.POSITIVE_INFINITY });
  const root = makeTempFolder('dlrun-bench-rescale-status-');
  try {
    const home = path.join(root, 'home');
    mkdirSync(home);
    const seedingStart = performance.now();
    // The platform recorded with each job is the proxy's URL: status asks where submit sent the job.
    const { jobs } = await homeWithRescaleJobs(home, stand.directEnv, JOBS, { platform: stand.proxy.url });
    await startExecuting(stand, jobs.slice(0, EXECUTING));
    const seedingMs = performance.now() - seedingStart;
    const env = cleanEnv({ HOME: home, DLRUN_HOME: home, ...stand.env });
    const commands = [
      { label: 'dlrun status --json', flags: ['--json'], check: expectJsonJobs },
      { label: 'dlrun status', flags: [], check: expectTableRows(JOBS) },
    ];
    // The first round records the jobs' move to pending and running (as the first status after submit does); the
    // runs after it change nothing, so each sees the same ledger.
    const samples = await takeTurns(commands, { warmups: WARMUPS, runs: RUNS }, (command) =>
      timeStatus(stand, [CLI_BIN, 'status', ...command.flags], home, env, command.check),
    );
    return {
      title: TITLE,
      method: [
        `${JOBS} jobs recorded in the ledger as submit records them, one Rescale job each, created and submitted ` +
          `(${EXECUTING} Executing, their command a sleep; the others Queued)`,
        `${RUNS} runs each after ${WARMUPS} warm-up round, the commands taking turns`,
        'Rescale time = requests in flight at the proxy in front of the Rescale stand-in',
      ].join('; '),
      measurements: [
        ...commands.flatMap(({ label }) => measurementsOf(label, samples.get(label)!)),
        {
          label: `seeding: ${JOBS} creates and submits, ${EXECUTING} jobs moved to Executing, the ledger records`,
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

/** Started, as the clock would after Queued; the stand-in's clock takes them through Validated to Executing. */
async function startExecuting(stand: RescaleBenchStand, jobs: readonly RescaleLedgerJob[]): Promise<void> {
  for (const job of jobs) stand.rescale.setStatus(job.rescaleId, 'Started');
  const executing = () => jobs.every((job) => stand.rescale.job(job.rescaleId)?.status === 'Executing');
  for (let wait = 0; !executing(); wait++) {
    if (wait > 600) throw new Error('the jobs did not reach Executing in the stand-in');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function timeStatus(
  stand: RescaleBenchStand,
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
    lists: stand.proxy.requests('listJobs'),
    perJob: stand.proxy.requests() - stand.proxy.requests('listJobs') - stand.proxy.requests('coreTypes'),
    rescaleMs: time.inFlightMs,
    requests: time.requests,
    kinds: rescaleRequestKinds(stand),
  };
}

function measurementsOf(label: string, samples: readonly Sample[]): Measurement[] {
  const runs = samples.length;
  const wall = samples.map((sample) => sample.ms);
  const rescale = samples.map((sample) => sample.rescaleMs);
  const most = (of: (sample: Sample) => number) => Math.max(...samples.map(of));
  const lists = most((sample) => sample.lists);
  const last = samples.at(-1)!;
  const pages = `${EXPECTED_LISTS} pages of ${DEFAULT_PAGE_SIZE}`;
  return [
    { label, figures: medianAndP90(wall), runs },
    {
      label: `  of which waiting for Rescale (requests in flight, ${most((sample) => sample.requests)} at most)`,
      figures: medianAndP90(rescale),
      runs,
      ratio: { value: median(rescale) / median(wall), of: 'wall' },
    },
    {
      label: '  dlrun itself (wall - Rescale, per run)',
      figures: medianAndP90(samples.map((sample) => sample.ms - sample.rescaleMs)),
      runs,
      ratio: { value: (median(wall) - median(rescale)) / median(wall), of: 'wall' },
    },
    {
      label: `  job list pages per run: ${lists} (the most in any run; ${pages})`,
      figures: [],
      runs,
      ratio: { value: lists / EXPECTED_LISTS, of: 'pages' },
    },
    {
      label: `  requests about one job per run: ${most((sample) => sample.perJob)} (the most in any run)`,
      figures: [],
      runs,
    },
    ...last.kinds.map((kinds) => ({ label: `    last run, ${kinds}`, figures: [], runs: 1 })),
  ];
}

function expectJsonJobs(stdout: string): void {
  const states = jsonStates(stdout);
  const running = states.filter((state) => state === 'running').length;
  if (states.length !== JOBS || running !== EXECUTING)
    throw new Error(`status --json listed ${states.length} jobs, ${running} running; expected ${JOBS}, ${EXECUTING}`);
}

await runWhenMain(import.meta.url, rescaleStatusBench);

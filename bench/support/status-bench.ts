import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { requestTime, timeChild } from './aws-stand-in.js';
import type { BenchmarkResult, Measurement } from './measurement.js';
import { CLI_BIN } from './paths.js';
import { type ProxiedStand, withStandAndFolder } from './proxied-stand.js';
import { median, medianAndP90 } from './statistics.js';
import { expectTableRows, jsonStates } from './status-output.js';
import { takeTurns } from './take-turns.js';
import { cleanEnv } from './time-commands.js';

const WARMUPS = 1;
const RUNS = 5;

/** What the proxies counted in one run, beyond the time. */
export interface StatusCounts {
  /** The job listings (or their pages). */
  readonly lists: number;
  /** The provider's other count: requests about one job, Cloud Storage reads. */
  readonly other: number;
  /** Every request of the run, by kind, a line per service. */
  readonly kinds: readonly string[];
}

/** The words of a provider's lines. */
export interface StatusBenchLabels {
  /** Whose requests: `Rescale`, `Google`. */
  readonly provider: string;
  /** What a listing is counted as: `job list pages`, `customJobs.list calls`. */
  readonly lists: string;
  /** What StatusCounts.other counts: `requests about one job`, `Cloud Storage reads`. */
  readonly other: string;
  /** The jobs a listing page holds at most. */
  readonly pageSize: number;
  /** The method's first part: how the jobs were seeded. */
  readonly seeded: string;
  /** The method's last part: what the provider's time is. */
  readonly providerTime: string;
  /** The seeding line's label. */
  readonly seeding: string;
}

export interface StatusBench<Stand extends ProxiedStand> {
  readonly title: string;
  /** The jobs in the ledger, all active. */
  readonly jobs: number;
  /** How many of them the provider shows running (the others queued). */
  readonly running: number;
  /** The temporary folder's name prefix. */
  readonly folderPrefix: string;
  readonly labels: StatusBenchLabels;
  startStand(): Promise<Stand>;
  /** Records the jobs in the ledger of `home` and in the stand-ins, `running` of them running. */
  seed(stand: Stand, home: string): Promise<void>;
  counts(stand: Stand): StatusCounts;
}

interface Sample extends StatusCounts {
  readonly ms: number;
  readonly providerMs: number;
  readonly requests: number;
}

/**
 * The whole `dlrun status` process over a provider's active jobs, `status --json` and the table taking turns,
 * behind the timing proxies: wall time, listings and the provider's other count per run, and how much of the time
 * was spent waiting for the provider's stand-ins. The seeding is timed once, apart.
 */
export async function statusBench<Stand extends ProxiedStand>(bench: StatusBench<Stand>): Promise<BenchmarkResult> {
  return withStandAndFolder(bench.startStand, bench.folderPrefix, async (stand, root) => {
    const home = path.join(root, 'home');
    mkdirSync(home);
    const seedingStart = performance.now();
    await bench.seed(stand, home);
    const seedingMs = performance.now() - seedingStart;
    const env = cleanEnv({ HOME: home, DLRUN_HOME: home, ...stand.env });
    const commands = [
      { label: 'dlrun status --json', flags: ['--json'], check: expectJsonJobs(bench.jobs, bench.running) },
      { label: 'dlrun status', flags: [], check: expectTableRows(bench.jobs) },
    ];
    // The first round records the running jobs' moves (as the first status after submit does); the runs after it
    // change nothing, so each sees the same ledger.
    const samples = await takeTurns(commands, { warmups: WARMUPS, runs: RUNS }, (command) =>
      timeStatus(bench, stand, [CLI_BIN, 'status', ...command.flags], home, env, command.check),
    );
    return {
      title: bench.title,
      method: [
        bench.labels.seeded,
        `${RUNS} runs each after ${WARMUPS} warm-up round, the commands taking turns`,
        bench.labels.providerTime,
      ].join('; '),
      measurements: [
        ...commands.flatMap(({ label }) => measurementsOf(label, samples.get(label)!, bench)),
        { label: bench.labels.seeding, figures: [{ name: 'total', ms: seedingMs }], runs: 1 },
      ],
    };
  });
}

async function timeStatus<Stand extends ProxiedStand>(
  bench: StatusBench<Stand>,
  stand: Stand,
  args: readonly string[],
  home: string,
  env: Record<string, string>,
  check: (stdout: string) => void,
): Promise<Sample> {
  stand.clear();
  const run = await timeChild(args, { cwd: home, env });
  check(run.stdout);
  const time = requestTime(stand.events());
  return { ms: run.ms, ...bench.counts(stand), providerMs: time.inFlightMs, requests: time.requests };
}

function measurementsOf(label: string, samples: readonly Sample[], bench: StatusBench<ProxiedStand>): Measurement[] {
  const { provider, pageSize } = bench.labels;
  const expectedLists = Math.ceil(bench.jobs / pageSize);
  const runs = samples.length;
  const wall = samples.map((sample) => sample.ms);
  const waiting = samples.map((sample) => sample.providerMs);
  const most = (of: (sample: Sample) => number) => Math.max(...samples.map(of));
  const lists = most((sample) => sample.lists);
  const last = samples.at(-1)!;
  const pages = `${expectedLists} pages of ${pageSize}`;
  return [
    { label, figures: medianAndP90(wall), runs },
    {
      label: `  of which waiting for ${provider} (requests in flight, ${most((sample) => sample.requests)} at most)`,
      figures: medianAndP90(waiting),
      runs,
      ratio: { value: median(waiting) / median(wall), of: 'wall' },
    },
    {
      label: `  dlrun itself (wall - ${provider}, per run)`,
      figures: medianAndP90(samples.map((sample) => sample.ms - sample.providerMs)),
      runs,
      ratio: { value: (median(wall) - median(waiting)) / median(wall), of: 'wall' },
    },
    {
      label: `  ${bench.labels.lists} per run: ${lists} (the most in any run; ${pages})`,
      figures: [],
      runs,
      ratio: { value: lists / expectedLists, of: 'pages' },
    },
    {
      label: `  ${bench.labels.other} per run: ${most((sample) => sample.other)} (the most in any run)`,
      figures: [],
      runs,
    },
    ...last.kinds.map((kinds) => ({ label: `    last run, ${kinds}`, figures: [], runs: 1 })),
  ];
}

function expectJsonJobs(jobs: number, running: number): (stdout: string) => void {
  return (stdout) => {
    const states = jsonStates(stdout);
    const shown = states.filter((state) => state === 'running').length;
    if (states.length !== jobs || shown !== running)
      throw new Error(`status --json listed ${states.length} jobs, ${shown} running; expected ${jobs}, ${running}`);
  };
}

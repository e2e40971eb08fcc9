import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { requestTime, timeChild, type RequestTime } from './aws-stand-in.js';
import type { BenchmarkResult, Measurement } from './measurement.js';
import { CLI_BIN, REPO_ROOT } from './paths.js';
import { type ProxiedStand, withStandAndFolder } from './proxied-stand.js';
import { median, medianAndP90 } from './statistics.js';
import { cleanEnv } from './time-commands.js';

/** One `dlrun submit`: its wall time and the provider requests it made, timed at the proxy. */
export interface SubmitSample {
  readonly ms: number;
  readonly provider: RequestTime;
  /** The requests by kind, a line per service, when the proxies count them so. */
  readonly kinds?: readonly string[];
}

export interface SubmitRounds {
  /** The first submit of a fresh ledger (it stages what later submits find there). */
  readonly first: SubmitSample;
  readonly samples: readonly SubmitSample[];
  /** `dlrun --help`, one per run, taking turns with the submits. */
  readonly help: readonly number[];
}

/**
 * The first submit of a fresh DLRUN_HOME once, then a warm-up submit and `runs` submits into another one, each
 * taking turns with `dlrun --help`, so that a busy spell of the machine weighs on both alike.
 */
export async function submitRounds(
  root: string,
  jobDir: string,
  runs: number,
  submit: (home: string) => Promise<SubmitSample>,
): Promise<SubmitRounds> {
  const home = (name: string) => {
    const folder = path.join(root, name);
    mkdirSync(folder);
    return folder;
  };
  const first = await submit(home('first'));
  const steady = home('steady');
  await submit(steady); // warm-up: what the first submit of a ledger stages is there from now on
  const samples: SubmitSample[] = [];
  const help: number[] = [];
  for (let run = 0; run < runs; run++) {
    samples.push(await submit(steady));
    help.push(
      (await timeChild([CLI_BIN, '--help'], { cwd: jobDir, env: cleanEnv({ HOME: steady, DLRUN_HOME: steady }) })).ms,
    );
  }
  return { first, samples, help };
}

export interface OverheadLabels {
  /** Whose requests: `AWS`, `Google`. */
  readonly provider: string;
  /** The steady submit's line, e.g. `dlrun submit (bucket and workdir already there)`. */
  readonly submit: string;
  /** What the first submit of a ledger does beyond the others, e.g. `creates the bucket, uploads the workdir`. */
  readonly first: string;
}

/**
 * The lines of a submit-overhead benchmark: the wall time, the time provider requests were in flight and their
 * sum, the difference (what dlrun adds), the part of it `dlrun --help` takes, and the first submit of a ledger.
 */
export function overheadMeasurements(rounds: SubmitRounds, labels: OverheadLabels): Measurement[] {
  const { samples, help, first } = rounds;
  const runs = samples.length;
  const wall = samples.map((sample) => sample.ms);
  const inFlight = samples.map((sample) => sample.provider.inFlightMs);
  const added = samples.map((sample) => sample.ms - sample.provider.inFlightMs);
  return [
    { label: labels.submit, figures: medianAndP90(wall), runs },
    {
      label: `  ${labels.provider} requests in flight (${samples[0]!.provider.requests} requests)`,
      figures: medianAndP90(inFlight),
      runs,
      ratio: { value: median(inFlight) / median(wall), of: 'wall' },
    },
    ...(samples[0]!.kinds ?? []).map((kinds) => ({ label: `    ${kinds}`, figures: [], runs: 1 })),
    {
      label: `  ${labels.provider} request times added up (overlaps counted twice)`,
      figures: medianAndP90(samples.map((sample) => sample.provider.sumMs)),
      runs,
    },
    {
      label: '  what dlrun adds (wall - in flight, per run)',
      figures: medianAndP90(added),
      runs,
      ratio: { value: median(added) / median(wall), of: 'wall' },
    },
    {
      label: '  of which starting Node and dlrun (dlrun --help)',
      figures: medianAndP90(help),
      runs,
      ratio: { value: median(help) / median(added), of: 'added' },
    },
    {
      label: `first submit of a ledger (${labels.first}; ${first.provider.requests} requests)`,
      figures: [
        { name: 'wall', ms: first.ms },
        { name: 'added', ms: first.ms - first.provider.inFlightMs },
      ],
      runs: 1,
    },
  ];
}

export interface SubmitOverheadBench<Stand extends ProxiedStand> {
  readonly title: string;
  /** The value of `submit --backend`. */
  readonly backend: string;
  /** The job.yaml of the one-node job submitted (its command runs train.py). */
  readonly job: string;
  /** The temporary folder's name prefix. */
  readonly folderPrefix: string;
  readonly runs: number;
  readonly labels: OverheadLabels;
  /** What the adapter loads on first use, timed in a fresh Node: its code for `node -e` and its line's label. */
  readonly loading: { readonly code: string; readonly label: string };
  /** The method's parts: the job, what the provider's time is, what the loading line is. */
  readonly method: { readonly job: string; readonly providerTime: string; readonly loading: string };
  startStand(): Promise<Stand>;
  /** The requests since the last clear(), by kind, a line per service. */
  kinds(stand: Stand): string[];
}

/**
 * `dlrun submit --backend <backend>` of a one-node job (no --wait) against a provider's stand-ins behind timing
 * proxies, the submits taking turns with `dlrun --help`: overheadMeasurements() and the time a fresh Node takes to
 * load what the adapter loads, against what dlrun adds.
 */
export async function submitOverheadBench<Stand extends ProxiedStand>(
  bench: SubmitOverheadBench<Stand>,
): Promise<BenchmarkResult> {
  return withStandAndFolder(bench.startStand, bench.folderPrefix, async (stand, root) => {
    const jobDir = path.join(root, 'job');
    mkdirSync(jobDir);
    writeFileSync(path.join(jobDir, 'job.yaml'), bench.job);
    writeFileSync(path.join(jobDir, 'train.py'), 'print("training")\n');
    // The first submit of a ledger also uploads the workdir; later ones find it by its content's name.
    const rounds = await submitRounds(root, jobDir, bench.runs, (home) => timeSubmit(bench, stand, jobDir, home));
    const loading = await timeLoading(bench.loading.code, bench.runs);
    const measurements: Measurement[] = [
      ...overheadMeasurements(rounds, bench.labels),
      {
        label: bench.loading.label,
        figures: medianAndP90(loading),
        runs: bench.runs,
        ratio: {
          value: median(loading) / median(rounds.samples.map((sample) => sample.ms - sample.provider.inFlightMs)),
          of: 'added',
        },
      },
    ];
    return {
      title: bench.title,
      method: [
        bench.method.job,
        `${bench.runs} runs into one DLRUN_HOME after a warm-up submit, each taking turns with dlrun --help`,
        bench.method.providerTime,
        bench.method.loading,
      ].join('; '),
      measurements,
    };
  });
}

async function timeSubmit<Stand extends ProxiedStand>(
  bench: SubmitOverheadBench<Stand>,
  stand: Stand,
  jobDir: string,
  home: string,
): Promise<SubmitSample> {
  stand.clear();
  const env = cleanEnv({ HOME: home, DLRUN_HOME: home, ...stand.env });
  const run = await timeChild([CLI_BIN, 'submit', '--backend', bench.backend, path.join(jobDir, 'job.yaml')], {
    cwd: jobDir,
    env,
  });
  if (!/^[a-z0-9-]+$/.test(run.stdout.trim())) throw new Error(`submit printed no job id: ${run.stdout}`);
  return { ms: run.ms, provider: requestTime(stand.events()), kinds: bench.kinds(stand) };
}

/** Per run, the time a fresh Node takes to run `code` beyond `node -e 0`, the two taking turns. */
async function timeLoading(code: string, runs: number): Promise<number[]> {
  const env = cleanEnv({});
  const differences: number[] = [];
  for (let run = 0; run < runs; run++) {
    const loaded = await timeChild(['-e', code], { cwd: REPO_ROOT, env });
    const bare = await timeChild(['-e', '0'], { cwd: REPO_ROOT, env });
    differences.push(loaded.ms - bare.ms);
  }
  return differences;
}

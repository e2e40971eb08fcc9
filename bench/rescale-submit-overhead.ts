import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { requestTime, timeChild } from './support/aws-stand-in.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN, REPO_ROOT } from './support/paths.js';
import { median, medianAndP90 } from './support/statistics.js';
import { type RescaleBenchStand, rescaleRequestKinds, startRescaleBenchStand } from './support/rescale-bench-stand.js';
import { overheadMeasurements, submitRounds, type SubmitSample } from './support/submit-overhead.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv } from './support/time-commands.js';

const TITLE = "What dlrun adds to a Rescale submit, beyond Rescale's own calls (stand-in)";
const RUNS = 8;
const JOB = [
  'name: overhead',
  'run: python train.py',
  'resources: { cpus: 2 }',
  'limits:',
  '  max_runtime: 1h',
  '',
].join('\n');
/** What the adapter loads on first use (adapters/rescale/rescale-sdk.ts), in a fresh Node: axios's own cost. */
const LOAD_AXIOS = "require('axios');";

/**
 * `dlrun submit --backend rescale` of a one-node CPU job (no --wait: it ends once the job is submitted) against the
 * Rescale stand-in behind a timing proxy. The proxy times every Rescale request; what remains of the wall time is
 * dlrun's own: Node's start, loading the job and axios, planning, the workdir archive, the ledger. The jobs stay
 * Queued: nothing runs.
 */
export async function rescaleSubmitOverhead(): Promise<BenchmarkResult> {
  const stand = await startRescaleBenchStand({ queuedMs: Number.POSITIVE_INFINITY });
  const root = makeTempFolder('dlrun-bench-rescale-submit-');
  try {
    const jobDir = path.join(root, 'job');
    mkdirSync(jobDir);
    writeFileSync(path.join(jobDir, 'job.yaml'), JOB);
    writeFileSync(path.join(jobDir, 'train.py'), 'print("training")\n');
    // Every submit after the first finds the workdir's archive uploaded (its name is its content's hash).
    const rounds = await submitRounds(root, jobDir, RUNS, (home) => timeSubmit(stand, jobDir, home));
    const axios = await timeAxiosLoading(RUNS);
    const measurements: Measurement[] = [
      ...overheadMeasurements(rounds, {
        provider: 'Rescale',
        submit: 'dlrun submit --backend rescale (workdir already uploaded)',
        first: 'uploads the workdir',
      }),
      {
        label: 'loading axios in a fresh Node (minus node -e 0)',
        figures: medianAndP90(axios),
        runs: RUNS,
        ratio: {
          value: median(axios) / median(rounds.samples.map((sample) => sample.ms - sample.provider.inFlightMs)),
          of: 'added',
        },
      },
    ];
    return {
      title: TITLE,
      method: [
        'a one-line job of 2 cores (standard-plus), submitted with --backend rescale and without --wait',
        `${RUNS} runs into one DLRUN_HOME after a warm-up submit, each taking turns with dlrun --help`,
        'Rescale time = requests in flight at the proxy in front of the Rescale stand-in',
        'the axios line: node -e require(...) and node -e 0 taking turns, per-run difference',
      ].join('; '),
      measurements,
    };
  } finally {
    removeFolder(root);
    await stand.stop();
  }
}

async function timeSubmit(stand: RescaleBenchStand, jobDir: string, home: string): Promise<SubmitSample> {
  stand.clear();
  const env = cleanEnv({ HOME: home, DLRUN_HOME: home, ...stand.env });
  const run = await timeChild([CLI_BIN, 'submit', '--backend', 'rescale', path.join(jobDir, 'job.yaml')], {
    cwd: jobDir,
    env,
  });
  if (!/^[a-z0-9-]+$/.test(run.stdout.trim())) throw new Error(`submit printed no job id: ${run.stdout}`);
  return { ms: run.ms, provider: requestTime(stand.events()), kinds: rescaleRequestKinds(stand) };
}

/** Per run, the time a fresh Node takes to load axios beyond `node -e 0`, the two taking turns. */
async function timeAxiosLoading(runs: number): Promise<number[]> {
  const env = cleanEnv({});
  const differences: number[] = [];
  for (let run = 0; run < runs; run++) {
    const loaded = await timeChild(['-e', LOAD_AXIOS], { cwd: REPO_ROOT, env });
    const bare = await timeChild(['-e', '0'], { cwd: REPO_ROOT, env });
    differences.push(loaded.ms - bare.ms);
  }
  return differences;
}

await runWhenMain(import.meta.url, rescaleSubmitOverhead);

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { requestTime, timeChild } from './support/aws-stand-in.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN, REPO_ROOT } from './support/paths.js';
import { median, medianAndP90 } from './support/statistics.js';
import { overheadMeasurements, submitRounds, type SubmitSample } from './support/submit-overhead.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv } from './support/time-commands.js';
import { requestKinds, startVertexBenchStand, type VertexBenchStand } from './support/vertex-bench-stand.js';

const TITLE = "What dlrun adds to a Vertex AI submit, beyond Google's own calls (stand-ins)";
const RUNS = 8;
const JOB = [
  'name: overhead',
  'run: python train.py',
  'resources: { cpus: 4 }',
  'limits:',
  '  max_runtime: 1h',
  '',
].join('\n');
/** What the adapter loads on first use (adapters/vertex/vertex-sdk.ts), in a fresh Node: the SDKs' own cost. */
const LOAD_SDKS = "require('googleapis/build/src/apis/aiplatform'); require('@google-cloud/storage');";

/**
 * `dlrun submit --backend vertex` of a one-node CPU job (no --wait: it ends once the custom job is created) against
 * the Vertex AI and Cloud Storage stand-ins, each behind a timing proxy. The proxies time every Google request;
 * what remains of the wall time is dlrun's own: Node's start, loading the job and Google's clients, planning,
 * the ledger. The custom jobs stay QUEUED: nothing runs.
 */
export async function vertexSubmitOverhead(): Promise<BenchmarkResult> {
  const stand = await startVertexBenchStand({ queuedMs: Number.POSITIVE_INFINITY });
  const root = makeTempFolder('dlrun-bench-vertex-submit-');
  try {
    const jobDir = path.join(root, 'job');
    mkdirSync(jobDir);
    writeFileSync(path.join(jobDir, 'job.yaml'), JOB);
    writeFileSync(path.join(jobDir, 'train.py'), 'print("training")\n');
    // The first submit of a ledger also uploads the workdir; later ones find it by its content's name.
    const rounds = await submitRounds(root, jobDir, RUNS, (home) => timeSubmit(stand, jobDir, home));
    const sdks = await timeSdkLoading(RUNS);
    const measurements: Measurement[] = [
      ...overheadMeasurements(rounds, {
        provider: 'Google',
        submit: 'dlrun submit --backend vertex (workdir already staged)',
        first: 'uploads the workdir',
      }),
      {
        label: "loading googleapis' aiplatform and @google-cloud/storage in a fresh Node (minus node -e 0)",
        figures: medianAndP90(sdks),
        runs: RUNS,
        ratio: {
          value: median(sdks) / median(rounds.samples.map((sample) => sample.ms - sample.provider.inFlightMs)),
          of: 'added',
        },
      },
    ];
    return {
      title: TITLE,
      method: [
        'a one-line job of 4 vCPUs, submitted with --backend vertex and without --wait',
        `${RUNS} runs into one DLRUN_HOME after a warm-up submit, each taking turns with dlrun --help`,
        'Google time = requests in flight at the proxies in front of the Vertex AI and Cloud Storage stand-ins',
        'the SDK line: node -e require(...) and node -e 0 taking turns, per-run difference',
      ].join('; '),
      measurements,
    };
  } finally {
    removeFolder(root);
    await stand.stop();
  }
}

async function timeSubmit(stand: VertexBenchStand, jobDir: string, home: string): Promise<SubmitSample> {
  stand.clear();
  const env = cleanEnv({ HOME: home, DLRUN_HOME: home, ...stand.env });
  const run = await timeChild([CLI_BIN, 'submit', '--backend', 'vertex', path.join(jobDir, 'job.yaml')], {
    cwd: jobDir,
    env,
  });
  if (!/^[a-z0-9-]+$/.test(run.stdout.trim())) throw new Error(`submit printed no job id: ${run.stdout}`);
  return { ms: run.ms, provider: requestTime(stand.events()), kinds: requestKinds(stand) };
}

/** Per run, the time a fresh Node takes to load both SDKs beyond `node -e 0`, the two taking turns. */
async function timeSdkLoading(runs: number): Promise<number[]> {
  const env = cleanEnv({});
  const differences: number[] = [];
  for (let run = 0; run < runs; run++) {
    const loaded = await timeChild(['-e', LOAD_SDKS], { cwd: REPO_ROOT, env });
    const bare = await timeChild(['-e', '0'], { cwd: REPO_ROOT, env });
    differences.push(loaded.ms - bare.ms);
  }
  return differences;
}

await runWhenMain(import.meta.url, vertexSubmitOverhead);

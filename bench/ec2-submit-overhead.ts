import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { awsEnvironment } from '../test/standins/moto-stand-in.js';
import { TEST_IMAGE } from '../test/standins/test-clients.js';
import {
  requestTime,
  startAwsStandIn,
  timeChild,
  withoutMoto,
  type AwsStandIn,
  type RequestTime,
} from './support/aws-stand-in.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN } from './support/paths.js';
import { median, percentile } from './support/statistics.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv } from './support/time-commands.js';

const TITLE = "What dlrun adds to an EC2 submit, beyond the provider's own calls (moto)";
const RUNS = 8;
const JOB = [
  'name: overhead',
  'run: python train.py',
  'limits:',
  '  max_runtime: 1h',
  'backend: ec2',
  'backends:',
  '  ec2:',
  '    instance_type: t3.micro',
  '',
].join('\n');

interface Sample {
  readonly ms: number;
  readonly aws: RequestTime;
}

/**
 * `dlrun submit` of a one-node EC2 job (no --wait: it ends once the instance is launched) against moto behind the
 * proxy. The proxy times every AWS request (received to answered); what remains of the wall time is dlrun's own:
 * Node's start, loading the job and the SDK, planning, the ledger, presigning.
 */
export async function ec2SubmitOverhead(): Promise<BenchmarkResult> {
  const standIn = await startAwsStandIn();
  if (!standIn) return withoutMoto(TITLE);
  const root = makeTempFolder('dlrun-bench-ec2-submit-');
  try {
    const jobDir = path.join(root, 'job');
    mkdirSync(jobDir);
    writeFileSync(path.join(jobDir, 'job.yaml'), JOB);
    writeFileSync(path.join(jobDir, 'train.py'), 'print("training")\n');
    const home = (name: string) => {
      const folder = path.join(root, name);
      mkdirSync(folder);
      return folder;
    };
    // The first submit of a ledger also creates and tags its bucket and uploads the workdir.
    const first = await timeSubmit(standIn, jobDir, home('first'));
    const steady = home('steady');
    await timeSubmit(standIn, jobDir, steady); // warm-up: the bucket and the workdir are there from now on
    const samples: Sample[] = [];
    const help: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      samples.push(await timeSubmit(standIn, jobDir, steady));
      help.push(
        (await timeChild([CLI_BIN, '--help'], { cwd: jobDir, env: cleanEnv({ HOME: steady, DLRUN_HOME: steady }) })).ms,
      );
    }
    const spread = (values: readonly number[]) => [
      { name: 'median', ms: median(values) },
      { name: 'p90', ms: percentile(values, 0.9) },
    ];
    const wall = samples.map((sample) => sample.ms);
    const inFlight = samples.map((sample) => sample.aws.inFlightMs);
    const added = samples.map((sample) => sample.ms - sample.aws.inFlightMs);
    const requests = samples[0]!.aws.requests;
    const measurements: Measurement[] = [
      { label: 'dlrun submit (bucket and workdir already there)', figures: spread(wall), runs: RUNS },
      {
        label: `  AWS requests in flight (${requests} requests)`,
        figures: spread(inFlight),
        runs: RUNS,
        ratio: { value: median(inFlight) / median(wall), of: 'wall' },
      },
      {
        label: '  AWS request times added up (overlaps counted twice)',
        figures: spread(samples.map((sample) => sample.aws.sumMs)),
        runs: RUNS,
      },
      {
        label: '  what dlrun adds (wall - in flight, per run)',
        figures: spread(added),
        runs: RUNS,
        ratio: { value: median(added) / median(wall), of: 'wall' },
      },
      {
        label: '  of which starting Node and dlrun (dlrun --help)',
        figures: spread(help),
        runs: RUNS,
        ratio: { value: median(help) / median(added), of: 'added' },
      },
      {
        label: `first submit of a ledger (creates the bucket, uploads the workdir; ${first.aws.requests} requests)`,
        figures: [
          { name: 'wall', ms: first.ms },
          { name: 'added', ms: first.ms - first.aws.inFlightMs },
        ],
        runs: 1,
      },
    ];
    return {
      title: TITLE,
      method: [
        'a one-line t3.micro job, submitted without --wait',
        `${RUNS} runs into one DLRUN_HOME after a warm-up submit, each taking turns with dlrun --help`,
        'AWS time = requests in flight at the proxy in front of moto',
      ].join('; '),
      measurements,
    };
  } finally {
    removeFolder(root);
    await standIn.stop();
  }
}

async function timeSubmit(standIn: AwsStandIn, jobDir: string, home: string): Promise<Sample> {
  standIn.proxy.clear();
  const env = cleanEnv({
    HOME: home,
    DLRUN_HOME: home,
    ...awsEnvironment(standIn.proxy.endpoint),
    DLRUN_EC2_DEFAULT_IMAGE: TEST_IMAGE,
  });
  const run = await timeChild([CLI_BIN, 'submit', path.join(jobDir, 'job.yaml')], { cwd: jobDir, env });
  if (!/^[a-z0-9-]+$/.test(run.stdout.trim())) throw new Error(`submit printed no job id: ${run.stdout}`);
  return { ms: run.ms, aws: requestTime(standIn.proxy.events()) };
}

await runWhenMain(import.meta.url, ec2SubmitOverhead);

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { awsEnvironment } from '../test/standins/moto-stand-in.js';
import { TEST_IMAGE } from '../test/standins/test-clients.js';
import { requestTime, startAwsStandIn, timeChild, withoutMoto, type AwsStandIn } from './support/aws-stand-in.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult } from './support/measurement.js';
import { CLI_BIN } from './support/paths.js';
import { overheadMeasurements, submitRounds, type SubmitSample } from './support/submit-overhead.js';
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
    // The first submit of a ledger also creates and tags its bucket and uploads the workdir.
    const rounds = await submitRounds(root, jobDir, RUNS, (home) => timeSubmit(standIn, jobDir, home));
    return {
      title: TITLE,
      method: [
        'a one-line t3.micro job, submitted without --wait',
        `${RUNS} runs into one DLRUN_HOME after a warm-up submit, each taking turns with dlrun --help`,
        'AWS time = requests in flight at the proxy in front of moto',
      ].join('; '),
      measurements: overheadMeasurements(rounds, {
        provider: 'AWS',
        submit: 'dlrun submit (bucket and workdir already there)',
        first: 'creates the bucket, uploads the workdir',
      }),
    };
  } finally {
    removeFolder(root);
    await standIn.stop();
  }
}

async function timeSubmit(standIn: AwsStandIn, jobDir: string, home: string): Promise<SubmitSample> {
  standIn.proxy.clear();
  const env = cleanEnv({
    HOME: home,
    DLRUN_HOME: home,
    ...awsEnvironment(standIn.proxy.endpoint),
    DLRUN_EC2_DEFAULT_IMAGE: TEST_IMAGE,
  });
  const run = await timeChild([CLI_BIN, 'submit', path.join(jobDir, 'job.yaml')], { cwd: jobDir, env });
  if (!/^[a-z0-9-]+$/.test(run.stdout.trim())) throw new Error(`submit printed no job id: ${run.stdout}`);
  return { ms: run.ms, provider: requestTime(standIn.proxy.events()) };
}

await runWhenMain(import.meta.url, ec2SubmitOverhead);

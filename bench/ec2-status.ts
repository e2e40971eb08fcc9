import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EC2Client } from '@aws-sdk/client-ec2';
import { awsClientConfig, awsEnvironment } from '../test/standins/moto-stand-in.js';
import { TEST_IMAGE } from '../test/standins/test-clients.js';
import { homeWithEc2Jobs } from '../test/support/ec2-ledger-jobs.js';
import { requestTime, startAwsStandIn, timeChild, withoutMoto, type AwsStandIn } from './support/aws-stand-in.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN } from './support/paths.js';
import { median, medianAndP90 } from './support/statistics.js';
import { expectTableRows, jsonStates } from './support/status-output.js';
import { takeTurns } from './support/take-turns.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv } from './support/time-commands.js';

const TITLE = 'dlrun status over 1,000 active EC2 jobs (moto)';
const JOBS = 1000;
const WARMUPS = 1;
const RUNS = 5;
const TARGET_MS = 2000;
const TARGET_DESCRIBES = 2;

interface Sample {
  readonly ms: number;
  readonly describes: number;
  readonly awsMs: number;
}

/**
 * The whole `dlrun status` process over 1,000 active EC2 jobs, each with its instance in moto, behind the counting
 * proxy: wall time, DescribeInstances requests per run, and how much of the time was spent waiting for moto.
 */
export async function ec2StatusBench(): Promise<BenchmarkResult> {
  const standIn = await startAwsStandIn();
  if (!standIn) return withoutMoto(TITLE);
  const root = makeTempFolder('dlrun-bench-ec2-status-');
  try {
    const home = path.join(root, 'home');
    mkdirSync(home);
    const seedingStart = performance.now();
    const ec2 = new EC2Client(awsClientConfig(standIn.moto.endpoint));
    await homeWithEc2Jobs(home, ec2, JOBS).finally(() => ec2.destroy());
    const seedingMs = performance.now() - seedingStart;
    const env = cleanEnv({
      HOME: home,
      DLRUN_HOME: home,
      ...awsEnvironment(standIn.proxy.endpoint),
      DLRUN_EC2_DEFAULT_IMAGE: TEST_IMAGE,
      // moto takes 5-8 s to answer one DescribeInstances of 1,000 tagged instances (real EC2: well under a
      // second). Past the default 8 s read deadline the SDK would retry, and the figures would measure retries.
      DLRUN_NETWORK_TIMEOUT_MS: '120000',
    });
    const commands = [
      { label: 'dlrun status --json', flags: ['--json'], check: expectJsonJobs },
      { label: 'dlrun status', flags: [], check: expectTableRows(JOBS) },
    ];
    // The first round records every job's move to running (as the first status after submit does); the runs
    // after it change nothing, so each sees the same ledger.
    const samples = await takeTurns(commands, { warmups: WARMUPS, runs: RUNS }, (command) =>
      timeStatus(standIn, [CLI_BIN, 'status', ...command.flags], home, env, command.check),
    );
    return {
      title: TITLE,
      method: [
        `${JOBS} jobs recorded in the ledger as submit records them, one moto instance each`,
        `${RUNS} runs each after ${WARMUPS} warm-up round, the commands taking turns`,
        'AWS time = DescribeInstances in flight at the proxy',
        'ratio = median / target',
      ].join('; '),
      measurements: [
        ...commands.flatMap(({ label }) => measurementsOf(label, samples.get(label)!)),
        {
          label: `seeding: ${JOBS} RunInstances and ledger records (no target)`,
          figures: [{ name: 'total', ms: seedingMs }],
          runs: 1,
        },
      ],
    };
  } finally {
    removeFolder(root);
    await standIn.stop();
  }
}

async function timeStatus(
  standIn: AwsStandIn,
  args: readonly string[],
  home: string,
  env: Record<string, string>,
  check: (stdout: string) => void,
): Promise<Sample> {
  standIn.proxy.clear();
  const run = await timeChild(args, { cwd: home, env });
  check(run.stdout);
  return {
    ms: run.ms,
    describes: standIn.proxy.requests('DescribeInstances'),
    awsMs: requestTime(standIn.proxy.events()).inFlightMs,
  };
}

function measurementsOf(label: string, samples: readonly Sample[]): Measurement[] {
  const wall = samples.map((sample) => sample.ms);
  const aws = samples.map((sample) => sample.awsMs);
  const describes = Math.max(...samples.map((sample) => sample.describes));
  return [
    {
      label,
      figures: medianAndP90(wall),
      runs: samples.length,
      ratio: { value: median(wall) / TARGET_MS, of: 'target' },
      target: `under ${TARGET_MS / 1000} s`,
    },
    {
      label: '  of which waiting for moto (AWS requests in flight)',
      figures: medianAndP90(aws),
      runs: samples.length,
      ratio: { value: median(aws) / median(wall), of: 'wall' },
    },
    {
      label: '  dlrun itself (wall - AWS, per run)',
      figures: medianAndP90(samples.map((sample) => sample.ms - sample.awsMs)),
      runs: samples.length,
    },
    {
      label: `  DescribeInstances requests per run: ${describes} (the most in any run)`,
      figures: [],
      runs: samples.length,
      ratio: { value: describes / TARGET_DESCRIBES, of: 'target' },
      target: `at most ${TARGET_DESCRIBES}`,
    },
  ];
}

function expectJsonJobs(stdout: string): void {
  const states = jsonStates(stdout);
  const running = states.filter((state) => state === 'running').length;
  if (running !== JOBS)
    throw new Error(`status --json listed ${running} running jobs of ${states.length}, expected ${JOBS}`);
}

await runWhenMain(import.meta.url, ec2StatusBench);

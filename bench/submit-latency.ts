import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN, REPO_ROOT } from './support/paths.js';
import { median, percentile } from './support/statistics.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';

const RUNS = 10;
const WAIT_RUNS = 5;
const QUICKSTART = path.join(REPO_ROOT, 'examples', 'quickstart');
const FIRST_LINE = 'first line of output';

/**
 * How quickly a local job gets going, and what following it costs: the time from starting `dlrun submit` to
 * the job's first line of output (in its log, and on the terminal of `submit --wait`), and the quickstart under
 * `submit --wait` against the same script run by hand.
 */
export async function submitLatency(): Promise<BenchmarkResult> {
  const root = makeTempFolder('dlrun-bench-submit-');
  try {
    const jobDir = path.join(root, 'first-line');
    mkdirSync(jobDir);
    writeFileSync(path.join(jobDir, 'job.yaml'), `name: first-line\nrun: echo "${FIRST_LINE}"\n`);
    const toLog: number[] = [];
    const toTerminal: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      toLog.push(await untilLogged(path.join(jobDir, 'job.yaml'), path.join(root, `home-log-${run}`)));
      toTerminal.push(await untilPrinted(path.join(jobDir, 'job.yaml'), path.join(root, `home-wait-${run}`)));
    }
    const byHand: number[] = [];
    const underWait: number[] = [];
    for (let run = 0; run < WAIT_RUNS; run++) {
      byHand.push(
        timed(() =>
          runOrThrow(
            'python3',
            ['train.py', '--epochs', '40', '--out', path.join(root, `by-hand-${run}`)],
            QUICKSTART,
            {},
          ),
        ),
      );
      underWait.push(
        timed(() =>
          runOrThrow(process.execPath, [CLI_BIN, 'submit', path.join(QUICKSTART, 'job.yaml'), '--wait'], root, {
            DLRUN_HOME: path.join(root, `home-quickstart-${run}`),
          }),
        ),
      );
    }
    const overhead = underWait.map((ms, run) => ms - byHand[run]!);
    return {
      title: 'Submitting a local job',
      method:
        `${RUNS} submits of a one-line job, each with a fresh DLRUN_HOME; ` +
        `the quickstart ${WAIT_RUNS} times by hand and under submit --wait, taking turns`,
      measurements: [
        spread("dlrun submit -> first line in the job's log", toLog),
        spread('dlrun submit --wait -> first line on its stderr', toTerminal),
        spread('quickstart by hand (python3 train.py)', byHand),
        spread('quickstart under dlrun submit --wait', underWait),
        {
          ...spread('  what --wait adds (difference per pair)', overhead),
          ratio: { value: median(underWait) / median(byHand), of: 'by hand' },
        },
      ],
    };
  } finally {
    removeFolder(root);
  }
}

function spread(label: string, samples: readonly number[]): Measurement {
  return {
    label,
    figures: [
      { name: 'median', ms: median(samples) },
      { name: 'p90', ms: percentile(samples, 0.9) },
    ],
    runs: samples.length,
  };
}

function timed(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

function runOrThrow(command: string, args: string[], cwd: string, env: Record<string, string>): void {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr?.toString()}`);
}

/** From starting `dlrun submit` until the job's line is in its log file. */
async function untilLogged(jobFile: string, home: string): Promise<number> {
  const start = performance.now();
  const submit = spawnSync(process.execPath, [CLI_BIN, 'submit', jobFile], {
    env: { ...process.env, DLRUN_HOME: home },
    encoding: 'utf8',
  });
  if (submit.status !== 0) throw new Error(`submit failed: ${submit.stderr}`);
  const log = path.join(home, 'jobs', submit.stdout.trim(), 'output.log');
  while (!(existsSync(log) && readFileSync(log, 'utf8').includes(FIRST_LINE))) await sleep(2);
  return performance.now() - start;
}

/** From starting `dlrun submit --wait` until the job's line appears on its stderr, as a user watching would see it. */
function untilPrinted(jobFile: string, home: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, 'submit', jobFile, '--wait'], {
      env: { ...process.env, DLRUN_HOME: home },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let seen: number | undefined;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (seen === undefined && stderr.includes(FIRST_LINE)) seen = performance.now() - start;
    });
    child.on('close', (code) =>
      code === 0 && seen !== undefined ? resolve(seen) : reject(new Error(`submit --wait failed (${code}): ${stderr}`)),
    );
  });
}

await runWhenMain(import.meta.url, submitLatency);

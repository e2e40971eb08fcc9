import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SqliteLedger } from '../src/ledger/sqlite-ledger.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { BENCH_FIXTURES, CLI_BIN } from './support/paths.js';
import { median, medianAndP90 } from './support/statistics.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv, timeCommands, type TimedCommand } from './support/time-commands.js';

const WARMUPS = 2;
const RUNS = 20;
const BASELINE = 'dlrun --help';
const JOB_FILE = path.join(BENCH_FIXTURES, 'quote-job.yaml');
/** The fixture names no GPU, so every backend dlrun launches on can price it. */
const BACKENDS = ['ec2', 'local', 'rescale', 'vertex'];

/**
 * `dlrun quote` with no --backend, which loads every backend's pricing and prices the job on each, as a whole
 * process beside `dlrun --help` (Node's start and the CLI's own loading) on the same machine.
 */
export async function quoteAllBackends(): Promise<BenchmarkResult> {
  const root = makeTempFolder('dlrun-bench-quote-');
  try {
    const work = path.join(root, 'work');
    mkdirSync(work);
    // Two homes: a new user's, empty; and one dlrun has used (a ledger, so the start-up medians are read and the
    // compile cache is on, as for anyone who has run a job). Each home's commands are measured against its own --help.
    const fresh = path.join(root, 'new-home');
    const used = path.join(root, 'used-home');
    mkdirSync(fresh);
    mkdirSync(used);
    await (await SqliteLedger.open(path.join(used, 'ledger.db'), { busyTimeoutMs: 5_000 })).close();
    const homes = [
      { home: fresh, suffix: '' },
      { home: used, suffix: ' (used home)' },
    ];
    const commands = homes.flatMap(({ home, suffix }) => {
      const command = (label: string, args: readonly string[], check: (stdout: string) => void): TimedCommand => ({
        label: `${label}${suffix}`,
        args: [CLI_BIN, ...args],
        cwd: work,
        env: cleanEnv({ HOME: home, DLRUN_HOME: home }),
        check,
      });
      return [
        command(BASELINE, ['--help'], (stdout) => {
          if (!stdout.includes('quote')) throw new Error(`--help did not list quote:\n${stdout.slice(0, 500)}`);
        }),
        command('dlrun quote job.yaml', ['quote', JOB_FILE], expectTextRows),
        command('dlrun quote job.yaml --json', ['quote', JOB_FILE, '--json'], expectJsonQuotes),
      ];
    });
    const samples = timeCommands(commands, { warmups: WARMUPS, runs: RUNS });
    const measurements: Measurement[] = commands.map(({ label }) => {
      const suffix = label.endsWith(homes[1]!.suffix) ? homes[1]!.suffix : '';
      const baselineLabel = `${BASELINE}${suffix}`;
      const runs = samples.get(label)!;
      return {
        label,
        figures: medianAndP90(runs),
        runs: runs.length,
        ratio: { value: median(runs) / median(samples.get(baselineLabel)!), of: baselineLabel },
        ...(label === baselineLabel ? {} : { target: `under 2x ${baselineLabel}` }),
      };
    });
    return {
      title: 'dlrun quote on every backend, beside dlrun --help',
      method:
        `bench/fixtures/quote-job.yaml (a 4-CPU job on an owned machine, so the break-even is worked out too), ` +
        `in an empty DLRUN_HOME and in one with a ledger ("used home"); ${RUNS} runs each after ${WARMUPS} ` +
        `warm-up rounds, the commands taking turns; ratio = median / median of '${BASELINE}' in the same home`,
      measurements,
    };
  } finally {
    removeFolder(root);
  }
}

function expectJsonQuotes(stdout: string): void {
  const output = JSON.parse(stdout) as { quotes: { backend: string }[]; unavailable: unknown[] };
  const quoted = output.quotes.map((entry) => entry.backend).sort();
  if (quoted.join() !== BACKENDS.join() || output.unavailable.length !== 0)
    throw new Error(`quote --json priced ${quoted.join(', ')}, expected ${BACKENDS.join(', ')}`);
}

/** The table has a header, then one row per backend, each starting with the backend's name. */
function expectTextRows(stdout: string): void {
  const rows = stdout.split('\n').filter((line) => BACKENDS.some((name) => line.startsWith(`${name} `)));
  if (rows.length !== BACKENDS.length) throw new Error(`quote listed ${rows.length} backends:\n${stdout}`);
}

await runWhenMain(import.meta.url, quoteAllBackends);

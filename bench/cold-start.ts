import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN } from './support/paths.js';
import { seedHome } from './support/seed-home.js';
import type { StandInSupervisor } from './support/stand-in-supervisor.js';
import { median, percentile } from './support/statistics.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv, timeCommands, type TimedCommand } from './support/time-commands.js';

const WARMUPS = 2;
const RUNS = 20;
const SMALL_LEDGER_JOBS = 12;
const BASELINE = 'node -e 0';

/**
 * How long a user waits for dlrun to start: `--help` and `status` as fresh processes, beside `node -e 0`,
 * the least any Node program can cost on this machine.
 */
export async function coldStart(): Promise<BenchmarkResult> {
  const root = makeTempFolder('dlrun-bench-cold-');
  let supervisor: StandInSupervisor | undefined;
  try {
    const work = path.join(root, 'work');
    const emptyHome = path.join(root, 'empty-home');
    const smallHome = path.join(root, 'small-home');
    for (const folder of [work, emptyHome, smallHome]) mkdirSync(folder);
    supervisor = (await seedHome(smallHome, SMALL_LEDGER_JOBS, 3)).supervisor;
    const command = (
      label: string,
      args: readonly string[],
      home: string,
      check: (stdout: string) => void,
    ): TimedCommand => ({
      label,
      args,
      cwd: work,
      env: cleanEnv({ HOME: home, DLRUN_HOME: home }),
      check,
    });
    const commands = [
      command(BASELINE, ['-e', '0'], emptyHome, () => {}),
      command('dlrun --help', [CLI_BIN, '--help'], emptyHome, expectText('status')),
      command('dlrun status (empty DLRUN_HOME)', [CLI_BIN, 'status'], emptyHome, expectText('')),
      command(
        `dlrun status (ledger of ${SMALL_LEDGER_JOBS} jobs)`,
        [CLI_BIN, 'status'],
        smallHome,
        expectText('JOB ID'),
      ),
    ];
    const samples = timeCommands(commands, { warmups: WARMUPS, runs: RUNS });
    const baseline = median(samples.get(BASELINE)!);
    const measurements: Measurement[] = commands.map(({ label }) => {
      const runs = samples.get(label)!;
      const middle = median(runs);
      return {
        label,
        figures: [
          { name: 'median', ms: middle },
          { name: 'p90', ms: percentile(runs, 0.9) },
        ],
        runs: runs.length,
        ratio: { value: middle / baseline, of: BASELINE },
        ...(label === 'dlrun --help' ? { target: `within 2x ${BASELINE}` } : {}),
      };
    });
    return {
      title: 'Cold start: wall time of a fresh process, spawn to exit',
      method:
        `${RUNS} runs each after ${WARMUPS} warm-up rounds, the commands taking turns; ` +
        `ratio = median / median of '${BASELINE}'`,
      measurements,
    };
  } finally {
    supervisor?.stop();
    removeFolder(root);
  }
}

/** An empty `expected` means the command prints nothing on stdout (status with no ledger says so on stderr). */
function expectText(expected: string): (stdout: string) => void {
  return (stdout) => {
    const matches = expected === '' ? stdout === '' : stdout.includes(expected);
    if (!matches)
      throw new Error(
        `unexpected output (wanted ${expected === '' ? 'none' : `'${expected}'`}):\n${stdout.slice(0, 500)}`,
      );
  };
}

await runWhenMain(import.meta.url, coldStart);

import path from 'node:path';
import Database from 'better-sqlite3';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN } from './support/paths.js';
import { LARGE_LEDGER, seedLargeLedgerHome } from './support/seed-home.js';
import type { StandInSupervisor } from './support/stand-in-supervisor.js';
import { median, percentile } from './support/statistics.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv, timeCommands, type TimedCommand } from './support/time-commands.js';

const { jobs: JOBS, activeJobs: ACTIVE_JOBS } = LARGE_LEDGER;
/** `status` without --all shows the active jobs and this many recent ended ones (src/cli/commands/status.ts). */
const RECENT_ENDED = 20;
const WARMUPS = 1;
const RUNS = 9;
const TARGET_MS = 300;

/** `dlrun status` as a whole process over a ledger a busy team fills in about a year. */
export async function statusLargeLedger(): Promise<BenchmarkResult> {
  const root = makeTempFolder('dlrun-bench-status-');
  let supervisor: StandInSupervisor | undefined;
  try {
    const { summary: seeded, supervisor: started, home, work } = await seedLargeLedgerHome(root);
    supervisor = started;
    const shown = ACTIVE_JOBS + RECENT_ENDED;
    const command = (flags: readonly string[], jobs: number): TimedCommand => ({
      label: ['dlrun status', ...flags].join(' '),
      args: [CLI_BIN, 'status', ...flags],
      cwd: work,
      env: cleanEnv({ HOME: home, DLRUN_HOME: home }),
      check: flags.includes('--json') ? expectJsonJobs(jobs) : expectTableRows(jobs),
    });
    const commands = [
      command([], shown),
      command(['--json'], shown),
      command(['--all'], JOBS),
      command(['--all', '--json'], JOBS),
    ];
    const samples = timeCommands(commands, { warmups: WARMUPS, runs: RUNS });
    const written = eventCount(path.join(home, 'ledger.db')) - seeded.events;
    const measurements: Measurement[] = commands.map(({ label }) => {
      const runs = samples.get(label)!;
      return {
        label,
        figures: [
          { name: 'median', ms: median(runs) },
          { name: 'p90', ms: percentile(runs, 0.9) },
        ],
        runs: runs.length,
        ratio: { value: median(runs) / TARGET_MS, of: 'target' },
        target: `under ${TARGET_MS} ms`,
      };
    });
    const seeding: Measurement = {
      label: `seeding: ${seeded.writes.toLocaleString('en-US')} writes through SqliteLedger (no target)`,
      figures: [
        { name: 'total', ms: seeded.ms },
        { name: 'per write', ms: seeded.ms / seeded.writes },
      ],
      runs: 1,
    };
    return {
      title: `dlrun status over a ledger of ${JOBS.toLocaleString('en-US')} jobs`,
      method:
        `${seeded.events.toLocaleString('en-US')} events, ${ACTIVE_JOBS} jobs active, ` +
        'a price snapshot on each and a bill on each that ended; ' +
        `${RUNS} runs each after ${WARMUPS} warm-up round, the commands taking turns; ratio = median / target` +
        (written === 0
          ? ''
          : `; status recorded ${written} events while refreshing, so the runs did not all see the same ledger`),
      measurements: [...measurements, seeding],
    };
  } finally {
    supervisor?.stop();
    removeFolder(root);
  }
}

/** Refreshing active jobs may write to the ledger; the figures compare only if every run saw the same one. */
function eventCount(file: string): number {
  const database = new Database(file, { readonly: true });
  try {
    return (database.prepare('SELECT COUNT(*) AS count FROM job_events').get() as { count: number }).count;
  } finally {
    database.close();
  }
}

function expectJsonJobs(count: number): (stdout: string) => void {
  return (stdout) => {
    const shown = (JSON.parse(stdout) as { jobs: unknown[] }).jobs.length;
    if (shown !== count) throw new Error(`status --json listed ${shown} jobs, expected ${count}`);
  };
}

/** The table has a header line, one line per job, then the line with the total of the jobs shown. */
function expectTableRows(count: number): (stdout: string) => void {
  return (stdout) => {
    const lines = stdout.trimEnd().split('\n');
    const rows = lines.length - (lines.at(-1)?.startsWith('total of the') ? 2 : 1);
    if (rows !== count) throw new Error(`status listed ${rows} jobs, expected ${count}`);
  };
}

await runWhenMain(import.meta.url, statusLargeLedger);

import path from 'node:path';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN } from './support/paths.js';
import { LARGE_LEDGER, seedLargeLedgerHome } from './support/seed-home.js';
import { seedRefusedSubmits } from './support/seed-refused-submits.js';
import type { StandInSupervisor } from './support/stand-in-supervisor.js';
import { median, medianAndP90 } from './support/statistics.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv, timeCommands, type TimedCommand } from './support/time-commands.js';

const { jobs: JOBS, activeJobs: ACTIVE_JOBS } = LARGE_LEDGER;
/** About one refusal for every 30 jobs, over the year the seeded jobs span. */
const REFUSED = 330;
const REFUSED_OVER_DAYS = 350;
const WARMUPS = 1;
const RUNS = 9;
const TARGET_MS = 300;

/**
 * `dlrun report` as a whole process over the same ledger status-large-ledger.ts times (a busy team's year: bills on
 * the jobs that ended, every backend and state), plus the submits the validator refused, which report counts.
 */
export async function reportLargeLedger(): Promise<BenchmarkResult> {
  const root = makeTempFolder('dlrun-bench-report-');
  let supervisor: StandInSupervisor | undefined;
  try {
    // The same home as status's benchmark, live local jobs included, so a report that ever refreshes finds them.
    const { summary: seeded, supervisor: started, home, work } = await seedLargeLedgerHome(root);
    supervisor = started;
    const refused = await seedRefusedSubmits(path.join(home, 'ledger.db'), REFUSED, REFUSED_OVER_DAYS);
    const command = (flags: readonly string[], check: (stdout: string) => void): TimedCommand => ({
      label: ['dlrun report', ...flags].join(' '),
      args: [CLI_BIN, 'report', ...flags],
      cwd: work,
      env: cleanEnv({ HOME: home, DLRUN_HOME: home }),
      check,
    });
    const commands = [
      command([], expectTextTotals),
      command(['--json'], expectJsonTotals),
      command(['--by', 'day'], expectTextTotals),
      command(['--csv'], expectCsvTotals),
    ];
    const samples = timeCommands(commands, { warmups: WARMUPS, runs: RUNS });
    const measurements: Measurement[] = commands.map(({ label }) => {
      const runs = samples.get(label)!;
      return {
        label,
        figures: medianAndP90(runs),
        runs: runs.length,
        ratio: { value: median(runs) / TARGET_MS, of: 'target' },
        target: `under ${TARGET_MS} ms`,
      };
    });
    const writes = seeded.writes + refused.refused;
    const seeding: Measurement = {
      label: `seeding: ${writes.toLocaleString('en-US')} writes through SqliteLedger (no target)`,
      figures: [{ name: 'total', ms: seeded.ms + refused.ms }],
      runs: 1,
    };
    return {
      title: `dlrun report over a ledger of ${JOBS.toLocaleString('en-US')} jobs`,
      method:
        `${seeded.events.toLocaleString('en-US')} events, ${ACTIVE_JOBS} jobs active, a bill on each that ended, ` +
        `${REFUSED} refused submits; stdout is a pipe, so no bar chart is drawn; ` +
        `${RUNS} runs each after ${WARMUPS} warm-up round, the commands taking turns; ratio = median / target`,
      measurements: [...measurements, seeding],
    };
  } finally {
    supervisor?.stop();
    removeFolder(root);
  }
}

/** Every seeded job falls in some group, and every refusal is counted, whatever the grouping. */
function expectCounts(jobs: number, refusedJobs: number | undefined, format: string): void {
  if (jobs !== JOBS) throw new Error(`report ${format} counted ${jobs} jobs, expected ${JOBS}`);
  if (refusedJobs !== undefined && refusedJobs !== REFUSED)
    throw new Error(`report ${format} counted ${refusedJobs} refused submits, expected ${REFUSED}`);
}

function expectJsonTotals(stdout: string): void {
  const report = JSON.parse(stdout) as { groups: { jobs: number }[]; refused_before_launch: { jobs: number } };
  const jobs = report.groups.reduce((sum, group) => sum + group.jobs, 0);
  expectCounts(jobs, report.refused_before_launch.jobs, '--json');
}

/** The table ends with a `total` row whose second column is the number of jobs; a line then counts the refusals. */
function expectTextTotals(stdout: string): void {
  const lines = stdout.split('\n');
  const total = lines.find((line) => line.startsWith('total '))?.split(/\s+/)[1];
  const refused = /refused before launch: (\d+) submits/.exec(stdout)?.[1];
  expectCounts(Number(total), Number(refused), 'as text');
}

function expectCsvTotals(stdout: string): void {
  const [header, ...rows] = stdout.trimEnd().split('\n');
  if (!header?.startsWith('key,jobs,')) throw new Error(`report --csv began with '${header}'`);
  expectCounts(
    rows.reduce((sum, row) => sum + Number(row.split(',')[1]), 0),
    undefined,
    '--csv',
  );
}

await runWhenMain(import.meta.url, reportLargeLedger);

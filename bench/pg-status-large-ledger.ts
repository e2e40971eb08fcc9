import path from 'node:path';
import {
  postgresBin,
  postgresInstalled,
  startPostgres,
  type PostgresCluster,
} from '../test/standins/postgres-cluster.js';
import { performance } from 'node:perf_hooks';
import { PgLedger } from '../src/ledger/pg-ledger.js';
import { SqliteLedger } from '../src/ledger/sqlite-ledger.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN } from './support/paths.js';
import { copyLedgerToPostgres } from './support/pg-ledger-copy.js';
import { LARGE_LEDGER, seedLargeLedgerHome } from './support/seed-home.js';
import type { StandInSupervisor } from './support/stand-in-supervisor.js';
import { medianAndP90, median } from './support/statistics.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv, timeCommands, type TimedCommand } from './support/time-commands.js';

const { jobs: JOBS, activeJobs: ACTIVE_JOBS } = LARGE_LEDGER;
const WARMUPS = 1;
const RUNS = 9;
const TARGET_MS = 500;
/**
 * The seeded Vertex AI jobs name no project, and the benchmark gives no Google credentials: to find the project,
 * Google's auth library then runs `gcloud config config-helper` where gcloud is installed (about half a second of
 * Python) on every status. With GOOGLE_CLOUD_PROJECT set it does not, and the figure is closer to dlrun's own.
 */
const GIVEN_PROJECT = 'with GOOGLE_CLOUD_PROJECT';

/**
 * `dlrun status` as a whole process over a year of a busy team's jobs, with the ledger in PostgreSQL (a server on
 * this machine, started here) and, taking turns with it, the same ledger in SQLite.
 */
export async function pgStatusLargeLedger(): Promise<BenchmarkResult> {
  const title = `dlrun status over a PostgreSQL ledger of ${JOBS.toLocaleString('en-US')} jobs`;
  if (!postgresInstalled()) {
    console.log('PostgreSQL is not installed (initdb, pg_ctl): no figures. apt-get install postgresql-15');
    return { title, method: 'not run: PostgreSQL is not installed', measurements: [] };
  }
  const root = makeTempFolder('dlrun-bench-pg-status-');
  let supervisor: StandInSupervisor | undefined;
  let cluster: PostgresCluster | undefined;
  try {
    const { summary: seeded, supervisor: started, home, work } = await seedLargeLedgerHome(root);
    supervisor = started;
    cluster = await startPostgres();
    const url = await cluster.createDatabase('bench_status');
    await copyLedgerToPostgres(path.join(home, 'ledger.db'), url);
    const command = (ledger: 'PostgreSQL' | 'SQLite', flags: readonly string[], project = false): TimedCommand => ({
      label: [`dlrun status`, ...flags, ...(project ? [GIVEN_PROJECT] : []), `(${ledger})`].join(' '),
      args: [CLI_BIN, 'status', ...flags],
      cwd: work,
      env: cleanEnv({
        HOME: home,
        DLRUN_HOME: home,
        ...(ledger === 'PostgreSQL' ? { DLRUN_DB_URL: url } : {}),
        ...(project ? { GOOGLE_CLOUD_PROJECT: 'bench-project' } : {}),
      }),
    });
    const commands = [
      command('PostgreSQL', []),
      command('SQLite', []),
      command('PostgreSQL', ['--all', '--json']),
      command('SQLite', ['--all', '--json']),
      command('PostgreSQL', [], true),
      command('SQLite', [], true),
    ];
    const samples = timeCommands(commands, { warmups: WARMUPS, runs: RUNS });
    const measurements: Measurement[] = commands.map(({ label }) => {
      const runs = samples.get(label)!;
      const sqlite = label.includes('(PostgreSQL)') ? samples.get(label.replace('PostgreSQL', 'SQLite')) : undefined;
      return {
        label,
        figures: medianAndP90(runs),
        runs: runs.length,
        ratio: sqlite
          ? { value: median(runs) / median(sqlite), of: 'SQLite' }
          : { value: median(runs) / TARGET_MS, of: 'target' },
        target: `under ${TARGET_MS} ms`,
      };
    });
    const reads = await timeListJobs(path.join(home, 'ledger.db'), url);
    return {
      title,
      method:
        `${seeded.events.toLocaleString('en-US')} events, ${ACTIVE_JOBS} jobs active, copied from the SQLite ledger ` +
        `seeded as status-large-ledger seeds it; PostgreSQL ${postgresVersion()} on 127.0.0.1 (fsync off); ` +
        `${RUNS} runs each after ${WARMUPS} warm-up round, the commands taking turns`,
      measurements: [...measurements, ...reads],
    };
  } finally {
    supervisor?.stop();
    await cluster?.stop();
    removeFolder(root);
  }
}

/** The ledger's own part: listJobs() of every job in this process, each ledger opened once (no target). */
async function timeListJobs(sqliteFile: string, url: string): Promise<Measurement[]> {
  const ledgers = [
    {
      label: 'listJobs() of 10,000 jobs, in-process (PostgreSQL)',
      open: () => PgLedger.open(url, { timeoutMs: 30_000 }),
    },
    {
      label: 'listJobs() of 10,000 jobs, in-process (SQLite)',
      open: () => SqliteLedger.open(sqliteFile, { busyTimeoutMs: 10_000 }),
    },
  ];
  const results: Measurement[] = [];
  for (const { label, open } of ledgers) {
    const ledger = await open();
    try {
      const runs: number[] = [];
      for (let run = 0; run < WARMUPS + RUNS; run++) {
        const start = performance.now();
        const jobs = await ledger.listJobs();
        if (jobs.length !== JOBS) throw new Error(`${label}: ${jobs.length} jobs, expected ${JOBS}`);
        if (run >= WARMUPS) runs.push(performance.now() - start);
      }
      results.push({ label, figures: medianAndP90(runs), runs: runs.length });
    } finally {
      await ledger.close();
    }
  }
  return results;
}

/** The server's major version, from its bin folder (/usr/lib/postgresql/15/bin). */
export function postgresVersion(): string {
  return path.basename(path.dirname(postgresBin() ?? '/unknown/bin'));
}

await runWhenMain(import.meta.url, pgStatusLargeLedger);

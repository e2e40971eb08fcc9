import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { asJobId } from '../src/backend/job-id.js';
import type { Ledger } from '../src/ledger/ledger.js';
import { PgLedger } from '../src/ledger/pg-ledger.js';
import { SqliteLedger } from '../src/ledger/sqlite-ledger.js';
import { postgresInstalled, startPostgres, type PostgresCluster } from '../test/standins/postgres-cluster.js';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult, Measurement } from './support/measurement.js';
import { CLI_BIN } from './support/paths.js';
import { median, medianAndP90 } from './support/statistics.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';
import { cleanEnv, timeCommands } from './support/time-commands.js';

const RUNS = 9;
const WARMUPS = 1;
const CONCURRENT = 20;
const CONCURRENT_ROUNDS = 3;
const LEDGER_RUNS = 30;
const JOB = 'name: bench\nrun: "true"\nlimits: { max_runtime: 10m }\nbackends:\n  local:\n    hourly_rate: 0.35\n';

type Kind = 'PostgreSQL' | 'SQLite';

/**
 * What a PostgreSQL ledger adds to `dlrun submit` (a local job that does nothing), against SQLite: the whole
 * process, the ledger's own calls in-process (open, the job's row, two changes, close), and 20 submits at once.
 */
export async function pgSubmitOverhead(): Promise<BenchmarkResult> {
  const title = 'dlrun submit with the ledger in PostgreSQL, against SQLite';
  if (!postgresInstalled()) {
    console.log('PostgreSQL is not installed (initdb, pg_ctl): no figures. apt-get install postgresql-15');
    return { title, method: 'not run: PostgreSQL is not installed', measurements: [] };
  }
  const root = makeTempFolder('dlrun-bench-pg-submit-');
  let cluster: PostgresCluster | undefined;
  try {
    cluster = await startPostgres();
    const url = await cluster.createDatabase('bench_submit');
    const jobDir = path.join(root, 'job');
    mkdirSync(jobDir);
    writeFileSync(path.join(jobDir, 'job.yaml'), JOB);
    const homes = { PostgreSQL: path.join(root, 'home-pg'), SQLite: path.join(root, 'home-sqlite') };
    const env = (kind: Kind) =>
      cleanEnv({
        HOME: homes[kind],
        DLRUN_HOME: homes[kind],
        ...(kind === 'PostgreSQL' ? { DLRUN_DB_URL: url } : {}),
      });
    const kinds: Kind[] = ['PostgreSQL', 'SQLite'];
    const commands = kinds.map((kind) => ({
      label: `dlrun submit (${kind})`,
      args: [CLI_BIN, 'submit', path.join(jobDir, 'job.yaml')],
      cwd: jobDir,
      env: env(kind),
    }));
    const samples = timeCommands(commands, { warmups: WARMUPS, runs: RUNS });
    const whole = (kind: Kind) => samples.get(`dlrun submit (${kind})`)!;
    const ledgerCalls = {
      PostgreSQL: await timeLedgerCalls(() => PgLedger.open(url, { timeoutMs: 10_000 })),
      SQLite: await timeLedgerCalls(() =>
        SqliteLedger.open(path.join(homes.SQLite, 'ledger.db'), { busyTimeoutMs: 10_000 }),
      ),
    };
    const atOnce = { PostgreSQL: [] as number[], SQLite: [] as number[] };
    for (let round = 0; round < CONCURRENT_ROUNDS; round++) {
      for (const kind of kinds) atOnce[kind].push(await concurrentSubmits(path.join(jobDir, 'job.yaml'), env(kind)));
    }
    const versus = (kind: Kind, of: Record<Kind, number[]>): Measurement['ratio'] =>
      kind === 'PostgreSQL' ? { value: median(of.PostgreSQL) / median(of.SQLite), of: 'SQLite' } : undefined;
    const measurements: Measurement[] = [
      ...kinds.map((kind) => ({
        label: `dlrun submit, whole process (${kind})`,
        figures: medianAndP90(whole(kind)),
        runs: RUNS,
        ratio: versus(kind, { PostgreSQL: whole('PostgreSQL'), SQLite: whole('SQLite') }),
      })),
      {
        label: '  what PostgreSQL adds to a submit (difference of medians)',
        figures: [{ name: 'median', ms: median(whole('PostgreSQL')) - median(whole('SQLite')) }],
        runs: RUNS,
      },
      ...kinds.map((kind) => ({
        label: `submit's ledger calls in-process: open, createJob, 2 changes, close (${kind})`,
        figures: medianAndP90(ledgerCalls[kind]),
        runs: LEDGER_RUNS,
        ratio: versus(kind, ledgerCalls),
      })),
      ...kinds.map((kind) => ({
        label: `${CONCURRENT} submits at once, until the last exits (${kind})`,
        figures: medianAndP90(atOnce[kind]),
        runs: CONCURRENT_ROUNDS,
        ratio: versus(kind, atOnce),
      })),
    ];
    return {
      title,
      method:
        `a local job running 'true'; ${RUNS} submits each after ${WARMUPS} warm-up, the ledgers taking turns; the ` +
        `ledger calls ${LEDGER_RUNS} times each; ${CONCURRENT} submits at once ${CONCURRENT_ROUNDS} times each; ` +
        'PostgreSQL on 127.0.0.1 (fsync off), SQLite in DLRUN_HOME',
      measurements,
    };
  } finally {
    await cluster?.stop();
    removeFolder(root);
  }
}

/** What submit asks of the ledger for a job that starts at once, timed in this process. */
async function timeLedgerCalls(open: () => Promise<Ledger>): Promise<number[]> {
  const runs: number[] = [];
  for (let run = 0; run < LEDGER_RUNS; run++) {
    const jobId = asJobId(`bench-${process.pid}-${run}-${Math.random().toString(16).slice(2, 8)}`);
    const start = performance.now();
    const ledger = await open();
    await ledger.createJob({
      jobId,
      name: 'bench',
      backend: 'local',
      jobFile: 'job.yaml',
      spec: { name: 'bench' },
      submittedAt: new Date().toISOString(),
    });
    await ledger.recordChange(jobId, {
      at: new Date().toISOString(),
      source: 'dlrun',
      state: 'pending',
      externalId: '1',
    });
    await ledger.recordChange(jobId, { at: new Date().toISOString(), source: 'provider', state: 'running' });
    await ledger.close();
    runs.push(performance.now() - start);
  }
  return runs;
}

/** Wall time from starting CONCURRENT submits to the last one's exit; every one must succeed. */
async function concurrentSubmits(jobPath: string, env: Record<string, string>): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from(
      { length: CONCURRENT },
      () =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, [CLI_BIN, 'submit', jobPath], {
            cwd: path.dirname(jobPath),
            env,
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let stderr = '';
          child.stderr.on('data', (chunk: Buffer) => {
            stderr += chunk.toString();
          });
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`submit exited ${code}: ${stderr}`))));
        }),
    ),
  );
  return performance.now() - start;
}

await runWhenMain(import.meta.url, pgSubmitOverhead);

import assert from 'node:assert/strict';
import Sqlite from 'better-sqlite3';
import path from 'node:path';
import { test } from 'vitest';
import { isTerminal } from '../../src/backend/job-state.js';
import { defer } from '../support/cleanup.js';
import { writeJob } from '../support/job-files.js';
import { postgresForThisFile } from '../support/postgres-server.js';
import { type CliResult, runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

// Many dlrun processes on one ledger at once: nothing lost, nothing recorded twice (PostgreSQL, and SQLite too).
const postgres = postgresForThisFile();

const LOCAL = 'limits: { max_runtime: 1h }\nbackends:\n  local:\n    hourly_rate: 0.35\n';

async function session(t: Parameters<typeof tempDir>[0], url: string) {
  const home = tempDir(t, 'dlrun-home-');
  const dlrun = (args: readonly string[]): Promise<CliResult> =>
    runCli(args, { cwd: home, home, env: { DLRUN_DB_URL: url }, timeoutMs: 120_000 });
  return { home, dlrun };
}

/** Per job, the states its events record, in order. */
function statesOf(rows: readonly Record<string, unknown>[]): Map<string, string[]> {
  const byJob = new Map<string, string[]>();
  for (const row of rows) byJob.set(String(row.job_id), [...(byJob.get(String(row.job_id)) ?? []), String(row.state)]);
  return byJob;
}

function assertEachStateOnce(byJob: Map<string, string[]>): void {
  for (const [jobId, states] of byJob) {
    assert.equal(new Set(states).size, states.length, `${jobId} recorded a state twice: ${states.join(', ')}`);
  }
}

test('20 concurrent submits are all recorded, each with its events', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const url = await cluster.createDatabase();
  const { home, dlrun } = await session(t, url);
  const { jobPath } = writeJob(path.join(home, 'job'), `name: many\nrun: 'true'\n${LOCAL}`);
  const results = await Promise.all(Array.from({ length: 20 }, () => dlrun(['submit', jobPath])));
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  const jobIds = results.map((result) => result.stdout.trim());
  defer(t, () => Promise.all(jobIds.map((jobId) => dlrun(['cancel', jobId]))).then(() => undefined));
  assert.equal(new Set(jobIds).size, 20, 'twenty different jobs');
  const byJob = statesOf(
    await cluster.sql(
      'SELECT job_id, state FROM job_events WHERE state IS NOT NULL ORDER BY job_id, id',
      url.split('/').at(-1),
    ),
  );
  assert.deepEqual([...byJob.keys()].sort(), [...jobIds].sort(), 'every job is in the ledger');
  for (const [jobId, states] of byJob) assert.equal(states[0], 'submitting', `${jobId} began with its ledger row`);
  assertEachStateOnce(byJob);
});

/** Run SQL on the ledger, wherever it is. */
type LedgerSql = (text: string) => Promise<Record<string, unknown>[]>;

/** The ledger of a test: PostgreSQL (a new database of this file's server) or SQLite (the session's ledger.db). */
async function ledgerOf(
  t: Parameters<typeof tempDir>[0],
  kind: 'postgres' | 'sqlite',
): Promise<{ env: Record<string, string>; home: string; sql: LedgerSql } | undefined> {
  const home = tempDir(t, 'dlrun-home-');
  if (kind === 'sqlite') {
    const sql: LedgerSql = async (text) => {
      const db = new Sqlite(path.join(home, 'ledger.db'), { readonly: true });
      try {
        return db.prepare(text).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    };
    return { env: {}, home, sql };
  }
  const cluster = postgres(t);
  if (!cluster) return undefined;
  const url = await cluster.createDatabase();
  return { env: { DLRUN_DB_URL: url }, home, sql: (text) => cluster.sql(text, url.split('/').at(-1)) };
}

for (const kind of ['postgres', 'sqlite'] as const) {
  test(`concurrent status refreshes of the same jobs record each change exactly once (${kind})`, async (t) => {
    const ledger = await ledgerOf(t, kind);
    if (!ledger) return;
    const { home, env, sql } = ledger;
    const dlrun = (args: readonly string[]): Promise<CliResult> =>
      runCli(args, { cwd: home, home, env, timeoutMs: 120_000 });
    const { jobPath } = writeJob(path.join(home, 'job'), `name: brief\nrun: sleep 1\n${LOCAL}`);
    const jobIds: string[] = [];
    for (let index = 0; index < 4; index++) {
      const submitted = await dlrun(['submit', jobPath]);
      assert.equal(submitted.code, 0, submitted.stderr);
      jobIds.push(submitted.stdout.trim());
    }
    defer(t, () => Promise.all(jobIds.map((jobId) => dlrun(['cancel', jobId]))).then(() => undefined));
    // Every job finishes on the machine with no refresh in between: the refreshes below all see the same changes.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const refreshes = await Promise.all(Array.from({ length: 8 }, () => dlrun(['status'])));
    for (const result of refreshes) assert.equal(result.code, 0, result.stderr);
    const ended = await waitFor('the jobs to end', async () => {
      const listed = JSON.parse((await dlrun(['status', '--json'])).stdout) as { jobs: { state: string }[] };
      return listed.jobs.every((job) => isTerminal(job.state as never)) ? listed.jobs : undefined;
    });
    assert.equal(ended.length, 4);
    const byJob = statesOf(
      await sql('SELECT job_id, state FROM job_events WHERE state IS NOT NULL ORDER BY job_id, id'),
    );
    assertEachStateOnce(byJob);
    for (const jobId of jobIds) assert.equal(byJob.get(jobId)?.at(-1), 'succeeded', `${jobId}: ${byJob.get(jobId)}`);
    // Nor a second event that says nothing new (a repeated report moves nothing, so its state would be null).
    const repeated = await sql(
      `SELECT job_id, source, state, phase, provider_state, CAST(COUNT(*) AS INTEGER) AS times FROM job_events
       GROUP BY job_id, source, state, phase, provider_state HAVING COUNT(*) > 1`,
    );
    assert.deepEqual(repeated, [], 'no report recorded twice');
  });
}

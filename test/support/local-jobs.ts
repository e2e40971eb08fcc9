import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { isTerminal, type JobState } from '../../src/backend/job-state.js';
import { loadConfig } from '../../src/config.js';
import type { JobRecord } from '../../src/core/job-record.js';
import type { JobEvent } from '../../src/ledger/ledger.js';
import { openExistingLedger } from '../../src/ledger/open-ledger.js';
import { defer } from './cleanup.js';
import { runCli, type CliResult } from './run-cli.js';
import { waitFor } from './wait-for.js';

/** A stack trace line: what a user must never see for a condition dlrun knows about. */
export const STACK_LINE = /\n {4}at /;

export function assertNoStack(result: CliResult): void {
  assert.doesNotMatch(result.stderr, STACK_LINE, `no stack trace:\n${result.stderr}`);
  assert.doesNotMatch(result.stdout, STACK_LINE, `no stack trace:\n${result.stdout}`);
}

/**
 * `dlrun submit` a job file that must be accepted; the job is cancelled when the test ends (before the folders
 * registered earlier are removed), so nothing it started outlives the test.
 */
export async function submitted(
  t: TestContext,
  jobPath: string,
  home: string,
  env: Readonly<Record<string, string>> = {},
): Promise<string> {
  const result = await runCli(['submit', jobPath], { cwd: home, home, env });
  assert.equal(result.code, 0, result.stderr);
  const jobId = result.stdout.trim();
  assert.match(jobId, /^[a-z0-9-]+$/, `submit printed the job id: ${result.stdout}`);
  stopWhenDone(t, jobId, home);
  return jobId;
}

/**
 * `dlrun submit --wait`: the result as it is (the test checks it) and the job id; the job is cancelled when the
 * test ends, in case the wait returned early.
 */
export async function submitAndWait(
  t: TestContext,
  jobPath: string,
  home: string,
  cwd: string = home,
): Promise<CliResult & { jobId: string }> {
  const result = await runCli(['submit', jobPath, '--wait'], { cwd, home });
  const jobId = result.stdout.split('\n')[0] ?? '';
  if (/^[a-z0-9-]+$/.test(jobId)) stopWhenDone(t, jobId, home);
  return { ...result, jobId };
}

/**
 * Cancel the job when the test ends and check that none of its processes is left. Should dlrun fail to stop
 * them (the failure a test may be about), they are killed here, so a failing test leaves nothing running either.
 */
export function stopWhenDone(t: TestContext, jobId: string, home: string): void {
  defer(t, async () => {
    await runCli(['cancel', jobId], { cwd: home, home });
    const supervisor = supervisorOf(home, jobId);
    try {
      await waitFor(
        `the processes of ${jobId} to end`,
        () => (jobProcesses(jobId).length === 0 ? true : undefined),
        30_000,
      );
      if (supervisor !== undefined)
        await waitFor(`the supervisor of ${jobId} to exit`, () => (isRunning(supervisor) ? undefined : true), 30_000);
    } catch (error) {
      for (const pid of [
        ...jobProcesses(jobId),
        ...(supervisor !== undefined && isRunning(supervisor) ? [supervisor] : []),
      ])
        process.kill(pid, 'SIGKILL');
      throw error;
    }
  });
}

export async function record(
  jobId: string,
  home: string,
  env: Readonly<Record<string, string>> = {},
): Promise<JobRecord> {
  const result = await runCli(['status', jobId, '--json'], { cwd: home, home, env });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as JobRecord;
}

/** Poll `dlrun status` until the job has ended; the timeout only stops a hung test. */
export async function ended(
  jobId: string,
  home: string,
  env: Readonly<Record<string, string>> = {},
): Promise<JobRecord> {
  return waitFor(`${jobId} to end`, async () => {
    const current = await record(jobId, home, env);
    return isTerminal(current.state) ? current : undefined;
  });
}

export async function reachedState(jobId: string, home: string, state: JobState): Promise<JobRecord> {
  return waitFor(`${jobId} to be ${state}`, async () => {
    const current = await record(jobId, home);
    return current.state === state ? current : undefined;
  });
}

/** The job's events as the ledger recorded them (messages say why a job ended). */
export async function eventsOf(jobId: string, home: string): Promise<JobEvent[]> {
  const ledger = await openExistingLedger(loadConfig({ DLRUN_HOME: home }, home));
  assert.ok(ledger, `a ledger in ${home}`);
  try {
    return (await ledger.eventsOf([jobId])).get(jobId) ?? [];
  } finally {
    await ledger.close();
  }
}

/** The message of the event that ended the job. */
export async function endMessage(jobId: string, home: string): Promise<string> {
  const events = await eventsOf(jobId, home);
  const end = events.filter((event) => event.state !== null && isTerminal(event.state)).at(-1);
  assert.ok(end, `an end event for ${jobId}: ${JSON.stringify(events)}`);
  return end.message ?? '';
}

/** Processes carrying the job's id in their environment, as dlrun finds the daemons a job started (Linux). */
export function jobProcesses(jobId: string): number[] {
  return processesWithEnvironment(`DLRUN_JOB_ID=${jobId}\0`);
}

/**
 * Live processes whose environment holds a variable that starts with `start` (`NAME=value`; end it with `\0` for
 * the whole value): the processes of a job whose id is not known, by its name or a variable of its `env`. Zombies are
 * left out: they have ended, and only wait for a parent that may never reap them.
 */
export function processesWithEnvironment(start: string): number[] {
  const marker = `\0${start}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!`\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}\0`.includes(marker)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z') found.push(Number(entry));
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}

/** Whether a process id is in use by a live (not zombie) process. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The supervisor's process id from process.json, if the job got that far. */
export function supervisorOf(home: string, jobId: string): number | undefined {
  try {
    return readJson<{ supervisor: { pid: number } }>(path.join(jobFolder(home, jobId), 'process.json')).supervisor.pid;
  } catch {
    return undefined;
  }
}

export function jobFolder(home: string, jobId: string): string {
  return path.join(home, 'jobs', jobId);
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

// The end-to-end CLI tests of a backend against its stand-ins (Vertex AI, Rescale): the built CLI in a child
// process in a fresh DLRUN_HOME, and the steps those tests share whatever the backend.
import assert from 'node:assert/strict';
import type { TestContext } from 'vitest';
import { type JobRecordJson, statusJobs } from './ec2-cli.js';
import { type CliResult, runCli, startCli } from './run-cli.js';
import { tempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';

/** A job that fails: its command says so on stderr and exits 3. */
export const FAILING_JOB = 'name: fails\nrun: |\n  echo "about to fail" >&2\n  exit 3\nlimits: { max_runtime: 1h }\n';
/** A job that runs until it is cancelled. */
export const SLEEPER_JOB = 'name: sleeper\nrun: sleep 300\nlimits: { max_runtime: 1h }\n';

/** A stand's world, a fresh home, the environment of the dlrun children (tests change it), and dlrun run there. */
export interface CliSession<World> {
  readonly world: World;
  readonly home: string;
  readonly env: Record<string, string>;
  dlrun(args: readonly string[]): Promise<CliResult>;
}

/** dlrun against `world` (its env), watching every 200 ms, with `extra` (a secret's value) in its environment. */
export function cliSession<World extends { readonly env: Readonly<Record<string, string>> }>(
  t: TestContext,
  world: World,
  extra: Readonly<Record<string, string>> = {},
): CliSession<World> {
  const home = tempDir(t, 'dlrun-home-');
  const env: Record<string, string> = { ...world.env, DLRUN_WATCH_INTERVAL_MS: '200', ...extra };
  const dlrun = (args: readonly string[]) => runCli(args, { cwd: home, home, env, timeoutMs: 90_000 });
  return { world, home, env, dlrun };
}

/** `dlrun submit ... --wait --json`, which must exit `code`: what it printed, and the job's record. */
export async function submitAndWait<Record extends JobRecordJson>(
  dlrun: CliSession<unknown>['dlrun'],
  submitArgs: readonly string[],
  code = 0,
): Promise<{ submitted: CliResult; record: Record }> {
  const submitted = await dlrun([...submitArgs, '--wait', '--json']);
  assert.equal(submitted.code, code, submitted.stderr);
  return { submitted, record: JSON.parse(submitted.stdout) as Record };
}

/**
 * FAILING_JOB submitted with --wait (`submitArgs` name it): it exits 1, the job failed with its exit code 3, and
 * its log says why. The record and `dlrun logs`.
 */
export async function failedRun(
  dlrun: CliSession<unknown>['dlrun'],
  submitArgs: readonly string[],
): Promise<{ record: JobRecordJson & { exit_code: number | null }; logs: CliResult }> {
  const { record } = await submitAndWait<JobRecordJson & { exit_code: number | null }>(dlrun, submitArgs, 1);
  assert.equal(record.state, 'failed');
  assert.equal(record.exit_code, 3);
  const logs = await dlrun(['logs', record.job_id]);
  assert.match(logs.stdout, /about to fail/);
  return { record, logs };
}

/** `dlrun submit ... --json` without --wait, which must succeed: the job's id. */
export async function submittedJobId(dlrun: CliSession<unknown>['dlrun'], submitArgs: readonly string[]) {
  const submitted = await dlrun([...submitArgs, '--json']);
  assert.equal(submitted.code, 0, submitted.stderr);
  return (JSON.parse(submitted.stdout) as JobRecordJson).job_id;
}

/** Until `dlrun status <job> --json` says `state`; a failure says what status said last. */
export async function waitForLedgerState(
  dlrun: CliSession<unknown>['dlrun'],
  jobId: string,
  state: string,
): Promise<void> {
  let last: { stdout: string; stderr: string } | undefined;
  await waitFor(`the job ${state} in the ledger`, async () => {
    last = await dlrun(['status', jobId, '--json']);
    return last.stdout.includes(`"state":"${state}"`) ? true : undefined;
  }).catch((error: Error) => assert.fail(`${error.message}; last seen: ${last?.stdout}${last?.stderr}`));
}

/** `dlrun submit` started, and killed with SIGKILL once `reached` holds (`what`: the request it waits for). */
export async function killSubmitOnce(
  session: CliSession<unknown>,
  submitArgs: readonly string[],
  what: string,
  reached: () => boolean,
): Promise<void> {
  const { home, env } = session;
  const submit = startCli(submitArgs, { cwd: home, home, env });
  await waitFor(what, () => (reached() ? true : undefined));
  submit.signal('SIGKILL');
  await submit.exited;
}

/**
 * A submit dlrun must refuse: `change` spoils the session's settings or stand, the submit runs, `nothingAt` checks
 * the provider holds nothing of it, and the ledger holds no job. What the submit printed, for its message.
 */
export async function refusedSubmit<World>(
  session: CliSession<World>,
  change: (world: World, env: Record<string, string>) => void,
  submitArgs: () => readonly string[],
  nothingAt: (world: World) => void,
): Promise<CliResult> {
  const { world, home, env, dlrun } = session;
  change(world, env);
  const result = await dlrun(submitArgs());
  nothingAt(world);
  assert.deepEqual(await statusJobs(home, env), []);
  return result;
}

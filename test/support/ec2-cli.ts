import { DescribeInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import assert from 'node:assert/strict';
import type { TestContext } from 'vitest';
import { JOB_ID_TAG } from '../../src/backend/tags.js';
import { awsEnvironment } from '../standins/moto-server.js';
import { TEST_IMAGE } from '../standins/test-clients.js';
import { writeJob } from './job-files.js';
import { runCli, type CliResult } from './run-cli.js';
import { tempDir } from './temp-dir.js';

/** The fields of a `--json` job record these tests read. */
export interface JobRecordJson {
  readonly job_id: string;
  readonly state: string;
  readonly provider_state: string | null;
  readonly external_id: string | null;
  readonly end_reason: string | null;
}

/** A one-node EC2 job with a limit (an EC2 job needs one for its stop timer), in a folder of its own. */
export function ec2Job(t: TestContext, maxRuntime = '10m'): string {
  return writeJob(tempDir(t), ec2JobYaml(maxRuntime)).jobPath;
}

/** A job file for EC2 on a t3.micro: the job's own lines (name, run, resources...), then its limit and backend. */
export function ec2JobYaml(
  maxRuntime = '10m',
  jobLines: readonly string[] = ['name: faults', 'run: echo hello'],
): string {
  return [
    ...jobLines,
    'limits:',
    `  max_runtime: ${maxRuntime}`,
    'backend: ec2',
    'backends:',
    '  ec2:',
    '    instance_type: t3.micro',
    '',
  ].join('\n');
}

/** The environment of a child dlrun talking to `endpoint` (moto, or the fault proxy in front of it). */
export function ec2Env(endpoint: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...awsEnvironment(endpoint), DLRUN_EC2_DEFAULT_IMAGE: TEST_IMAGE, DLRUN_WATCH_INTERVAL_MS: '200', ...extra };
}

/** Every instance moto knows that carries this job id's tag, terminated ones included. */
export async function instancesOfJob(ec2: EC2Client, jobId: string): Promise<Instance[]> {
  const answer = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: `tag:${JOB_ID_TAG}`, Values: [jobId] }] }),
  );
  return (answer.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
}

export function isLive(instance: Instance): boolean {
  return !['shutting-down', 'terminated'].includes(instance.State?.Name ?? '');
}

/** `dlrun status --json`, which must succeed and print one object with every job. */
export async function statusJobs(home: string, env: Readonly<Record<string, string>>): Promise<JobRecordJson[]> {
  const listed = await runCli(['status', '--json'], { cwd: home, home, env, timeoutMs: 60_000 });
  assert.equal(listed.code, 0, `dlrun status failed: ${listed.stderr}`);
  return (JSON.parse(listed.stdout) as { jobs: JobRecordJson[] }).jobs;
}

/** A message for the user: said in a short paragraph, never a stack trace or a bug report request. */
export function assertUserFailure(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 1, `expected a user-facing failure (exit 1); stderr: ${result.stderr}`);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(
    result.stderr,
    /\n\s+at .+:\d+:\d+|internal error|Please report/,
    `no stack trace: ${result.stderr}`,
  );
  assert.ok(result.stderr.trim().split('\n').length <= 4, `one short paragraph: ${result.stderr}`);
}

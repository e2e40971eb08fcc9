import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertNoStack, stopWhenDone, submitAndWait } from '../../support/local-jobs.js';
import { runCli, startCli } from '../../support/run-cli.js';
import { waitFor } from '../../support/wait-for.js';
import { tempDir } from '../../support/temp-dir.js';
import { writeJob } from '../../support/job-files.js';

interface StatusRecord {
  readonly submitted_at: string;
  readonly ended_at: string;
  readonly phases: Readonly<Record<string, number>>;
  readonly elapsed_s: number;
}

for (const [forged, what] of [
  ['1 phase teardown', 'a time in 1970'],
  ['4102444800 phase teardown', 'a time in 2100'],
  ['99999999999999999999 phase setup', 'a time no clock can hold'],
]) {
  test(`a job that writes its own phase marker (${what}) cannot move its phases outside its life`, async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(
      tempDir(t),
      [
        'name: forged-markers',
        'run: |',
        `  echo '${forged}' >> "$DLRUN_WORKDIR/../markers"`,
        '  echo trained',
        '',
      ].join('\n'),
    );
    const result = await submitAndWait(t, jobPath, home);
    assert.equal(result.code, 0, result.stderr);
    assertNoStack(result);
    const status = await runCli(['status', result.jobId, '--json'], { cwd: home, home });
    assert.equal(status.code, 0, status.stderr);
    const record = JSON.parse(status.stdout) as StatusRecord;
    for (const [phase, seconds] of Object.entries(record.phases)) {
      assert.ok(
        seconds >= 0 && seconds <= record.elapsed_s + 1,
        `${phase} lasted ${seconds}s of a job that lived ${record.elapsed_s}s`,
      );
    }
    assert.ok(record.elapsed_s < 600, `elapsed ${record.elapsed_s}s`);
  });
}

test('a job whose submit was killed once its machine was asked for is billed for the time it ran', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: orphaned\nrun: sleep 2\nbackends:\n  local:\n    hourly_rate: 36\n');
  const submit = startCli(['submit', jobPath], { cwd: home, home });
  // The supervisor is up (launch.json) before submit records the launch: kill submit there, as a crash would.
  // Polled closely, since submit records the launch a moment later.
  let launched: string | undefined;
  for (const deadline = Date.now() + 20_000; launched === undefined && Date.now() < deadline; await sleep(1)) {
    const jobs = path.join(home, 'jobs');
    launched = existsSync(jobs)
      ? readdirSync(jobs).find((name) => existsSync(path.join(jobs, name, 'launch.json')))
      : undefined;
  }
  submit.signal('SIGKILL');
  await submit.exited;
  assert.ok(launched, 'the job was launched');
  stopWhenDone(t, launched, home);
  // Nobody looks until the job has ended: then the first status sees its phases and its end at once.
  await waitFor(
    'the orphaned job to end',
    () => (existsSync(path.join(home, 'jobs', launched!, 'result.json')) ? true : undefined),
    30_000,
  );
  const ended = JSON.parse((await runCli(['status', launched!, '--json'], { cwd: home, home })).stdout) as {
    state: string;
    cost_so_far_usd: number;
    started_at: string | null;
  };
  assert.equal(ended.state, 'succeeded');
  assert.ok(ended.started_at !== null, 'it left the queue');
  // At least the 2 s it slept, at $36/h ($0.01 a second).
  assert.ok(ended.cost_so_far_usd >= 0.02, `billed ${ended.cost_so_far_usd}`);
});

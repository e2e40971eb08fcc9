import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoStack, submitAndWait } from '../../support/local-jobs.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { writeJob } from '../../support/job-files.js';

interface StatusRecord {
  readonly submitted_at: string;
  readonly ended_at: string;
  readonly phases: Readonly<Record<string, number>>;
  readonly elapsed_s: number;
}

for (const [forged, what] of [['1 phase teardown', 'a time in 1970'], ['4102444800 phase teardown', 'a time in 2100'], ['99999999999999999999 phase setup', 'a time no clock can hold']]) {
test(`a job that writes its own phase marker (${what}) cannot move its phases outside its life`, async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), ['name: forged-markers', 'run: |', `  echo '${forged}' >> "$DLRUN_WORKDIR/../markers"`, '  echo trained', ''].join('\n'));
  const result = await submitAndWait(t, jobPath, home);
  assert.equal(result.code, 0, result.stderr);
  assertNoStack(result);
  const status = await runCli(['status', result.jobId, '--json'], { cwd: home, home });
  assert.equal(status.code, 0, status.stderr);
  const record = JSON.parse(status.stdout) as StatusRecord;
  for (const [phase, seconds] of Object.entries(record.phases)) {
    assert.ok(seconds >= 0 && seconds <= record.elapsed_s + 1, `${phase} lasted ${seconds}s of a job that lived ${record.elapsed_s}s`);
  }
  assert.ok(record.elapsed_s < 600, `elapsed ${record.elapsed_s}s`);
});
}

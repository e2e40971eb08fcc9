import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { assertNoStack, ended, jobFolder, jobProcesses, readJson, submitted } from '../../support/local-jobs.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { writeJob } from '../../support/job-files.js';

const LIMIT = 4_000_000;
const GIGABYTE = 1024 ** 3;

test(
  'a job that prints 1 GB keeps its newest output under the log limit, succeeds, ' + 'and logs says what was dropped',
  async (t) => {
    const home = tempDir(t);
    const env = { DLRUN_LOCAL_LOG_LIMIT_BYTES: String(LIMIT) };
    // `yes` ends by SIGPIPE when head has had enough; read it through a process substitution so pipefail
    // does not count that as the job failing.
    const { jobPath } = writeJob(
      tempDir(t),
      'name: loud\nrun: |\n  echo the-first-line\n  head -c 1G < <(yes dlrun)\n  echo\n  echo the-last-line\n',
    );
    const jobId = await submitted(t, jobPath, home, env);
    const record = await ended(jobId, home, env);
    assert.equal(record.state, 'succeeded');
    assert.equal(record.exit_code, 0);

    const folder = jobFolder(home, jobId);
    const current = statSync(path.join(folder, 'output.log')).size;
    const previous = statSync(path.join(folder, 'output.log.1')).size;
    assert.ok(
      current + previous <= LIMIT,
      `output.log (${current} B) + output.log.1 (${previous} B) stay within ${LIMIT} B`,
    );
    assert.ok(previous > 0, 'the log was rotated');
    const result = readJson<{ droppedLogBytes: number }>(path.join(folder, 'result.json'));
    assert.ok(
      result.droppedLogBytes >= GIGABYTE - LIMIT,
      `the supervisor counted what it dropped (${result.droppedLogBytes} B)`,
    );

    const logs = await runCli(['logs', jobId], { cwd: home, home });
    assert.equal(logs.code, 0, logs.stderr);
    assertNoStack(logs);
    assert.ok(
      logs.stdout.startsWith('[dlrun: older output was dropped to keep the log under its size limit]\n'),
      logs.stdout.slice(0, 200),
    );
    assert.ok(logs.stdout.endsWith('\nthe-last-line\n'), logs.stdout.slice(-200));
    assert.doesNotMatch(logs.stdout, /the-first-line/, 'the oldest output is what was dropped');
    assert.ok(logs.stdout.length <= LIMIT + 200, 'logs prints what was kept, not more');
    assert.deepEqual(jobProcesses(jobId), []);
  },
);

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { ended, submitted } from '../support/local-jobs.js';
import { CLI_BIN } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';

/** Run `dlrun ARGS | head -c 16` as a shell would: dlrun's exit status, its stderr, and what head read. */
function intoHead(
  args: readonly string[],
  home: string,
  scratch: string,
): { code: number; stderr: string; read: string } {
  const errors = path.join(scratch, 'dlrun.stderr');
  const dlrun = `"${process.execPath}" "${CLI_BIN}" ${args.join(' ')}`;
  const command = `${dlrun} 2> "${errors}" | head -c 16; exit "\${PIPESTATUS[0]}"`;
  const result = spawnSync('bash', ['-c', command], {
    cwd: home,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, DLRUN_HOME: home },
    encoding: 'utf8',
  });
  return { code: result.status ?? -1, stderr: readFileSync(errors, 'utf8'), read: result.stdout };
}

test('dlrun logs JOB | head: dlrun stops quietly when the reader closes the pipe', async (t) => {
  const home = tempDir(t);
  // Far more than a pipe holds, so dlrun is still writing when head closes its end.
  const { jobPath } = writeJob(tempDir(t), 'name: chatty\nrun: head -c 2000000 < <(yes "a line of output")\n');
  const jobId = await submitted(t, jobPath, home);
  assert.equal((await ended(jobId, home)).state, 'succeeded');
  const result = intoHead(['logs', jobId], home, tempDir(t));
  assert.equal(result.read, 'a line of output', 'head got what it asked for');
  assert.equal(result.stderr, '', 'nothing on stderr: no EPIPE stack trace');
  assert.equal(result.code, 0);
});

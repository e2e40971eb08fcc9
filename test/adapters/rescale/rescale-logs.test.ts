// `dlrun logs` of a Rescale job against the stand-in: while the job runs its log is read through the run's live
// view of the work directory; once it ends, from its output files. Each byte is printed once.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { launchRescaleJob } from '../../../adapters/rescale/rescale-launch.js';
import { rescaleLogs } from '../../../adapters/rescale/rescale-logs.js';
import { handleOf, plannedRescaleJob, rescaleSubmitContext } from '../../support/rescale-planned.js';
import { rescaleStandFor } from '../../support/rescale-stand.js';
import { waitFor } from '../../support/wait-for.js';

const LONG = { timeout: 60_000 };

const SLOW_JOB = `
name: rescale-logs
run: |
  echo "first line"
  while [ ! -f "$HOME/go-on" ]; do sleep 0.1; done
  echo "second line"
resources: { cpus: 2 }
limits: { max_runtime: 2h }
`;

test("follow prints the running job's log as it grows, then the rest once it ends, each line once", LONG, async (t) => {
  const stand = await rescaleStandFor(t);
  stand.env.DLRUN_WATCH_INTERVAL_MS = '100';
  const plan = await plannedRescaleJob(t, stand, SLOW_JOB);
  const launched = await launchRescaleJob(plan, rescaleSubmitContext(stand));
  const handle = handleOf(plan, launched.externalId);
  const chunks: string[] = [];
  let statusAtFirst: string | undefined;
  let released = false;
  for await (const chunk of rescaleLogs(handle, { follow: true }, stand.context)) {
    chunks.push(chunk.text);
    if (!released && chunks.join('').includes('first line')) {
      // Read while the job still waits for the test: the live view, not the files of an ended job.
      statusAtFirst = stand.rescale.job(launched.externalId!)?.status;
      const workDir = stand.rescale.job(launched.externalId!)!.workDir;
      writeFileSync(path.join(workDir, '..', 'go-on'), '');
      released = true;
    }
  }
  assert.equal(statusAtFirst, 'Executing');
  const text = chunks.join('');
  assert.equal(text.match(/first line/g)?.length, 1, text);
  assert.equal(text.match(/second line/g)?.length, 1, text);
  assert.ok(text.indexOf('first line') < text.indexOf('second line'));
  await waitFor('the job ended', () =>
    stand.rescale.job(launched.externalId!)?.status === 'Completed' ? true : undefined,
  );
});

test('without follow, an ended job gives its whole log, from its output files', LONG, async (t) => {
  const stand = await rescaleStandFor(t);
  const plan = await plannedRescaleJob(t, stand, 'name: quick\nrun: echo "all of it"\nresources: { cpus: 2 }\n');
  const launched = await launchRescaleJob(plan, rescaleSubmitContext(stand));
  const handle = handleOf(plan, launched.externalId);
  await waitFor('the job ended', () =>
    stand.rescale.job(launched.externalId!)?.status === 'Completed' ? true : undefined,
  );
  let text = '';
  for await (const chunk of rescaleLogs(handle, { follow: false }, stand.context)) text += chunk.text;
  assert.match(text, /all of it/);
});

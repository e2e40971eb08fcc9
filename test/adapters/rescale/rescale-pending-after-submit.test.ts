// Pending is also the status of a job just submitted, until Rescale queues it (as the stand-in keeps it for
// `pendingMs`): a delete of it is refused. Cancel must stop it instead, and status must not take it for a job
// whose submit died (nor fail every job's status because the delete was refused).
import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import { createBackend } from '../../../adapters/rescale/rescale-backend.js';
import { UNSUBMITTED_GRACE_MS } from '../../../adapters/rescale/rescale-list-jobs.js';
import { newJobId } from '../../../src/backend/job-id.js';
import type { JobHandle } from '../../../src/backend/training-backend.js';
import { writeJob } from '../../support/job-files.js';
import { type RescaleStand, rescaleStandFor } from '../../support/rescale-stand.js';
import { tempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';

const backend = createBackend();

async function submitted(t: TestContext, stand: RescaleStand): Promise<JobHandle> {
  const { job } = writeJob(tempDir(t), 'name: held\nrun: sleep 300\nlimits: { max_runtime: 1h }\n');
  const plan = await backend.plan(job, {
    ...stand.context,
    jobId: newJobId(job.name),
    stopAfter: { seconds: 3600, reason: 'max_runtime 1h' },
  });
  return backend.submit(plan, { ...stand.context, secrets: {} });
}

test('cancel of a job submitted but still Pending stops it rather than deleting it', async (t) => {
  const stand = await rescaleStandFor(t, { pendingMs: Number.POSITIVE_INFINITY });
  const handle = await submitted(t, stand);
  const [held] = stand.rescale.jobs();
  assert.deepEqual([held?.submitted, held?.status], [true, 'Pending']);
  await backend.cancel(handle, stand.context);
  assert.equal(stand.rescale.requests('stopJob').length, 1);
  await waitFor('the job stopped', () => (stand.rescale.jobs()[0]?.status === 'Stopped' ? true : undefined));
});

test('status past the grace of a submitted job still Pending: not deleted, the other jobs told', async (t) => {
  const stand = await rescaleStandFor(t, { pendingMs: Number.POSITIVE_INFINITY });
  const held = await submitted(t, stand);
  const other = await submitted(t, stand);
  const longAgo = new Date(Date.now() - UNSUBMITTED_GRACE_MS - 10_000).toISOString();
  const statuses = await backend.status(
    [
      { ...held, submittedAt: longAgo },
      { ...other, submittedAt: longAgo },
    ],
    stand.context,
  );
  assert.equal(statuses.length, 2);
  for (const status of statuses) {
    assert.equal(status.providerState, 'Pending');
    assert.notEqual(status.state, 'cancelled');
  }
  assert.equal(stand.rescale.jobs().length, 2, 'no submitted job deleted');
});

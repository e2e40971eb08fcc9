// A Rescale job created but never submitted (its submit stopped between the two requests), as `status` settles it:
// left alone within the grace (a submit may be about to send it), deleted after it and said so, and submitted by a
// second launch of the same plan. Against the stand-in over HTTP; the grace is two minutes, so the handle's
// submittedAt is set in the past rather than waited for.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'vitest';
import { createBackend } from '../../../adapters/rescale/rescale-backend.js';
import { UNSUBMITTED_GRACE_MS } from '../../../adapters/rescale/rescale-list-jobs.js';
import { newJobId } from '../../../src/backend/job-id.js';
import type { JobHandle, LaunchPlan } from '../../../src/backend/training-backend.js';
import { writeJob } from '../../support/job-files.js';
import { type RescaleStand, rescaleStandFor } from '../../support/rescale-stand.js';
import { tempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';

const backend = createBackend();

/** A plan launched until its first submit is lost, then stopped as a killed dlrun would be. */
async function createdNotSubmitted(t: TestContext, stand: RescaleStand): Promise<LaunchPlan> {
  const { job } = writeJob(tempDir(t), 'name: settle\nrun: echo settled\nlimits: { max_runtime: 1h }\n');
  const plan = await backend.plan(job, {
    ...stand.context,
    jobId: newJobId(job.name),
    stopAfter: { seconds: 3600, reason: 'max_runtime 1h' },
  });
  stand.rescale.inject({ match: 'submitJob', kind: 'drop-before' });
  const killed = new AbortController();
  const launch = backend.submit(plan, { ...stand.context, secrets: {}, signal: killed.signal });
  await waitFor('the submit sent', () => (stand.rescale.requests('submitJob').length === 1 ? true : undefined));
  killed.abort();
  await assert.rejects(launch);
  const [made] = stand.rescale.jobs();
  assert.equal(made?.submitted, false, 'the one submit was lost');
  return plan;
}

function handleOf(plan: LaunchPlan, submittedMsAgo: number): JobHandle {
  return {
    jobId: plan.jobId,
    backend: 'rescale',
    externalId: null,
    ...(plan.details ? { details: plan.details } : {}),
    submittedAt: new Date(Date.now() - submittedMsAgo).toISOString(),
  };
}

test('within the grace the job is left as it is; after it, it is deleted and status says so', async (t) => {
  const stand = await rescaleStandFor(t);
  const plan = await createdNotSubmitted(t, stand);
  const id = stand.rescale.jobs()[0]!.id;

  const [soon] = await backend.status([handleOf(plan, 5_000)], stand.context);
  assert.equal(soon?.state, 'submitting');
  assert.equal(soon?.providerState, 'Pending');
  assert.equal(soon?.externalId, id, 'found by its name: the handle had no id');
  assert.equal(stand.rescale.jobs().length, 1);

  const [late] = await backend.status([handleOf(plan, UNSUBMITTED_GRACE_MS + 10_000)], stand.context);
  assert.equal(late?.state, 'cancelled');
  assert.equal(late?.externalId, id);
  assert.match(late?.message ?? '', new RegExp(`between creating and submitting the Rescale job ${id}; dlrun deleted`));
  assert.match(late?.message ?? '', /submit the job file again/);
  assert.deepEqual(stand.rescale.jobs(), []);
  assert.equal(stand.rescale.requests('deleteJob').length, 1);
  assert.ok(
    stand.rescale.requests('submitJob').every((request) => request.fault === 'drop-before'),
    'nothing was submitted',
  );
});

test('a second launch of the same plan submits the job found unsubmitted, and creates no other', async (t) => {
  const stand = await rescaleStandFor(t);
  const plan = await createdNotSubmitted(t, stand);
  const handle = await backend.submit(plan, { ...stand.context, secrets: {} });
  const jobs = stand.rescale.jobs();
  assert.equal(jobs.length, 1);
  assert.equal(handle.externalId, jobs[0]!.id);
  assert.equal(jobs[0]!.submitted, true);
  assert.equal(stand.rescale.requests('createJob').length, 1);
});

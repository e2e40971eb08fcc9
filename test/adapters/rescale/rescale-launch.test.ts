// Planning and launching Rescale jobs through axios over HTTP against the Rescale stand-in: the exact body, the
// look-up by name before every create and retry, submits never doubled, the workdir uploaded once.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { ATTEMPTS, launchRescaleJob } from '../../../adapters/rescale/rescale-launch.js';
import { DRY_RUN } from '../../../adapters/rescale/rescale-plan.js';
import { ProviderError } from '../../../src/base/errors.js';
import { DEFAULT_CORE_TYPES } from '../../standins/rescale-coretypes.js';
import { createApiJob } from '../../support/rescale-api-jobs.js';
import {
  plannedRescaleJob,
  RESCALE_JOB,
  rescaleSubmitContext as submitContext,
} from '../../support/rescale-planned.js';
import { type RescaleStand, rescaleStandFor } from '../../support/rescale-stand.js';
import { rejection } from '../../support/rejection.js';

const LONG = { timeout: 60_000 };
// Held in Queued once submitted: these tests are about the launch, not about running the job.
const QUEUED = { queuedMs: Number.POSITIVE_INFINITY };

/** Creates that reached the stand-in's view (a drop-before never did). */
const creates = (stand: RescaleStand) => stand.rescale.requests('createJob').filter((r) => r.fault !== 'drop-before');

describe('plan', () => {
  test('sends nothing, and its create body is the body submit sends, secrets by placeholder', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    const plan = await plannedRescaleJob(t, stand, `${RESCALE_JOB}secrets: [HF_TOKEN]\n`);
    assert.equal(stand.rescale.requests().length, 0);
    const shown = plan.requests.find(
      (request) => request.operation.endsWith('/api/v2/jobs/') && /^POST/.test(request.operation),
    );
    assert.ok(shown, 'the plan shows the create');
    const printed = JSON.stringify(plan.requests);
    assert.ok(!printed.includes('hf_sEcReT'), 'the plan never holds a secret');
    assert.ok(printed.includes(DRY_RUN.secret('HF_TOKEN')));

    const handle = await launchRescaleJob(plan, submitContext(stand, { HF_TOKEN: 'hf_sEcReT"$(x)' }));
    const sent = creates(stand)[0]!.body as {
      jobanalyses: { envVars: Record<string, string>; inputFiles: { id: string }[] }[];
    };
    const analysis = sent.jobanalyses[0]!;
    // Real in the request, and the uploaded file's id where the plan shows its placeholder.
    assert.equal(analysis.envVars.HF_TOKEN, 'hf_sEcReT"$(x)');
    const upload = stand.rescale.requests('uploadFile')[0]!;
    const fileId = stand.rescale.files().find((file) => file.name === upload.upload?.filename)?.id;
    assert.deepEqual(analysis.inputFiles, [{ id: fileId }]);
    const asPlanned = structuredClone(sent);
    asPlanned.jobanalyses[0]!.envVars.HF_TOKEN = DRY_RUN.secret('HF_TOKEN');
    asPlanned.jobanalyses[0]!.inputFiles = [{ id: DRY_RUN.fileId }];
    assert.deepEqual(asPlanned, shown.body);
    assert.equal((sent as { name?: string }).name, `dlrun ${plan.jobId}`);
    assert.equal(handle.externalId, stand.rescale.jobs()[0]!.id);
    assert.equal(stand.rescale.requests('submitJob').length, 1);
    assert.ok(!JSON.stringify(plan.requests).includes('hf_sEcReT'), 'submitting put no secret into the plan');
  });
  test('its requests are the ones submit sends, in that order', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    const plan = await plannedRescaleJob(t, stand);
    const handle = await launchRescaleJob(plan, submitContext(stand));
    const planned = plan.requests.map((request) =>
      request.operation.replace(stand.rescale.url, '').replace(DRY_RUN.jobId, handle.externalId!),
    );
    const sent = stand.rescale.requests().map((request) => `${request.method} ${request.path}`);
    assert.deepEqual(sent, planned);
  });
});

describe('launch', () => {
  test('a second submit of the same job finds the first by name and creates nothing', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    const plan = await plannedRescaleJob(t, stand);
    const first = await launchRescaleJob(plan, submitContext(stand));
    const second = await launchRescaleJob(plan, submitContext(stand));
    assert.equal(second.externalId, first.externalId);
    assert.equal(creates(stand).length, 1);
    assert.equal(stand.rescale.jobs().length, 1);
    // Just submitted, the job may still read Pending, as an unsubmitted one does: dlrun may ask again, and Rescale
    // refuses a second submit, so the job is submitted once (one Queued in its history).
    const [accepted, ...again] = stand.rescale.requests('submitJob');
    assert.equal(accepted!.status, 200);
    for (const request of again) assert.equal(request.status, 400);
    assert.equal(stand.rescale.jobs()[0]!.statuses.filter((entry) => entry.status === 'Queued').length, 1);
  });

  test('two submits of the same job at once create and submit one Rescale job', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    const plan = await plannedRescaleJob(t, stand);
    const [first, second] = await Promise.all([
      launchRescaleJob(plan, submitContext(stand)),
      launchRescaleJob(plan, submitContext(stand)),
    ]);
    assert.equal(first.externalId, second.externalId);
    assert.equal(stand.rescale.jobs().length, 1);
    assert.equal(stand.rescale.requests('submitJob').length, 1);
  });

  test('a create whose answer is lost is found by name, not created twice', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    stand.rescale.inject({ match: 'createJob', kind: 'drop-after' });
    const plan = await plannedRescaleJob(t, stand);
    const handle = await launchRescaleJob(plan, submitContext(stand));
    assert.equal(stand.rescale.requests('createJob').length, 1);
    assert.equal(stand.rescale.jobs().length, 1);
    assert.equal(handle.externalId, stand.rescale.jobs()[0]!.id);
    assert.equal(stand.rescale.jobs()[0]!.submitted, true);
  });

  test('a create answered 503 is sent again only after a look-up finds no job', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    stand.rescale.inject({ match: 'createJob', kind: 503 });
    const plan = await plannedRescaleJob(t, stand);
    await launchRescaleJob(plan, submitContext(stand));
    assert.equal(stand.rescale.requests('createJob').length, 2);
    assert.equal(stand.rescale.jobs().length, 1);
    // One look-up before the first create, one before the retry, in that order.
    const order = stand.rescale
      .requests()
      .filter((request) => request.action === 'listJobs' || request.action === 'createJob')
      .map((request) => request.action);
    assert.deepEqual(order, ['listJobs', 'createJob', 'listJobs', 'createJob']);
  });

  test('a create answered 429 waits as its Retry-After says, then is sent again after a look-up', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    stand.rescale.inject({ match: 'createJob', kind: 429, retryAfterSeconds: 2 });
    const plan = await plannedRescaleJob(t, stand);
    const started = Date.now();
    await launchRescaleJob(plan, submitContext(stand));
    // A lower bound only: the second create cannot come before the 2 s Rescale asked for (dlrun's own pause is 1 s).
    assert.ok(Date.now() - started >= 2000, 'waited out the Retry-After');
    assert.equal(stand.rescale.requests('createJob').length, 2);
    assert.equal(stand.rescale.requests('listJobs').length, 2);
    assert.equal(stand.rescale.jobs().length, 1);
  });

  test(
    'a create throttled for an hour ends the submit at once, saying how long Rescale asks to wait',
    LONG,
    async (t) => {
      const stand = await rescaleStandFor(t, QUEUED);
      stand.rescale.inject({ match: 'createJob', kind: 429, retryAfterSeconds: 3600 });
      const plan = await plannedRescaleJob(t, stand);
      const error = (await rejection(launchRescaleJob(plan, submitContext(stand)))) as ProviderError;
      assert.ok(error instanceof ProviderError, String(error));
      assert.match(error.hint ?? '', /wait 1 h/);
      assert.equal(stand.rescale.requests('createJob').length, 1);
      assert.equal(stand.rescale.jobs().length, 0);
    },
  );

  test('a submit answered 429 is sent again once the job is seen unsubmitted, and submits once', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    stand.rescale.inject({ match: 'submitJob', kind: 429, retryAfterSeconds: 1 });
    const plan = await plannedRescaleJob(t, stand);
    const handle = await launchRescaleJob(plan, submitContext(stand));
    assert.deepEqual(
      stand.rescale.requests('submitJob').map((request) => request.status),
      [429, 200],
    );
    assert.equal(stand.rescale.job(handle.externalId!)?.submitted, true);
  });

  test('a create Rescale refuses (4xx) is an error at once, not retried', LONG, async (t) => {
    // A platform without standard-plus refuses the core type in the create (preflight would have said so first).
    const stand = await rescaleStandFor(t, { ...QUEUED, coreTypes: DEFAULT_CORE_TYPES });
    const plan = await plannedRescaleJob(t, stand);
    const error = (await rejection(launchRescaleJob(plan, submitContext(stand)))) as ProviderError;
    assert.ok(error instanceof ProviderError, String(error));
    assert.equal(error.isRetryable, false);
    assert.match(error.message, /400/);
    assert.match(error.message, /standard-plus/);
    assert.equal(stand.rescale.requests('createJob').length, 1);
    assert.equal(stand.rescale.requests('submitJob').length, 0);
    assert.equal(stand.rescale.jobs().length, 0);
  });

  test('a submit whose answer is lost is not sent twice: the job is seen submitted', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    stand.rescale.inject({ match: 'submitJob', kind: 'drop-after' });
    const plan = await plannedRescaleJob(t, stand);
    const handle = await launchRescaleJob(plan, submitContext(stand));
    assert.equal(stand.rescale.requests('submitJob').length, 1);
    assert.equal(stand.rescale.job(handle.externalId!)?.submitted, true);
  });

  test('an unchanged workdir is uploaded once for two jobs: the second finds the file by name', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    const first = await plannedRescaleJob(t, stand);
    const second = await plannedRescaleJob(t, stand);
    await launchRescaleJob(first, submitContext(stand));
    await launchRescaleJob(second, submitContext(stand));
    assert.equal(stand.rescale.requests('uploadFile').length, 1);
    assert.equal(stand.rescale.jobs().length, 2);
    const [a, b] = creates(stand).map(
      (request) => (request.body as { jobanalyses: { inputFiles: { id: string }[] }[] }).jobanalyses[0]!.inputFiles,
    );
    assert.deepEqual(a, b);
  });

  test('an upload whose answer is lost is found by name, not uploaded twice', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    stand.rescale.inject({ match: 'uploadFile', kind: 'drop-after' });
    const plan = await plannedRescaleJob(t, stand);
    await launchRescaleJob(plan, submitContext(stand));
    assert.equal(stand.rescale.requests('uploadFile').length, 1);
    assert.equal(stand.rescale.files().length, 1);
    assert.equal(stand.rescale.jobs().length, 1);
  });

  test('a job left created but unsubmitted (submits lost) is submitted by a re-run submit', LONG, async (t) => {
    const stand = await rescaleStandFor(t, QUEUED);
    stand.rescale.inject({ match: 'submitJob', kind: 'drop-before', times: ATTEMPTS });
    const plan = await plannedRescaleJob(t, stand);
    const error = await rejection(launchRescaleJob(plan, submitContext(stand)));
    assert.ok(error instanceof ProviderError, String(error));
    assert.equal(stand.rescale.jobs()[0]!.submitted, false);
    const handle = await launchRescaleJob(plan, submitContext(stand));
    assert.equal(creates(stand).length, 1);
    assert.equal(handle.externalId, stand.rescale.jobs()[0]!.id);
    assert.equal(stand.rescale.jobs()[0]!.submitted, true);
  });

  test(
    'a job created through the API as `dlrun <jobId>` and never submitted is submitted, not recreated',
    LONG,
    async (t) => {
      const stand = await rescaleStandFor(t, QUEUED);
      const plan = await plannedRescaleJob(t, stand);
      const id = await createApiJob(stand.rescale, plan.jobId, stand.ledgerId, { submit: false });
      const handle = await launchRescaleJob(plan, submitContext(stand));
      assert.equal(handle.externalId, id);
      assert.equal(creates(stand).length, 1, 'only the API create');
      assert.equal(stand.rescale.requests('uploadFile').length, 0);
      assert.equal(stand.rescale.job(id)?.submitted, true);
    },
  );
});

// The checks of a Rescale submit before anything is uploaded or created, through axios over HTTP against the
// Rescale stand-in: the platform's own core types (did-you-mean from its list), their cores, the key.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { createBackend } from '../../../adapters/rescale/rescale-backend.js';
import { DlrunError, ProviderError } from '../../../src/base/errors.js';
import { DEFAULT_CORE_TYPES } from '../../standins/rescale-coretypes.js';
import type { RescaleServer } from '../../standins/rescale-server.js';
import { plannedRescaleJob, rescaleSubmitContext } from '../../support/rescale-planned.js';
import { PRICED_CORE_TYPE, rescaleStandFor } from '../../support/rescale-stand.js';
import { rejection } from '../../support/rejection.js';

const LONG = { timeout: 60_000 };

/** Nothing uploaded, created, submitted or stopped: the stand-in saw no POST (nor any DELETE). */
function nothingSent(rescale: RescaleServer): void {
  const writes = rescale.requests().filter((request) => request.method !== 'GET');
  assert.deepEqual(
    writes.map((request) => `${request.method} ${request.path}`),
    [],
  );
}

describe('Rescale preflight, through submit', () => {
  test('a core type the platform lacks is refused with a did-you-mean from its own list', LONG, async (t) => {
    // dlrun's catalog prices standard-plus; this platform offers only a near name.
    const stand = await rescaleStandFor(t, {
      coreTypes: [...DEFAULT_CORE_TYPES, { ...PRICED_CORE_TYPE, code: 'standard-plux' }],
    });
    const plan = await plannedRescaleJob(t, stand);
    const error = (await rejection(createBackend().submit(plan, rescaleSubmitContext(stand)))) as DlrunError;
    assert.ok(error instanceof DlrunError, String(error));
    assert.match(error.message, /has no core type 'standard-plus'; did you mean 'standard-plux'\?/);
    assert.ok(error.message.includes(stand.rescale.url));
    assert.match(error.hint ?? '', /backends\.rescale\.core_type/);
    assert.equal(stand.rescale.requests('coreTypes').length, 1);
    nothingSent(stand.rescale);
  });

  test('cores the core type does not take are refused with the values it takes', LONG, async (t) => {
    const stand = await rescaleStandFor(t, {
      coreTypes: [...DEFAULT_CORE_TYPES, { ...PRICED_CORE_TYPE, cores: [1, 4, 8] }],
    });
    const plan = await plannedRescaleJob(t, stand);
    const error = (await rejection(createBackend().submit(plan, rescaleSubmitContext(stand)))) as DlrunError;
    assert.ok(error instanceof DlrunError, String(error));
    assert.match(error.message, /'standard-plus' takes 1, 4, 8 cores per node, not 2/);
    assert.match(error.hint ?? '', /backends\.rescale\.cores to one of 1, 4, 8/);
    nothingSent(stand.rescale);
  });

  test('a key the platform rejects: a 401 message naming the platform, asked once', LONG, async (t) => {
    const stand = await rescaleStandFor(t);
    const plan = await plannedRescaleJob(t, stand);
    stand.env.RESCALE_API_KEY = 'a-key-of-another-platform';
    const error = (await rejection(createBackend().submit(plan, rescaleSubmitContext(stand)))) as ProviderError;
    assert.ok(error instanceof ProviderError, String(error));
    assert.match(error.message, /401/);
    assert.match(error.message, /rejected the API key/);
    assert.ok(`${error.message} ${error.hint}`.includes(stand.rescale.url), 'names the platform');
    assert.match(error.hint ?? '', /RESCALE_API_KEY/);
    assert.ok(!`${error.message} ${error.hint}`.includes('a-key-of-another-platform'), 'never shows the key');
    assert.equal(stand.rescale.requests().length, 1);
    nothingSent(stand.rescale);
  });

  test('no key at all: a clear error with the fix, nothing sent', LONG, async (t) => {
    const stand = await rescaleStandFor(t);
    const plan = await plannedRescaleJob(t, stand);
    delete stand.env.RESCALE_API_KEY;
    const error = (await rejection(createBackend().submit(plan, rescaleSubmitContext(stand)))) as DlrunError;
    assert.ok(error instanceof DlrunError, String(error));
    assert.match(error.message, /RESCALE_API_KEY is not set/);
    assert.ok((error.hint ?? '').includes(stand.rescale.url));
    assert.equal(stand.rescale.requests().length, 0);
  });

  test('a job that passes is uploaded, created and submitted once, after the checks', LONG, async (t) => {
    const stand = await rescaleStandFor(t, { queuedMs: Number.POSITIVE_INFINITY });
    const plan = await plannedRescaleJob(t, stand);
    await createBackend().submit(plan, rescaleSubmitContext(stand));
    const actions = stand.rescale.requests().map((request) => request.action);
    assert.equal(actions[0], 'coreTypes');
    assert.ok(actions.indexOf('uploadFile') > actions.indexOf('coreTypes'));
    assert.equal(actions.filter((action) => action === 'createJob').length, 1);
    assert.equal(actions.filter((action) => action === 'submitJob').length, 1);
  });
});

// dlrun check --backend rescale through axios over HTTP against the Rescale stand-in: every item ok, no key, a key
// the platform rejects, a platform that does not answer. The key is never shown.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'vitest';
import { checkRescale } from '../../../adapters/rescale/rescale-check.js';
import { asLedgerId } from '../../../src/backend/job-id.js';
import type { CheckItem } from '../../../src/backend/training-backend.js';
import { startDeadEndpoint } from '../../standins/dead-endpoint.js';
import { readRescalePriceCache } from '../../../adapters/rescale/rescale-price-cache.js';
import { PRICED_CORE_TYPE, rescaleStandFor } from '../../support/rescale-stand.js';
import { tempDir } from '../../support/temp-dir.js';

const LONG = { timeout: 60_000 };
const LEDGER = asLedgerId('check-ledger');

/** check with DLRUN_HOME a folder of the test's own (check keeps the platform's prices there). */
async function check(
  t: TestContext,
  env: Record<string, string | undefined>,
  fromDotenv: string[] = [],
  home = tempDir(t, 'dlrun-home-'),
): Promise<CheckItem[]> {
  return checkRescale({ ledgerId: LEDGER, home, env, fromDotenv: new Set(fromDotenv) });
}

function item(items: readonly CheckItem[], name: string): CheckItem {
  const found = items.find((candidate) => candidate.check === name);
  assert.ok(found, `no "${name}" item in ${JSON.stringify(items)}`);
  return found;
}

/** Usable exactly when every required item is ok, as `dlrun check` decides. */
const usable = (items: readonly CheckItem[]) => items.every((candidate) => candidate.ok || !candidate.required);

describe('checkRescale against the stand-in', () => {
  test('everything set up: every item ok, the core types counted, the key never shown', LONG, async (t) => {
    const stand = await rescaleStandFor(t);
    const items = await check(t, stand.env, ['RESCALE_PLATFORM_URL']);
    assert.deepEqual(
      items.map(({ check, ok, required }) => [check, ok, required]),
      [
        ['API key', true, true],
        ['platform', true, true],
        ['Rescale API', true, true],
      ],
    );
    assert.equal(item(items, 'platform').detail, `${stand.rescale.url} (RESCALE_PLATFORM_URL)`);
    // emerald, onyx, jade and standard-plus; marble is deprecated.
    assert.match(item(items, 'Rescale API').detail, /accepts the key; 4 core types are available/);
    for (const each of items) assert.ok(!each.detail.includes(stand.rescale.apiKey), `${each.check} shows the key`);
    assert.deepEqual(
      stand.rescale.requests().map((request) => [request.action, request.headers.authorization]),
      [['coreTypes', `Token ${stand.rescale.apiKey}`]],
    );
    assert.ok(usable(items));
  });

  test("the platform's prices are kept, dated, in DLRUN_HOME for quote", LONG, async (t) => {
    const stand = await rescaleStandFor(t);
    const home = tempDir(t, 'dlrun-home-');
    await check(t, stand.env, [], home);
    const cache = readRescalePriceCache(home, stand.rescale.url);
    assert.ok(cache, 'a price cache');
    assert.equal(cache.fetched_at.slice(0, 10), new Date().toISOString().slice(0, 10));
    const row = cache.rows.find((each) => each.code === 'standard-plus');
    assert.equal(row?.usd_per_core_hour, PRICED_CORE_TYPE.price);
    assert.deepEqual(row?.source, [`${stand.rescale.url}/api/v2/coretypes/`]);
  });

  test('no key: says how to get one, and asks Rescale nothing', LONG, async (t) => {
    const stand = await rescaleStandFor(t);
    const items = await check(t, { ...stand.env, RESCALE_API_KEY: undefined });
    assert.equal(item(items, 'API key').ok, false);
    assert.match(item(items, 'API key').detail, /RESCALE_API_KEY is not set/);
    assert.equal(item(items, 'Rescale API').ok, false);
    assert.equal(stand.rescale.requests().length, 0);
    assert.ok(!usable(items));
  });

  test('a key the platform rejects: the 401 named, with the platform, asked once', LONG, async (t) => {
    const stand = await rescaleStandFor(t);
    const items = await check(t, { ...stand.env, RESCALE_API_KEY: 'a-key-of-another-platform' });
    const api = item(items, 'Rescale API');
    assert.equal(api.ok, false);
    assert.match(api.detail, /rejected the API key \(401: Invalid token\.\)/);
    assert.ok(!api.detail.includes('a-key-of-another-platform'));
    assert.equal(item(items, 'API key').ok, true, 'the key is set; the platform refuses it');
    assert.equal(stand.rescale.requests().length, 1);
    assert.ok(!usable(items));
  });

  test('a platform that drops every connection: not reachable, said without a stack trace', LONG, async (t) => {
    const dead = await startDeadEndpoint(t, 'drop');
    const items = await check(t, { RESCALE_API_KEY: 'k', RESCALE_PLATFORM_URL: dead.endpoint });
    const api = item(items, 'Rescale API');
    assert.equal(api.ok, false);
    assert.match(api.detail, /closed the connection without answering/);
    assert.doesNotMatch(api.detail, /\n\s+at /);
    assert.ok(dead.connections() >= 1);
    assert.ok(!usable(items));
  });

  test('a platform that never answers: the deadline named', LONG, async (t) => {
    const dead = await startDeadEndpoint(t, 'silent');
    const items = await check(t, {
      RESCALE_API_KEY: 'k',
      RESCALE_PLATFORM_URL: dead.endpoint,
      DLRUN_NETWORK_TIMEOUT_MS: '500',
    });
    const api = item(items, 'Rescale API');
    assert.equal(api.ok, false);
    assert.match(api.detail, /did not answer within 0\.5 s/);
  });

  test('a platform URL that is not https is refused before anything is sent', LONG, async (t) => {
    const items = await check(t, { RESCALE_API_KEY: 'k', RESCALE_PLATFORM_URL: 'http://platform.example.com' });
    assert.equal(item(items, 'platform').ok, false);
    assert.match(item(items, 'platform').detail, /must start with https:\/\//);
    assert.equal(
      items.find((candidate) => candidate.check === 'Rescale API'),
      undefined,
    );
  });
});

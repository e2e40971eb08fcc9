import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'vitest';
import { json, loopback, rescaleContext } from './rescale-loopback.js';

const require = createRequire(import.meta.url);
const axiosLoaded = () => Object.keys(require.cache).some((file) => file.includes('/node_modules/axios/'));

test('importing the Rescale client and making one loads no axios; the first request does', async (t) => {
  // Each test file runs in its own process (vitest.config.ts: pool forks), so nothing else loaded axios here.
  assert.equal(axiosLoaded(), false, 'axios was loaded before the test');
  const { rescaleClient } = await import('../../../adapters/rescale/rescale-client.js');
  const { platformAt } = await import('../../../adapters/rescale/rescale-platform.js');
  const server = await loopback(t, (_request, response) => json(response, 200, { ok: true }));
  const client = rescaleClient(platformAt(server.url, 'RESCALE_PLATFORM_URL', ''), rescaleContext());
  assert.equal(axiosLoaded(), false, 'importing the client or making one loaded axios');
  await client.get('/api/v2/jobs/');
  assert.equal(axiosLoaded(), true, 'the request did not load axios through require (is it imported?)');
});

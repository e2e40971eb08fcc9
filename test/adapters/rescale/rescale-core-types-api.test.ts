import assert from 'node:assert/strict';
import { test } from 'vitest';
import { rescaleClient } from '../../../adapters/rescale/rescale-client.js';
import { coreTypeOf, fetchCoreTypes } from '../../../adapters/rescale/rescale-core-types-api.js';
import { platformAt } from '../../../adapters/rescale/rescale-platform.js';
import { rejection } from '../../support/rejection.js';
import { json, loopback, rescaleContext } from './rescale-loopback.js';

const EMERALD = {
  code: 'emerald',
  name: 'Emerald',
  price: 0.3,
  lowPriorityPrice: '0.150',
  cores: [1, 2, 4, 8, 'x', 0],
  memory: 4000,
  isDeprecated: false,
  walltimeRequired: true,
  storage: 40,
};

test('fetchCoreTypes reads every page of active core types, checking each entry', async (t) => {
  const server = await loopback(t, (request, response) => {
    if (!request.url.includes('page=2')) {
      json(response, 200, {
        count: 4,
        next: `${server.url}/api/v2/coretypes/?isActive=true&page=2`,
        results: [EMERALD, 'junk'],
      });
    } else {
      json(response, 200, {
        count: 4,
        next: null,
        results: [
          { code: 'bad code; rm -rf' },
          { code: 'onyx', name: 'On\u001byx', price: 'free', isDeprecated: true },
        ],
      });
    }
  });
  const client = rescaleClient(platformAt(server.url, 'RESCALE_PLATFORM_URL', ''), rescaleContext());
  const types = await fetchCoreTypes(client);
  assert.match(server.requests[0]?.url ?? '', /^\/api\/v2\/coretypes\/\?isActive=true&page_size=\d+$/);
  assert.deepEqual(types, [
    {
      code: 'emerald',
      name: 'Emerald',
      price: 0.3,
      lowPriorityPrice: 0.15,
      cores: [1, 2, 4, 8],
      memory: 4000,
      isDeprecated: false,
      walltimeRequired: true,
    },
    {
      code: 'onyx',
      name: 'On yx',
      price: null,
      lowPriorityPrice: null,
      cores: [],
      memory: null,
      isDeprecated: true,
      walltimeRequired: false,
    },
  ]);
});

test('a list with no usable core type is an error; an empty one is not', async (t) => {
  const server = await loopback(t, (_request, response) =>
    json(response, 200, { next: null, results: [{ name: 'x' }] }),
  );
  const client = rescaleClient(platformAt(server.url, 'RESCALE_PLATFORM_URL', ''), rescaleContext());
  assert.match((await rejection(fetchCoreTypes(client))).message, /none of Rescale's core types has a usable code/);
  server.answer((_request, response) => json(response, 200, { next: null, results: [] }));
  assert.deepEqual(await fetchCoreTypes(client), []);
  assert.equal(coreTypeOf(null), undefined);
  assert.equal(coreTypeOf([EMERALD]), undefined);
});

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'vitest';
import { mapLimited } from '../../src/util/map-limited.js';

test('every item, the answers in order, never more than the limit at once', async () => {
  let running = 0;
  let most = 0;
  const answers = await mapLimited([5, 1, 4, 2, 3, 0, 2], 3, async (item, index) => {
    running++;
    most = Math.max(most, running);
    await sleep(item);
    running--;
    return `${index}:${item}`;
  });
  assert.deepEqual(answers, ['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:2']);
  assert.equal(most, 3);
  assert.deepEqual(await mapLimited([], 16, async () => 1), []);
});

test('a rejection rejects the whole, as Promise.all does', async () => {
  await assert.rejects(
    mapLimited([1, 2, 3], 2, async (item) => {
      if (item === 2) throw new Error('two');
      return item;
    }),
    /two/,
  );
});

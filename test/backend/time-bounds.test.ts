import assert from 'node:assert/strict';
import { test } from 'vitest';
import { parseMarkers } from '../../src/backend/phase-markers.js';
import { boundedPhases, boundedTime } from '../../src/backend/time-bounds.js';

const FROM = '2026-11-26T04:00:00.000Z';
const TO = '2026-11-26T06:00:00.000Z';

test('a time is kept inside the window the provider vouches for; what is no time is dropped', () => {
  assert.equal(boundedTime('2026-11-26T05:00:00.000Z', FROM, TO), '2026-11-26T05:00:00.000Z');
  assert.equal(boundedTime('1970-01-01T00:00:01.000Z', FROM, TO), FROM);
  assert.equal(boundedTime('2099-01-01T00:00:00.000Z', FROM, TO), TO);
  assert.equal(boundedTime('yesterday', FROM, TO), undefined);
  assert.equal(boundedTime(undefined, FROM, TO), undefined);
  assert.equal(
    boundedTime('1970-01-01T00:00:01.000Z', undefined, TO),
    '1970-01-01T00:00:01.000Z',
    'no lower bound known: only the upper one holds',
  );
  assert.deepEqual(
    boundedPhases(
      { setup: '1970-01-01T00:00:01.000Z', run: 'garbage', teardown: '2099-01-01T00:00:00.000Z' },
      FROM,
      TO,
    ),
    { setup: FROM, teardown: TO },
  );
});

test('markers with times no clock can hold are ignored, never a crash', () => {
  const markers = parseMarkers('99999999999999999999 phase setup\n1764140000 phase run\n1e999 phase teardown\n');
  assert.deepEqual(markers.phaseStartedAt, { run: new Date(1764140000 * 1000).toISOString() });
  assert.equal(markers.current, 'run');
});

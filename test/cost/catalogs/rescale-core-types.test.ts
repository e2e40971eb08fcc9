import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { hasUnconfirmedFigure } from '../../../src/cost/catalogs/catalog-row.js';
import {
  closeRescaleCoreTypes,
  findRescaleCoreType,
  RESCALE_CORE_TYPES,
  suggestRescaleCoreType,
} from '../../../src/cost/catalogs/rescale-core-types.js';

describe('the Rescale catalog', () => {
  test('finds core types by exact code', () => {
    assert.equal(findRescaleCoreType('emerald')?.name, 'Emerald');
    assert.equal(findRescaleCoreType('Emerald'), undefined);
  });
  test('suggests codes for near misses', () => {
    assert.equal(suggestRescaleCoreType('emrald'), 'emerald');
    assert.equal(suggestRescaleCoreType('Emerald'), 'emerald');
    assert.deepEqual(closeRescaleCoreTypes('hpc-4'), ['hpc-3']);
    assert.deepEqual(closeRescaleCoreTypes('ho-mem'), ['hi-mem', 'lo-mem']);
  });
  test('every row has a doubtful figure marked, since Rescale publishes its list only behind the API', () => {
    for (const type of RESCALE_CORE_TYPES) assert.ok(hasUnconfirmedFigure(type), type.code);
  });
  test('what no source gave is left undefined, not guessed', () => {
    assert.equal(findRescaleCoreType('emerald')?.cores_per_node, undefined);
    assert.equal(findRescaleCoreType('gpu-kepler')?.gpus?.model, undefined);
  });
});

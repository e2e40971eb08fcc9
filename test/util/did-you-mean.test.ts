import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { didYouMean, editDistance } from '../../src/util/did-you-mean.js';

describe('editDistance (optimal string alignment)', () => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', 'abc', 0],
    ['kitten', 'sitting', 3],
    ['instance_typ', 'instance_type', 1],
    ['ec3', 'ec2', 1],
    ['pyhton', 'python', 1],
    ['ab', 'ba', 1],
    ['abcd', 'badc', 2],
    ['ca', 'abc', 3],
  ];
  for (const [a, b, distance] of cases) {
    test(`${JSON.stringify(a)} -> ${JSON.stringify(b)}: ${distance}`, () => {
      assert.equal(editDistance(a, b), distance);
      assert.equal(editDistance(b, a), distance);
    });
  }
});

describe('didYouMean', () => {
  const TOP_LEVEL = [
    'name',
    'workdir',
    'setup',
    'run',
    'env',
    'secrets',
    'framework',
    'resources',
    'limits',
    'outputs',
    'backend',
    'backends',
  ];
  const RESOURCES = ['gpu', 'cpus', 'memory', 'disk', 'nodes', 'spot'];
  const BACKENDS = ['local', 'ec2', 'vertex', 'rescale'];
  const cases: [string, readonly string[], string | undefined, string][] = [
    ['instance_typ', ['region', 'instance_type', 'image', 'subnet'], 'instance_type', 'a dropped letter'],
    ['ec3', BACKENDS, 'ec2', 'a changed letter'],
    ['pyhton', ['python', 'java'], 'python', 'a transposition costs one edit'],
    ['nmae', TOP_LEVEL, 'name', 'a transposition at the start'],
    ['regoin', ['region', 'project'], 'region', 'a transposition in the middle'],
    ['backedns', TOP_LEVEL, 'backends', 'a transposition near the end'],
    ['EC2', BACKENDS, 'ec2', 'case alone'],
    ['Resources', TOP_LEVEL, 'resources', 'a capital letter'],
    ['SECRETS', TOP_LEVEL, 'secrets', 'all capitals'],
    ['cpu', RESOURCES, 'cpus', "a shared first letter breaks the tie with 'gpu'"],
    ['gpus', RESOURCES, 'gpu', "a shared first letter breaks the tie with 'cpus'"],
    ['ab', ['ac', 'ad'], undefined, 'two equally close candidates'],
    ['bcd', ['bce', 'bcf'], undefined, 'a tie that the first letter cannot break'],
    ['xyz', TOP_LEVEL, undefined, 'nothing close'],
    ['colour', TOP_LEVEL, undefined, 'nothing close to a longer word'],
    ['mem', RESOURCES, undefined, 'a prefix too short to be a typo'],
    ['name', ['name', 'nmae'], undefined, 'the word itself is a candidate'],
    ['anything', [], undefined, 'no candidates'],
    ['run', ['rnu'], 'rnu', 'short words tolerate one edit'],
    ['runn', ['run', 'rune'], undefined, 'both one edit away, both share the first letter'],
    ['max_runtim', ['max_runtime', 'max_cost'], 'max_runtime', 'longer words tolerate more edits'],
    ['maxruntme', ['max_runtime', 'max_cost'], 'max_runtime', 'two edits in a nine-letter word'],
    ['vrtx', BACKENDS, undefined, 'two edits in a four-letter word is too many'],
  ];
  for (const [word, candidates, expected, why] of cases) {
    test(`${word} -> ${expected ?? 'nothing'} (${why})`, () => {
      assert.equal(didYouMean(word, candidates), expected);
    });
  }
  test('reads any iterable, once', () => {
    assert.equal(didYouMean('vertx', new Set(BACKENDS)), 'vertex');
    function* names(): Generator<string> {
      yield* BACKENDS;
    }
    assert.equal(didYouMean('rescal', names()), 'rescale');
  });
  test('keeps the candidate as written, whatever the case of the word', () => {
    assert.equal(didYouMean('dlrun_home', ['DLRUN_HOME', 'HOME']), 'DLRUN_HOME');
  });
});

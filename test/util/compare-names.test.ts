import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import {
  EC2_INSTANCE_TYPES,
  RESCALE_CORE_TYPES,
  VERTEX_ACCELERATORS,
  VERTEX_MACHINE_TYPES,
} from '../../src/cost/catalogs/index.js';
import { compareNames } from '../../src/util/compare-names.js';

const sign = (value: number): number => Math.sign(value);

/** Every ordered pair agrees with localeCompare, which the machine choices used before. */
function assertSameOrder(names: readonly string[]): void {
  for (const first of names) {
    for (const second of names) {
      assert.equal(
        sign(compareNames(first, second)),
        sign(first.localeCompare(second)),
        `${JSON.stringify(first)} against ${JSON.stringify(second)}`,
      );
    }
  }
}

describe('compareNames orders as localeCompare does', () => {
  test("the catalogs' machine and core type names", () => {
    assertSameOrder([
      ...EC2_INSTANCE_TYPES.map((type) => type.name),
      ...VERTEX_MACHINE_TYPES.map((type) => type.name),
      ...VERTEX_ACCELERATORS.map((type) => type.name),
      ...RESCALE_CORE_TYPES.map((type) => type.code),
    ]);
  });

  test('every pair of short plain names, prefixes and the empty name included', () => {
    const characters = ['-', '.', '0', '1', '9', 'a', 'b', 'z'];
    const names = ['', ...characters, ...characters.flatMap((first) => characters.map((second) => first + second))];
    assertSameOrder(names);
  });

  test('capitals, underscores and slashes: file names and paths of a workdir', () => {
    const characters = ['_', '-', '.', '/', '0', '9', 'a', 'A', 'b', 'B', 'z', 'Z'];
    const names = ['', ...characters, ...characters.flatMap((first) => characters.map((second) => first + second))];
    assertSameOrder(names);
    assertSameOrder(['README.md', 'readme.md', 'Readme.MD', '__init__.py', '_a', 'Dockerfile', 'data', 'src/a.py']);
    assertSameOrder(['src/train.py', 'src-old', 'src.bak', 'src_2', 'Src', 'SRC/x', 'src', 'scripts/prepare.sh']);
  });

  test('any two names of the characters whose order it knows, against localeCompare', () => {
    const name = fc.string({ unit: fc.constantFrom(...'_-./09aAbByYzZ'), maxLength: 6 });
    fc.assert(
      fc.property(name, name, (first, second) => {
        assert.equal(sign(compareNames(first, second)), sign(first.localeCompare(second)), `${first} / ${second}`);
      }),
      { numRuns: 5000 },
    );
  });

  test('other text goes to localeCompare: spaces, accents, other punctuation', () => {
    assertSameOrder(['Emerald', 'emerald', 'a_b', 'a-b', 'ab', 'NVIDIA_TESLA_T4', 'nvidia-tesla-t4', 'é', 'e', 'f']);
    assertSameOrder(['a b', 'a+b', 'a~b', 'a@b', 'a,b', 'Ä', 'a', 'b', '(1)', '1']);
  });
});

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { pyprojectDependencies } from '../../../src/validate/python/pyproject.js';

const PYPROJECT = [
  '# a project',
  '[build-system]',
  'requires = ["setuptools>=61", \'wheel\']  # built with setuptools',
  'build-backend = "setuptools.build_meta"',
  '',
  '[project]',
  'name = "My_Model"',
  'description = """A [project]',
  'dependencies = ["not-this"]"""',
  'authors = [{ name = "A B", email = "a@b.c" }]',
  'dependencies = [',
  '  "torch==2.3.1",   # the framework',
  "  'numpy<2',",
  '  "transformers >= 4.40 ; python_version >= \\"3.9\\"",',
  ']',
  '',
  '[project.optional-dependencies]',
  'train = ["wandb", "deepspeed==0.14.2"]',
  '"Dev_Tools" = [',
  '  "pytest",',
  ']',
  '',
  '[tool.ruff]',
  'line-length = 120',
  'released = 1979-05-27 07:32:00',
  '',
].join('\n');

test('pyproject.toml: dependencies and extras, with their places; the rest skipped as TOML reads it', () => {
  const read = pyprojectDependencies(PYPROJECT)!;
  assert.equal(read.name, 'my-model');
  assert.deepEqual(
    read.dependencies?.map((entry) => [entry.text, entry.line, entry.column]),
    [
      ['torch==2.3.1', 12, 3],
      ['numpy<2', 13, 3],
      ['transformers >= 4.40 ; python_version >= "3.9"', 14, 3],
    ],
  );
  assert.deepEqual([...read.optional.keys()], ['train', 'dev-tools']);
  assert.deepEqual(
    read.optional.get('train')?.map((entry) => [entry.text, entry.line, entry.column]),
    [
      ['wandb', 18, 10],
      ['deepspeed==0.14.2', 18, 19],
    ],
  );
});

test('pyproject.toml: a file the reader cannot read with certainty gives nothing', () => {
  for (const text of [
    '[project]\ndependencies = ["a",\n',
    '[project]\ndependencies = "torch"\n',
    '[project]\noptional-dependencies = { train = ["x"] }\n',
    '[project]\ndependencies = ["a"]\ndependencies = ["b"]\n',
    'project.dependencies = ["a"]\n',
    '[project]\ndependencies = ["a"] junk\n',
    '[project]\ndependencies = ["a\n"]\n',
  ])
    assert.equal(pyprojectDependencies(text), undefined, text);
  assert.deepEqual(
    pyprojectDependencies('[project]\nname = "x"\ndynamic = ["dependencies"]\n')?.dependencies,
    undefined,
  );
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

/** The commands of the README's first code block, without their comments. */
function twoCommands(): string[] {
  const block = /## The two commands[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

test("the README's set-up puts dlrun on the PATH, and CI runs the README's two commands exactly", () => {
  const [install, tests, ...more] = twoCommands();
  assert.deepEqual(more, []);
  assert.match(install ?? '', /^npm ci && npm link && dlrun submit examples\/quickstart\/job\.yaml --wait$/);
  assert.equal(tests, 'npm test');
  const ci = readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8')
    .split('\n')
    .map((line) => line.trim());
  assert.ok(ci.includes(install!), '.ci/run runs the first command as written');
  assert.ok(ci.includes(tests!), '.ci/run runs the test command as written');
});

test(
  'no command in the README is run through npx: outside the clone, ' + 'npx would fetch another package of that name',
  () => {
    const commands = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((match) => match[1]!.split('\n'));
    assert.deepEqual(
      commands.filter((line) => /\bnpx dlrun\b/.test(line)),
      [],
    );
  },
);

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { test } from 'vitest';
import { CLI_BIN } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

// The README runs `npx dlrun ...`, which executes the bin file itself (through its #! line), not `node bin.js`.
// npm does not set the executable bit on a project's own bin, so the build must; without it a fresh clone fails.
test('the built bin is executable and runs through its #! line, as npx runs it', (t) => {
  const mode = statSync(CLI_BIN).mode;
  assert.equal(mode & 0o111, 0o111, `mode of ${CLI_BIN} is ${(mode & 0o777).toString(8)}`);
  const home = tempDir(t);
  const result = spawnSync(CLI_BIN, ['--version'], {
    cwd: home,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, DLRUN_HOME: home },
    encoding: 'utf8',
  });
  assert.equal(result.error, undefined);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^\d+\.\d+\.\d+/);
});

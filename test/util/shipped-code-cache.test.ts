import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';

const MODULE = pathToFileURL(path.join(REPO_ROOT, 'dist', 'src', 'util', 'shipped-code-cache.js')).href;
const BUNDLE = path.join(REPO_ROOT, 'dist', 'bundle');

/** A folder of two CommonJS files, one requiring the other, as the bundle's files are. */
function bundleLike(t: Parameters<typeof tempDir>[0]): string {
  const folder = tempDir(t);
  const main = "'use strict';\nexports.answer = require('./chunk-A.cjs').half * 2;\n";
  writeFileSync(path.join(folder, 'main.cjs'), main);
  writeFileSync(path.join(folder, 'chunk-A.cjs'), "'use strict';\nexports.half = 21;\n");
  return folder;
}

/** Node requiring `folder/main.cjs` with its shipped entries in use: what it computed, and how entries served. */
function requireWithEntries(folder: string): { answer: number; read: number; rejected: number; missing: number } {
  const program = [
    `import { createRequire } from 'node:module';`,
    `import { useShippedCodeCache, shippedCodeCacheUse } from ${JSON.stringify(MODULE)};`,
    `useShippedCodeCache(${JSON.stringify(folder)});`,
    `const { answer } = createRequire(import.meta.url)(${JSON.stringify(path.join(folder, 'main.cjs'))});`,
    'console.log(JSON.stringify({ answer, ...shippedCodeCacheUse }));',
  ].join('\n');
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

test('the build ships compiled code for every bundle file that may use it, named by file and length', () => {
  const [folder, ...others] = readdirSync(path.join(BUNDLE, 'code-cache'));
  assert.deepEqual(others, [], 'one V8 version: the one that built it');
  assert.equal(folder, `v8-${process.versions.v8}`);
  const entries = new Set(readdirSync(path.join(BUNDLE, 'code-cache', folder!)));
  let cacheable = 0;
  for (const file of readdirSync(BUNDLE).filter((name) => name.endsWith('.cjs'))) {
    const content = readFileSync(path.join(BUNDLE, file), 'utf8');
    const expected = !/\bimport\s*\(/.test(content);
    assert.equal(entries.has(`${file}.${content.length}.v8`), expected, file);
    if (expected) cacheable += 1;
  }
  assert.ok(cacheable > 50, `${cacheable} files`);
});

test('files compiled from shipped entries work as from source; a bad or stale entry is not used', async (t) => {
  const { writeShippedCodeCache } = await import('../../src/util/shipped-code-cache.js');
  const folder = bundleLike(t);
  assert.equal(writeShippedCodeCache(folder), 2);
  assert.deepEqual(requireWithEntries(folder), { answer: 42, read: 2, rejected: 0, missing: 0 });

  // Bytes that are not V8's: V8 rejects them, and the file is compiled from its source all the same.
  const [entries] = readdirSync(path.join(folder, 'code-cache'));
  const chunkEntry = readdirSync(path.join(folder, 'code-cache', entries!)).find((name) => name.startsWith('chunk'));
  writeFileSync(path.join(folder, 'code-cache', entries!, chunkEntry!), 'not compiled code');
  assert.deepEqual(requireWithEntries(folder), { answer: 42, read: 1, rejected: 1, missing: 0 });

  // A file changed after the build (another length): its entry is not looked up, the file is compiled as usual.
  writeFileSync(
    path.join(folder, 'main.cjs'),
    "'use strict';\nexports.answer = require('./chunk-A.cjs').half * 2 + 1;\n",
  );
  assert.deepEqual(requireWithEntries(folder), { answer: 43, read: 0, rejected: 1, missing: 1 });
});

test('a new home: quote runs with the shipped compiled code and writes nothing into DLRUN_HOME', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: quoted\nrun: echo hi\nbackends:\n  local:\n    hourly_rate: 0.2\n');
  const quoted = await runCli(['quote', jobPath, '--backend', 'local', '--json'], { cwd: home, home });
  assert.equal(quoted.code, 0, quoted.stderr);
  assert.deepEqual(readdirSync(home), [], 'nothing written into a home where dlrun keeps nothing');
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { test } from 'vitest';
import { pathToFileURL } from 'node:url';
import { writeJob } from '../support/job-files.js';
import { submitAndWait } from '../support/local-jobs.js';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const COMPILE_CACHE_MODULE = pathToFileURL(path.join(REPO_ROOT, 'dist', 'src', 'util', 'compile-cache.js')).href;
/** Node 22 and later cache with their own loader; on Node 20 dlrun's hook does it, and these tests see its files. */
const usesOwnHook = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache !== 'function';

interface Answer {
  readonly value: number;
  readonly fromOwnFolder: boolean;
  readonly resolvesSibling: boolean;
  readonly thisIsExports: boolean;
  readonly local: string;
}

/**
 * A folder with a package under node_modules (two files, one requiring the other) and a program outside it that
 * turns the cache on, loads the package and prints what the package saw, as a fresh process each run.
 */
function setUp(root: string): {
  run: () => Answer;
  cacheFiles: () => Map<string, number>;
  helper: string;
  cache: string;
} {
  const packageDir = path.join(root, 'node_modules', 'answer');
  mkdirSync(packageDir, { recursive: true });
  const helper = path.join(packageDir, 'helper.js');
  writeFileSync(helper, 'exports.double = (n) => n * 2;\n');
  writeFileSync(
    path.join(packageDir, 'index.js'),
    [
      "const path = require('node:path');",
      "const { double } = require('./helper.js');",
      'const thisIsExports = this === module.exports;',
      'exports.answer = () => ({',
      '  value: double(21),',
      "  fromOwnFolder: __filename === path.join(__dirname, 'index.js'),",
      "  resolvesSibling: require.resolve('./helper.js') === path.join(__dirname, 'helper.js'),",
      '  thisIsExports,',
      '});',
    ].join('\n'),
  );
  writeFileSync(path.join(root, 'local.cjs'), "exports.word = 'outside node_modules';\n");
  const cache = path.join(root, 'cache');
  const program = path.join(root, 'program.mjs');
  writeFileSync(
    program,
    [
      "import { createRequire } from 'node:module';",
      `import { enableCompileCache } from ${JSON.stringify(COMPILE_CACHE_MODULE)};`,
      `enableCompileCache(${JSON.stringify(cache)});`,
      'const require = createRequire(import.meta.url);',
      "const answer = require('answer').answer();",
      "console.log(JSON.stringify({ ...answer, local: require('./local.cjs').word }));",
    ].join('\n'),
  );
  const run = (): Answer => {
    const result = spawnSync(process.execPath, [program], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Answer;
  };
  const cacheFiles = (): Map<string, number> => {
    const names = readdirSync(cache, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    return new Map(
      names.map((entry) => [
        path.join(entry.parentPath, entry.name),
        statSync(path.join(entry.parentPath, entry.name)).mtimeMs,
      ]),
    );
  };
  return { run, cacheFiles, helper, cache };
}

const EXPECTED: Answer = {
  value: 42,
  fromOwnFolder: true,
  resolvesSibling: true,
  thisIsExports: true,
  local: 'outside node_modules',
};

test(
  'a package loads through the cache exactly as without it, ' +
    'and the next run reads the cache instead of writing it',
  (t) => {
    const { run, cacheFiles } = setUp(tempDir(t));
    assert.deepEqual(run(), EXPECTED);
    const written = cacheFiles();
    // The two files of the package, and not the program's own file outside node_modules.
    if (usesOwnHook) assert.equal(written.size, 2, [...written.keys()].join(', '));
    else assert.ok(written.size > 0);
    assert.deepEqual(run(), EXPECTED);
    if (usesOwnHook) assert.deepEqual(cacheFiles(), written, 'a cache V8 accepted is not written again');
  },
);

test('a package file changed in place (same length) runs its new code, never the cached old one', (t) => {
  const { run, cacheFiles, helper } = setUp(tempDir(t));
  assert.equal(run().value, 42);
  const before = cacheFiles().size;
  writeFileSync(helper, 'exports.double = (n) => n * 3;\n');
  assert.equal(run().value, 63);
  if (usesOwnHook) assert.equal(cacheFiles().size, before + 1, 'the changed file is cached under a new name');
});

test('a corrupt cache is rejected and rewritten, and the package still loads', (t) => {
  const { run, cacheFiles } = setUp(tempDir(t));
  run();
  const files = cacheFiles();
  for (const file of files.keys()) writeFileSync(file, 'not V8 code at all');
  assert.deepEqual(run(), EXPECTED);
  if (usesOwnHook) for (const file of files.keys()) assert.ok(statSync(file).size > 100, `${file} was written again`);
});

test('writing new entries clears those untouched for over 30 days, and keeps the recent ones', (t) => {
  if (!usesOwnHook) t.skip('Node 22 and later manage their own cache');
  const { run, cacheFiles, helper } = setUp(tempDir(t));
  run();
  const [stale, recent] = [...cacheFiles().keys()];
  const longAgo = new Date(Date.now() - 40 * 24 * 3600_000);
  utimesSync(stale!, longAgo, longAgo);
  writeFileSync(helper, 'exports.double = (n) => n * 4;\n');
  assert.equal(run().value, 84);
  const left = cacheFiles();
  assert.ok(!left.has(stale!), 'the entry untouched for 40 days is gone');
  assert.ok(left.has(recent!), 'the recent entry stays');
  assert.equal(left.size, 2, 'the recent entry and the one just written');
});

test('a cache folder that cannot be made changes nothing: the package loads and the process exits 0', (t) => {
  const { run, cache } = setUp(tempDir(t));
  writeFileSync(cache, 'a file where the folder should be');
  assert.deepEqual(run(), EXPECTED);
  assert.deepEqual(run(), EXPECTED);
});

test('dlrun keeps compiled code in DLRUN_HOME once it keeps anything there, and none in a new home', async (t) => {
  const v8Folders = (home: string): string[] =>
    existsSync(path.join(home, 'cache'))
      ? readdirSync(path.join(home, 'cache')).filter((name) => name.startsWith('v8-'))
      : [];
  const keptCode = (home: string, folder: string): boolean =>
    readdirSync(path.join(home, 'cache', folder)).some((name) => name.endsWith('.v8') || usesOwnHook === false);
  const { jobPath } = writeJob(tempDir(t), 'name: cached\nrun: echo hi\n');

  // A new home: `check` and a first `validate` create no compiled code (validate keeps only its checks' results).
  const fresh = tempDir(t);
  assert.equal((await runCli(['check', '--backend', 'local'], { cwd: fresh, home: fresh })).code, 0);
  assert.deepEqual(v8Folders(fresh), [], 'check on a new home keeps no compiled code');
  const validated = await runCli(['validate', jobPath], { cwd: fresh, home: fresh });
  assert.equal(validated.code, 0, validated.stderr);
  assert.deepEqual(v8Folders(fresh), [], 'the first command in a new home keeps no compiled code');
  // The next validate finds the cache folder the first one made, and keeps its compiled code beside the checks.
  assert.equal((await runCli(['validate', jobPath], { cwd: fresh, home: fresh })).code, 0);
  const [validateFolder] = v8Folders(fresh);
  assert.ok(validateFolder && keptCode(fresh, validateFolder), 'validate keeps compiled code beside its checks');

  // A home with a ledger (and no cache folder yet): status keeps compiled code.
  const home = tempDir(t);
  await submitAndWait(t, jobPath, home);
  rmSync(path.join(home, 'cache'), { recursive: true, force: true });
  const listed = await runCli(['status', '--all'], { cwd: home, home });
  assert.equal(listed.code, 0, listed.stderr);
  const [folder] = v8Folders(home);
  assert.ok(folder && keptCode(home, folder), 'status over an existing ledger keeps compiled code');
});

/**
 * Runs `body` (lines of an ES module that may `require`) `runs` times as a fresh process with the cache on in
 * `root/cache`, each run required to exit 0; resolves with what each run printed.
 */
function runWithCache(root: string, body: readonly string[], runs: number): string[] {
  const program = path.join(root, 'program.mjs');
  writeFileSync(
    program,
    [
      "import { createRequire } from 'node:module';",
      `import { enableCompileCache } from ${JSON.stringify(COMPILE_CACHE_MODULE)};`,
      `enableCompileCache(${JSON.stringify(path.join(root, 'cache'))});`,
      'const require = createRequire(import.meta.url);',
      ...body,
    ].join('\n'),
  );
  return Array.from({ length: runs }, (_, run) => {
    const result = spawnSync(process.execPath, [program], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, `run ${run + 1}: ${result.stderr}`);
    return result.stdout.trim();
  });
}

test('an ES module that require loads (a module-sync export, as get-intrinsic meets) is left to Node', (t) => {
  const root = tempDir(t);
  const packageDir = path.join(root, 'node_modules', 'dual');
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(
    path.join(packageDir, 'package.json'),
    JSON.stringify({ name: 'dual', exports: { '.': { 'module-sync': './sync.mjs', default: './index.js' } } }),
  );
  writeFileSync(path.join(packageDir, 'index.js'), 'module.exports = () => 7;\n');
  writeFileSync(path.join(packageDir, 'sync.mjs'), "import seven from './index.js';\nexport default seven;\n");
  const printed = runWithCache(
    root,
    [
      'const required = require("dual");',
      'const seven = typeof required === "function" ? required : required.default;',
      'console.log(seven());',
    ],
    2,
  );
  assert.deepEqual(printed, ['7', '7']);
});

test('a package file that calls import() works on every run, not only the one that wrote the cache', (t) => {
  const root = tempDir(t);
  const packageDir = path.join(root, 'node_modules', 'lazy');
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(path.join(packageDir, 'index.js'), "exports.load = () => import('./data.mjs');\n");
  writeFileSync(path.join(packageDir, 'data.mjs'), 'export const value = 11;\n');
  const printed = runWithCache(root, ['const { load } = require("lazy");', 'console.log((await load()).value);'], 3);
  assert.deepEqual(printed, ['11', '11', '11']);
});

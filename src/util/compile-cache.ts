import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { type CommonJsModule, runCompiled } from './shipped-code-cache.js';

/**
 * A V8 code cache for the packages dlrun loads from node_modules. The AWS SDK is close to 3 MB of JavaScript that
 * V8 compiles again on every run, about 100 ms of every `dlrun status` with an EC2 job; with the cache it reads the
 * compiled code back instead. Node 22 has this built in (`module.enableCompileCache`); Node 20, which our machines
 * run, does not, so there dlrun compiles node_modules files itself, as Node's CommonJS loader would, with V8's
 * cached data. Files under node_modules, and the CommonJS files (.cjs) of `bundleFolder`: the shipped bundle
 * (scripts/bundle.mjs), about 600 kB that `validate` compiles on every run; dlrun's code run unbundled, as under
 * development, is ES modules (.js) and never cached.
 */
export function enableCompileCache(directory: string, bundleFolder?: string): void {
  if (enabledIn !== undefined) return;
  enabledIn = directory;
  const builtIn = (Module as unknown as { enableCompileCache?: (directory: string) => unknown }).enableCompileCache;
  if (builtIn) {
    builtIn(directory);
    return;
  }
  // Before Node 20.12 a package compiled here could not use import(): those versions go without the cache.
  if (!mainContextLoader) return;
  const loaderPrototype = Module.prototype as unknown as CommonJsModule;
  const compileWithoutCache = loaderPrototype._compile;
  loaderPrototype._compile = function compileWithCache(
    this: CommonJsModule,
    content: string,
    filename: string,
    ...rest: unknown[]
  ): unknown {
    // Left to Node: a file starting with #! (Node strips that line; wrapped in a function it would not parse); an
    // ES module that `require` loads (Node 20.19 and later pass its format, 'module': a package's `module-sync`
    // export, or an .mjs file), which is not CommonJS and cannot be wrapped as such; and a file that may call
    // import(): once compiled from V8's cached data, Node 20 no longer finds its import() loader ("A dynamic import
    // callback was not specified"), so such a file works on the first run and fails on every later one.
    const ownBundle =
      bundleFolder !== undefined && filename.startsWith(bundleFolder + path.sep) && filename.endsWith('.cjs');
    const cacheable =
      (filename.includes(`${path.sep}node_modules${path.sep}`) || ownBundle) &&
      !content.startsWith('#!') &&
      (rest[0] === undefined || rest[0] === 'commonjs') &&
      !filename.endsWith('.mjs') &&
      !/\bimport\s*\(/.test(content);
    if (!cacheable) return compileWithoutCache.call(this, content, filename, ...rest);
    return runCompiled(this, compiledScript(directory, content, filename), filename);
  };
  process.once('exit', () => saveCompiledCode(directory));
}

/** Where the cache was turned on in this process (once per process: the hook wraps the loader only once). */
let enabledIn: string | undefined;

/** Node's own loader for import() in code compiled with vm; Node 20.12 and later have it. */
const mainContextLoader = (vm as Partial<typeof vm>).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

/** Scripts compiled in this process whose code V8 has not cached yet: saved at exit, when it holds the most. */
const toSave: { script: vm.Script; cacheFile: string }[] = [];

function compiledScript(directory: string, content: string, filename: string): vm.Script {
  // Named by the file and its exact content, so an upgraded package never runs stale code; V8 itself rejects data
  // from another V8 version or flags, and then the file is compiled as usual and its cache written again.
  const contentHash = createHash('sha1').update(content).digest('hex');
  const cacheFile = path.join(
    directory,
    `${createHash('sha1').update(`${filename}\0${contentHash}`).digest('hex')}.v8`,
  );
  const cachedData = readIfPresent(cacheFile);
  const script = new vm.Script(Module.wrap(content), {
    filename,
    ...(cachedData ? { cachedData } : {}),
    // Files that use import() are not compiled here (above); this keeps any other a working import() all the same.
    importModuleDynamically: mainContextLoader!,
  });
  if (!cachedData || script.cachedDataRejected) toSave.push({ script, cacheFile });
  return script;
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // Not cached yet (or unreadable): compile as usual.
  }
}

/** Best effort: a cache that cannot be written only means the next run compiles again. */
function saveCompiledCode(directory: string): void {
  if (toSave.length === 0) return;
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    for (const { script, cacheFile } of toSave.splice(0)) {
      // Written aside and renamed, so a dlrun running at the same moment never reads half a file.
      const partial = `${cacheFile}.${process.pid}.partial`;
      writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
      renameSync(partial, cacheFile);
    }
    removeStaleEntries(directory);
  } catch {
    // A full disk or a read-only home: dlrun works the same without the cache.
  }
}

/** Entries older than this are removed when new ones are written; one still in use is simply compiled again. */
const STALE_AFTER_MS = 30 * 24 * 3600_000;

/**
 * Every package upgrade leaves the old files' entries behind (a few MB for the AWS SDK). New entries are written
 * only after an upgrade or on first use, which is when the old ones are cleared, so the folder never keeps growing.
 */
function removeStaleEntries(directory: string): void {
  const staleBefore = Date.now() - STALE_AFTER_MS;
  for (const name of readdirSync(directory)) {
    const file = path.join(directory, name);
    try {
      if (statSync(file).mtimeMs < staleBefore) unlinkSync(file);
    } catch {
      // Removed by another dlrun at the same moment.
    }
  }
}

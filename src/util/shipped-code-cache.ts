import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * V8's compiled code of the shipped bundle's own files, made when the bundle is built (scripts/bundle.mjs) and shipped
 * beside it, as Node ships the compiled code of its own modules. Compiling the files a command loads is most of what
 * a command costs beyond Node's start (`quote` compiles about 550 kB); with this, a new machine's first command and
 * every command in a home where dlrun keeps nothing yet read it back instead, and write nothing anywhere.
 *
 * An entry is named by its file and the file's length, in a folder of the V8 version that made it. V8 itself rejects
 * data made by another version or with other flags, or for a source of another length; the files of the bundle are
 * named by esbuild after their content (main.cjs aside) and written together with their entries by one build, so an
 * entry never meets a changed file of the same length unless the installed package was edited by hand.
 */
export function shippedCodeCacheFolder(bundleFolder: string): string {
  return path.join(bundleFolder, 'code-cache', `v8-${process.versions.v8}`);
}

/** How the shipped entries served this process: for tests, and for anyone wondering whether they are used. */
export const shippedCodeCacheUse = { read: 0, rejected: 0, missing: 0 };

/** Files left to Node: those that may call import() (Node 20 loses its import() loader in code compiled from cached
 * data), ES modules that `require` loads, and files starting with #!. compile-cache.ts applies the same rule. */
export function cacheableSource(filename: string, content: string, format: unknown): boolean {
  return (
    filename.endsWith('.cjs') &&
    !content.startsWith('#!') &&
    (format === undefined || format === 'commonjs') &&
    !/\bimport\s*\(/.test(content)
  );
}

function entryName(filename: string, content: string): string {
  return `${path.basename(filename)}.${content.length}.v8`;
}

/**
 * Compile the bundle's files (`bundleFolder/*.cjs`) from the shipped entries, read-only. Other files, and any file
 * without a usable entry, are compiled as usual. Once per process; nothing when the folder has no entries for this V8.
 */
export function useShippedCodeCache(bundleFolder: string): void {
  if (enabled) return;
  const folder = shippedCodeCacheFolder(bundleFolder);
  let entries: Set<string>;
  try {
    entries = new Set(readdirSync(folder));
  } catch {
    return; // Another Node than the one that built the bundle, or a build without entries.
  }
  enabled = true;
  const loaderPrototype = Module.prototype as unknown as CommonJsModule;
  const compileWithoutCache = loaderPrototype._compile;
  loaderPrototype._compile = function compileShipped(
    this: CommonJsModule,
    content: string,
    filename: string,
    ...rest: unknown[]
  ): unknown {
    const name = entryName(filename, content);
    const ours = path.dirname(filename) === bundleFolder && cacheableSource(filename, content, rest[0]);
    if (!ours || !entries.has(name)) {
      if (ours) shippedCodeCacheUse.missing += 1;
      return compileWithoutCache.call(this, content, filename, ...rest);
    }
    const script = new vm.Script(Module.wrap(content), {
      filename,
      cachedData: readFileSync(path.join(folder, name)),
    });
    if (script.cachedDataRejected) shippedCodeCacheUse.rejected += 1;
    else shippedCodeCacheUse.read += 1;
    return runCompiled(this, script, filename);
  };
}

let enabled = false;

/** The parts of Node's CommonJS module object the loader uses (not in @types/node). */
export interface CommonJsModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string, ...rest: unknown[]): unknown;
}

interface ModuleInternals {
  _resolveFilename(request: string, parent: CommonJsModule, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: CommonJsModule): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

/** Run a module compiled with vm: its wrapper function, with the arguments (and the `require`) Node's loader gives. */
export function runCompiled(module: CommonJsModule, script: vm.Script, filename: string): unknown {
  const internals = Module as unknown as ModuleInternals;
  const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
  const require = Object.assign((id: string) => module.require(id), {
    resolve: Object.assign(
      (request: string, options?: unknown) => internals._resolveFilename(request, module, false, options),
      { paths: (request: string) => internals._resolveLookupPaths(request, module) },
    ),
    main: (process as unknown as { mainModule?: unknown }).mainModule,
    extensions: internals._extensions,
    cache: internals._cache,
  });
  return wrapper.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
}

/**
 * At build time: write the entries of every cacheable file of `bundleFolder`, the code V8 compiles before running a
 * file (its top level and what V8 compiles eagerly). Returns how many were written.
 */
export function writeShippedCodeCache(bundleFolder: string): number {
  const folder = shippedCodeCacheFolder(bundleFolder);
  mkdirSync(folder, { recursive: true });
  let written = 0;
  for (const file of readdirSync(bundleFolder)) {
    const filename = path.join(bundleFolder, file);
    if (!file.endsWith('.cjs')) continue;
    const content = readFileSync(filename, 'utf8');
    if (!cacheableSource(filename, content, undefined)) continue;
    const script = new vm.Script(Module.wrap(content), { filename });
    writeFileSync(path.join(folder, entryName(filename, content)), script.createCachedData());
    written += 1;
  }
  return written;
}

// Why a bundle: Node 20 reads, resolves and compiles every ES module of a command one at a time (about 1 ms each,
// with no compile cache for ES modules before Node 22), and `validate` alone loads over 200 of dlrun's own. One
// bundle, split at the CLI's lazy imports, loads a handful of files instead: the shipped bin starts from it.
// Packages that are large, native or loaded only by some backends stay outside, as node_modules files, so they
// still load only when a command needs them (test/cli/lazy-cloud-sdks.test.ts) and the compile cache covers them.
// The bundle is then turned into CommonJS files (.cjs) that load each other with require, behind a one-line ES
// module bin: Node 20's loader takes about 0.3 ms for every ES module (an asynchronous read, a URL resolution, a
// link step), and require far less, so a command that loads 60 files of the bundle (`quote`) uses some 15 ms less
// CPU; and CommonJS files can go through the code cache (src/util/compile-cache.ts), ES modules cannot on Node 20.
// esbuild splits ES modules only, hence the two steps. The files keep what an ES module guaranteed: strict mode,
// import.meta.url (the file's URL) and one instance of each module; only `bin.js` stays an ES module.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build, transform } from 'esbuild';

const external = [
  'better-sqlite3',
  '@aws-sdk/*',
  '@smithy/*',
  'googleapis',
  'googleapis/*',
  '@google-cloud/*',
  'google-auth-library',
  'axios',
  'tar',
  'ignore',
  'pg',
];

// yaml's ES module build (the one it ships for browsers) instead of its CommonJS one, which esbuild wraps file by
// file (80 module functions run at load, every export through a getter): bundled as ES modules, yaml's code is
// hoisted into the chunk and what dlrun never calls is left out, a few ms off every command that reads a job file.
// The two builds are the same code but for Node's process: the ES build's log.js warns with console.warn, so it is
// replaced by the CommonJS build's (process.emitWarning, as Node users of yaml get); the LOG_TOKENS / LOG_STREAM
// debug dumps of yaml's own development are not in the ES build.
const yamlEsm = path.join(path.dirname(createRequire(import.meta.url).resolve('yaml/package.json')), 'browser', 'dist');
const yamlAsEsModules = {
  name: 'yaml-as-es-modules',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: path.join(yamlEsm, 'index.js') }));
    build.onLoad({ filter: /[\\/]yaml[\\/]browser[\\/]dist[\\/]log\.js$/ }, () => ({
      contents: [
        "import process from 'node:process';",
        'export function debug(logLevel, ...messages) {',
        "  if (logLevel === 'debug') console.log(...messages);",
        '}',
        'export function warn(logLevel, warning) {',
        "  if (logLevel === 'debug' || logLevel === 'warn') {",
        "    if (typeof process.emitWarning === 'function') process.emitWarning(warning);",
        '    else console.warn(warning);',
        '  }',
        '}',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

const result = await build({
  entryPoints: ['dist/src/cli/bin.js'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [yamlAsEsModules],
  logLevel: 'warning',
  metafile: true,
  write: false,
});

/** Each file of esbuild's output by its CommonJS name: the bin's code goes to main.cjs, behind the ES module bin. */
const cjsName = (file) => (file === 'bin.js' ? 'main.cjs' : file.replace(/\.js$/, '.cjs'));
const outputs = result.outputFiles.map((output) => ({ file: path.basename(output.path), text: output.text }));
const renames = outputs.map(({ file }) => [`"./${file}"`, `"./${cjsName(file)}"`]);
rmSync('dist/bundle', { recursive: true, force: true });
mkdirSync('dist/bundle', { recursive: true });
for (const { file, text } of outputs) {
  // The shebang is the bin's, which stays an ES module; the bin's top-level await cannot be CommonJS (esbuild
  // fails on it: src/cli/bin.ts has none).
  let code = text.startsWith('#!') ? text.slice(text.indexOf('\n') + 1) : text;
  for (const [from, to] of renames) code = code.replaceAll(from, to);
  // A lazy import of another file of the bundle becomes a require at the same moment (its exports object has the
  // names the import's namespace had); import() of an external package (tar, better-sqlite3) stays as it is.
  code = code.replace(/\bimport\(("\.\/[\w-]+\.cjs")\)/g, 'Promise.resolve().then(() => require($1))');
  // So does a lazy import of a CommonJS-only package that dlrun takes the default export of (better-sqlite3, pg):
  // import() would go through Node's ES module loader, which scans the package's source for its export names first.
  code = code.replace(
    /\bimport\(("(?:better-sqlite3|pg)")\)/g,
    'Promise.resolve().then(() => { const m = require($1); ' +
      'return Object.assign(Object.create(null), m, { default: m }); })',
  );
  // A default import of one of Node's modules is its CommonJS exports object: required as such, not through the
  // namespace copy esbuild makes of an import it cannot tell is CommonJS (a getter per export of node:fs, each file).
  code = code.replace(/^import ([\w$]+) from "(node:[\w/]+)";$/gm, 'const $1 = require("$2");');
  const converted = await transform(code, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Worked out when read (a few files do): pathToFileURL on each of 60 files as it loads costs a millisecond.
    define: { 'import.meta.url': '__dlrunImportMeta.url' },
    banner: [
      '"use strict";',
      'const __dlrunImportMeta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };',
    ].join('\n'),
    logLevel: 'warning',
  });
  writeFileSync(path.join('dist/bundle', cjsName(file)), converted.code);
}
writeFileSync(
  'dist/bundle/bin.js',
  [
    '#!/usr/bin/env node',
    "import { createRequire } from 'node:module';",
    '',
    "createRequire(import.meta.url)('./main.cjs');",
    '',
  ].join('\n'),
);

// Which modules each file of the bundle holds, beside it (not shipped): the tests that check what a command loads
// (test/support/import-log.ts) read a loaded file of the bundle as the modules it holds.
const holds = { 'dist/bundle/bin.js': [] };
for (const [output, { inputs }] of Object.entries(result.metafile.outputs))
  holds[`dist/bundle/${cjsName(path.basename(output))}`] = Object.keys(inputs);
writeFileSync('dist/bundle-modules.json', `${JSON.stringify(holds, null, 1)}\n`);

// The bundle's own compiled code, shipped beside it (src/util/shipped-code-cache.ts says why and how it is read).
// dist/bundle was emptied above: entries never outlive the files they were made for.
const { writeShippedCodeCache } = await import('../dist/src/util/shipped-code-cache.js');
if (writeShippedCodeCache(path.resolve('dist/bundle')) === 0)
  throw new Error('no compiled code written for dist/bundle');

// Why a bundle: Node 20 reads, resolves and compiles every ES module of a command one at a time (about 1 ms each,
// with no compile cache for ES modules before Node 22), and `validate` alone loads over 200 of dlrun's own. One
// bundle, split at the CLI's lazy imports, loads a handful of files instead: the shipped bin starts from it.
// Packages that are large, native or loaded only by some backends stay outside, as node_modules files, so they
// still load only when a command needs them (test/cli/lazy-cloud-sdks.test.ts) and the compile cache covers them.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

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
  // Bundled CommonJS packages (commander, yaml, dotenv) call require() for Node's modules; an ES module has none.
  banner: {
    js: [
      "import { createRequire as dlrunCreateRequire } from 'node:module';",
      'const require = dlrunCreateRequire(import.meta.url);',
    ].join(' '),
  },
  logLevel: 'warning',
  metafile: true,
});

// Which modules each file of the bundle holds, beside it (not shipped): the tests that check what a command loads
// (test/support/import-log.ts) read a loaded file of the bundle as the modules it holds.
const holds = {};
for (const [output, { inputs }] of Object.entries(result.metafile.outputs)) holds[output] = Object.keys(inputs);
writeFileSync('dist/bundle-modules.json', `${JSON.stringify(holds, null, 1)}\n`);

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const HOOKS = pathToFileURL(path.join(path.dirname(new URL(import.meta.url).pathname), 'import-log-hooks.mjs')).href;
const REQUIRE_LOG = pathToFileURL(
  path.join(path.dirname(new URL(import.meta.url).pathname), 'import-log-require.mjs'),
).href;

/** Environment that makes a spawned node program log every module it loads to `logFile`, imported or required. */
export function importLogEnv(logFile: string): Record<string, string> {
  const register = [
    "import { register } from 'node:module';",
    `register(${JSON.stringify(HOOKS)});`,
    `await import(${JSON.stringify(REQUIRE_LOG)});`,
  ].join(' ');
  return {
    NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(register)}`,
    DLRUN_TEST_IMPORT_LOG: logFile,
  };
}

/** The module URLs a run logged, without duplicates; a file of the bundle counts as every module it holds. */
export function loggedImports(logFile: string): string[] {
  const logged = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
  return [...new Set(logged.flatMap(modulesOf))];
}

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
let bundleModules: Record<string, string[]> | undefined;

/** The URL itself, and for a file of dist/bundle the file URLs of the modules scripts/bundle.mjs put in it. */
function modulesOf(url: string): string[] {
  const bundlePrefix = pathToFileURL(path.join(REPO_ROOT, 'dist', 'bundle')).href + '/';
  if (!url.startsWith(bundlePrefix)) return [url];
  bundleModules ??= JSON.parse(readFileSync(path.join(REPO_ROOT, 'dist', 'bundle-modules.json'), 'utf8')) as Record<
    string,
    string[]
  >;
  const held = bundleModules[`dist/bundle/${url.slice(bundlePrefix.length)}`] ?? [];
  return [url, ...held.map((input) => pathToFileURL(path.join(REPO_ROOT, input)).href)];
}

/**
 * Packages that must never load on the start-up path; `pg` (and its pg-* helpers) only for a PostgreSQL ledger,
 * never for SQLite users or `--help`.
 */
export const CLOUD_SDKS = ['@aws-sdk', 'googleapis', '@google-cloud', 'google-auth-library', 'axios', 'pg'];

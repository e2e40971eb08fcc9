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

/** The module URLs a run logged, without duplicates. */
export function loggedImports(logFile: string): string[] {
  return [...new Set(readFileSync(logFile, 'utf8').split('\n').filter(Boolean))];
}

/** Packages that must never load on the start-up path. */
export const CLOUD_SDKS = ['@aws-sdk', 'googleapis', '@google-cloud', 'google-auth-library', 'axios'];

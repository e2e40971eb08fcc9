import { appendFileSync } from 'node:fs';

/**
 * Module-loader hooks that write every module URL the program resolves to the file named by
 * DLRUN_TEST_IMPORT_LOG, so tests can prove what a command did not load (a cloud SDK on `--help`).
 * Plain JavaScript: a program under test loads it with `--import`, outside vitest.
 */
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const log = process.env.DLRUN_TEST_IMPORT_LOG;
  if (log) appendFileSync(log, `${result.url}\n`);
  return result;
}

import { appendFileSync } from 'node:fs';

/**
 * Module-loader hooks that write every module URL the program resolves to the file named by
 * DLRUN_TEST_IMPORT_LOG, so tests can prove what a command did not load (a cloud SDK on `--help`).
 */
interface ResolveResult {
  url: string;
}
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<ResolveResult> {
  const result = await nextResolve(specifier, context);
  const log = process.env.DLRUN_TEST_IMPORT_LOG;
  if (log) appendFileSync(log, `${result.url}\n`);
  return result;
}

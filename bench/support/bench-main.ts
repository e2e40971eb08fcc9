import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { machineSummary } from './machine.js';
import { formatResult, type BenchmarkResult } from './measurement.js';

/** run-all sets this to a file path; the benchmark writes its result there as JSON for the summary table. */
export const RESULT_FILE_VARIABLE = 'DLRUN_BENCH_RESULT_FILE';

/**
 * Run a benchmark when its file is the program (`node dist/bench/cold-start.js`), so each one also runs
 * alone. run-all starts every benchmark in a fresh process, so none of them sees modules another one loaded.
 */
export async function runWhenMain(moduleUrl: string, benchmark: () => Promise<BenchmarkResult>): Promise<void> {
  const entry = process.argv[1];
  if (entry === undefined || pathToFileURL(entry).href !== moduleUrl) return;
  const resultFile = process.env[RESULT_FILE_VARIABLE];
  if (!resultFile) console.log(`${machineSummary()}\n`);
  const result = await benchmark();
  console.log(`${formatResult(result)}\n`);
  if (resultFile) writeFileSync(resultFile, JSON.stringify(result));
}

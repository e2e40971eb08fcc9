import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runWhenMain } from './support/bench-main.js';
import type { BenchmarkResult } from './support/measurement.js';
import { BENCH_FIXTURES } from './support/paths.js';
import { median, percentile } from './support/statistics.js';

const WARMUPS = 200;
const RUNS = 2_000;
const TARGET_MS = 5;
const JOB_FILE = path.join(BENCH_FIXTURES, 'typical-job.yaml');

/**
 * Reading, parsing and checking a typical job.yaml in-process, as validate, quote and submit do first.
 * The loader is imported here, not at the top, so that the first load counts its module import too: this
 * file must stay the only one in its process to load it.
 */
export async function jobFileLoad(): Promise<BenchmarkResult> {
  const coldStart = performance.now();
  const { loadJobFile } = await import('../src/spec/load-job-file.js');
  const importMs = performance.now() - coldStart;
  loadJobFile(JOB_FILE);
  const coldMs = performance.now() - coldStart;
  for (let run = 0; run < WARMUPS; run++) loadJobFile(JOB_FILE);
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    loadJobFile(JOB_FILE);
    samples.push(performance.now() - start);
  }
  return {
    title: 'Loading a typical job file in-process (loadJobFile)',
    method:
      'bench/fixtures/typical-job.yaml, every block of JOB-SPEC.md section 1; ' +
      `${RUNS} loads after ${WARMUPS} warm-up loads; ratio = figure / target`,
    measurements: [
      {
        label: 'first load, including the module import',
        figures: [{ name: 'once', ms: coldMs }],
        runs: 1,
        ratio: { value: coldMs / TARGET_MS, of: 'target' },
        target: `under ${TARGET_MS} ms`,
      },
      { label: '  of which the module import', figures: [{ name: 'once', ms: importMs }], runs: 1 },
      {
        label: 'warm load',
        figures: [
          { name: 'median', ms: median(samples) },
          { name: 'p99', ms: percentile(samples, 0.99) },
        ],
        runs: samples.length,
        ratio: { value: median(samples) / TARGET_MS, of: 'target' },
        target: `under ${TARGET_MS} ms`,
      },
    ],
  };
}

await runWhenMain(import.meta.url, jobFileLoad);

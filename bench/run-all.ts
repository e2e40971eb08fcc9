import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RESULT_FILE_VARIABLE } from './support/bench-main.js';
import { machineSummary } from './support/machine.js';
import { formatFigures, formatRatio, table, type BenchmarkResult } from './support/measurement.js';
import { BENCH_DIST } from './support/paths.js';
import { makeTempFolder, removeFolder } from './support/temp-folder.js';

/** Each runs in a fresh process, so none measures modules, caches or garbage another one left behind. */
const BENCHMARKS = [
  'cold-start',
  'status-large-ledger',
  'job-file-load',
  'submit-latency',
  'validate-speed',
  'ec2-status',
  'ec2-submit-overhead',
  'vertex-status',
  'vertex-submit-overhead',
  'rescale-status',
  'rescale-submit-overhead',
  'report-large-ledger',
  'quote-all-backends',
  'pg-status-large-ledger',
  'pg-submit-overhead',
];

const start = performance.now();
const resultsFolder = makeTempFolder('dlrun-bench-results-');
const results: { name: string; result: BenchmarkResult | undefined }[] = [];
console.log(`dlrun benchmarks, ${new Date().toISOString()}\n${machineSummary()}\n`);
try {
  for (const name of BENCHMARKS) {
    const resultFile = path.join(resultsFolder, `${name}.json`);
    const run = spawnSync(process.execPath, [path.join(BENCH_DIST, `${name}.js`)], {
      stdio: 'inherit',
      env: { ...process.env, [RESULT_FILE_VARIABLE]: resultFile },
    });
    const finished = run.status === 0 && existsSync(resultFile);
    if (!finished)
      console.error(`${name}: the benchmark stopped (exit ${run.status ?? run.signal}); its figures are missing\n`);
    results.push({
      name,
      result: finished ? (JSON.parse(readFileSync(resultFile, 'utf8')) as BenchmarkResult) : undefined,
    });
  }
} finally {
  removeFolder(resultsFolder);
}

const rows = [['BENCHMARK', 'MEASUREMENT', 'FIGURE', 'SPREAD', 'RUNS', 'RATIO', 'TARGET']];
for (const { name, result } of results) {
  if (!result) rows.push([name, '(did not finish)', '', '', '', '', '']);
  // The EC2 benchmarks take no figures without moto_server; they say why in their own output.
  else if (result.measurements.length === 0) rows.push([name, '(no figures: see its output)', '', '', '', '', '']);
  for (const measurement of result?.measurements ?? []) {
    const [figure = '', spread = ''] = formatFigures(measurement.figures);
    rows.push([
      name,
      measurement.label,
      figure,
      spread,
      String(measurement.runs),
      formatRatio(measurement.ratio),
      measurement.target ?? '-',
    ]);
  }
}
console.log(`Summary\n${table(rows)}\n\nall benchmarks took ${((performance.now() - start) / 1000).toFixed(1)} s`);
if (results.some(({ result }) => !result)) process.exitCode = 1;

/** One timing, e.g. the median of 20 runs. */
export interface Figure {
  readonly name: string;
  readonly ms: number;
}

/** A figure compared with something: a baseline (`node -e 0`) or the target itself. */
export interface Ratio {
  readonly value: number;
  readonly of: string;
}

/** One line of a benchmark's output. Figures, never a verdict: readers judge them against the target. */
export interface Measurement {
  readonly label: string;
  /** The headline figure first (a median, or a single timing), then its spread (p90, p99). */
  readonly figures: readonly Figure[];
  readonly runs: number;
  readonly ratio?: Ratio;
  readonly target?: string;
}

/** What a benchmark file reports, and what run-all collects for its summary. */
export interface BenchmarkResult {
  readonly title: string;
  /** How the figures were taken (runs, warm-ups, data), printed under the title. */
  readonly method: string;
  readonly measurements: readonly Measurement[];
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export function formatRatio(ratio: Ratio | undefined): string {
  return ratio ? `${ratio.value.toFixed(2)}x ${ratio.of}` : '-';
}

export function formatFigures(figures: readonly Figure[]): string[] {
  return figures.map((figure) => `${figure.name.padEnd(6)} ${formatMs(figure.ms).padStart(10)}`);
}

/** Columns padded to their widest cell. */
export function table(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

/** A benchmark's lines: one per measurement, with its figures, runs, ratio and target. */
export function formatResult(result: BenchmarkResult): string {
  const rows = result.measurements.map((measurement) => [
    `  ${measurement.label}`,
    ...padFigures(measurement.figures),
    `${measurement.runs} run${measurement.runs === 1 ? '' : 's'}`,
    formatRatio(measurement.ratio),
    measurement.target ? `target: ${measurement.target}` : '',
  ]);
  return `${result.title}\n  (${result.method})\n${table(rows)}`;
}

/** Every line has two figure columns, so the runs, ratio and target columns line up. */
function padFigures(figures: readonly Figure[]): string[] {
  const cells = formatFigures(figures);
  while (cells.length < 2) cells.push('');
  return cells;
}

/** Human forms of durations, money and times for the terminal; --json prints the raw numbers instead. */

export function formatSeconds(seconds: number): string {
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m${String(total % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, '0')}h`;
}

/**
 * Dollars and cents; below ten cents, two significant digits, so that a job of a few seconds does not read as
 * free or as every other small job ($0.0042, $0.00028).
 */
export function formatUsd(amount: number | null): string {
  if (amount === null) return '-';
  if (amount > 0 && amount < 0.1)
    return `$${Number(amount.toPrecision(2)).toFixed(Math.min(12, 1 - Math.floor(Math.log10(amount))))}`;
  return `$${amount.toFixed(2)}`;
}

/** `2026-11-26 05:12` in UTC: short, sortable, unambiguous. */
export function formatTime(iso: string | null): string {
  if (!iso) return '-';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

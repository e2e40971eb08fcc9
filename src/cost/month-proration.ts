/** Seconds in the calendar month (UTC) that `at` falls in: 2,419,200 for a 28-day February, 2,678,400 for 31 days. */
export function secondsInMonth(at: Date): number {
  const start = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
  const end = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
  return (end - start) / 1000;
}

/**
 * How many months [fromMs, toMs) spans, each second counted against the length of the month it falls in, as
 * EBS prorates a GB-month price ("GB-month x seconds / seconds in the month"); a stretch across a month's end
 * is split there, so a day in February weighs more than a day in March.
 */
export function monthsSpanned(fromMs: number, toMs: number): number {
  let months = 0;
  let cursor = fromMs;
  while (cursor < toMs) {
    const at = new Date(cursor);
    const monthEnd = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
    const pieceEnd = Math.min(toMs, monthEnd);
    months += (pieceEnd - cursor) / 1000 / secondsInMonth(at);
    cursor = pieceEnd;
  }
  return months;
}

// Apart from the job file's duration parser (src/spec/units/duration.ts), which loads the YAML library: status and
// the cloud adapters print durations without needing it.

/** Round seconds back into the shortest duration text: 5400 -> "1h30m". */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.round(totalSeconds);
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join('');
}

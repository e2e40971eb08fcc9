/** The value below which `fraction` of the samples fall, interpolating between the two nearest ranks. */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (rank - below);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 0.5);
}

/** The headline figure and its spread, as most benchmark lines show them. */
export function medianAndP90(samples: readonly number[]): { name: string; ms: number }[] {
  return [
    { name: 'median', ms: median(samples) },
    { name: 'p90', ms: percentile(samples, 0.9) },
  ];
}

/**
 * Suggestions for mistyped names ("instance_typ" -> "instance_type", "ec3" -> "ec2").
 * Optimal-string-alignment distance, so a swapped pair of letters ("pyhton") costs one edit.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[rows - 1]![cols - 1]!;
}

/** The largest distance still worth suggesting: short names tolerate one edit, longer ones a third of their length. */
function tolerance(word: string): number {
  return Math.max(1, Math.floor(word.length / 3));
}

/**
 * Whether `written` reads as a slip of the keyboard for `meant` (`pyhton`, `nvidai-smi`, `torchrnu`, `pytho`) rather
 * than as another name of its own, for open-ended lists such as commands, where a name missing from the list is
 * often a real tool: a different first letter (`cmake`/`make`, `htop`/`top`, `vmstat`/`stat`), a longer name that
 * extends the other by a version or a word (`python3.11`/`python3`, `wget2`/`wget`, `jupyterlab`/`jupyter`), or two
 * edits in a short name (`mongod`/`mknod`) make another name, not a typo.
 */
export function isLikelySlip(written: string, meant: string): boolean {
  if (written[0]?.toLowerCase() !== meant[0]?.toLowerCase()) return false;
  const [shorter, longer] = written.length <= meant.length ? [written, meant] : [meant, written];
  if (longer.startsWith(shorter) && !(longer.length - shorter.length === 1 && /[a-z]/i.test(longer.at(-1)!)))
    return false;
  const distance = editDistance(written.toLowerCase(), meant.toLowerCase());
  return distance === 1 || (distance === 2 && written.length >= 8);
}

/**
 * The closest candidate within tolerance, or undefined when none is close or two are equally close.
 * Between equally distant candidates, one sharing the first letter wins ("cpu" -> "cpus", not "gpu"):
 * people rarely mistype the first letter of a word.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const candidate of candidates) {
    if (candidate === word) return undefined;
    const candidateLower = candidate.toLowerCase();
    const firstLetterPenalty = candidateLower[0] === lower[0] ? 0 : 0.25;
    const distance = (candidateLower === lower ? 0.5 : editDistance(lower, candidateLower)) + firstLetterPenalty;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) {
      tie = true;
    }
  }
  if (best === undefined || tie || Math.floor(bestDistance) > tolerance(word)) return undefined;
  return best;
}

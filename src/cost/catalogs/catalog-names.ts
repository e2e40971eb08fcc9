import { didYouMean, editDistance } from '../../util/did-you-mean.js';

/** The largest edit distance still worth offering, matching didYouMean's tolerance. */
function tolerance(word: string): number {
  return Math.max(1, Math.floor(word.length / 3));
}

/**
 * Catalog names within a few edits of a mistyped one, nearest first (ties in catalog order), at most `limit`.
 * Unlike `suggestName`, this lists every near name, for messages like "n1-standard-5: did you mean
 * n1-standard-4 or n1-standard-8?" where no single name is the obvious fix.
 */
export function closeNames(word: string, candidates: readonly string[], limit = 3): string[] {
  const lower = word.toLowerCase();
  return candidates
    .map((candidate, index) => ({ candidate, index, distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter((entry) => entry.distance > 0 || entry.candidate !== word)
    .filter((entry) => entry.distance <= tolerance(word))
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

/** The one catalog name a mistyped name most likely meant, or undefined when none or several are equally close. */
export function suggestName(word: string, candidates: readonly string[]): string | undefined {
  return didYouMean(word, candidates);
}

/** ASCII letters, digits and `_ - . /`: machine names (t3.xlarge, NVIDIA_TESLA_T4) and most file names and paths. */
const KNOWN = /^[A-Za-z0-9_./-]*$/;

/**
 * `first.localeCompare(second)`, without loading ICU's collation data where the answer is known: the first
 * localeCompare of a process costs 5 to 25 ms, a good part of a `dlrun quote` or `dlrun validate`. For names made
 * of the KNOWN characters the collation (CLDR's root order, which English and most locales keep for them) is worked
 * out here: first by the characters alone, `_` < `-` < `.` < `/` < digits < letters, a capital the same as its
 * small letter, a prefix first; only then, for names that differ in case alone, the first letter that differs puts
 * the small one first. Any other text (spaces, accents, other punctuation) still goes to localeCompare.
 */
export function compareNames(first: string, second: string): number {
  if (!KNOWN.test(first) || !KNOWN.test(second)) return first.localeCompare(second);
  const shorter = Math.min(first.length, second.length);
  for (let index = 0; index < shorter; index++) {
    const difference = primaryRank(first.charCodeAt(index)) - primaryRank(second.charCodeAt(index));
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  if (first.length !== second.length) return first.length < second.length ? -1 : 1;
  for (let index = 0; index < shorter; index++) {
    const [one, other] = [first.charCodeAt(index), second.charCodeAt(index)];
    // Same letter, other case: a small letter's code is the larger one, and the small letter comes first.
    if (one !== other) return one > other ? -1 : 1;
  }
  return 0;
}

/** The place of a KNOWN character in the collation, capitals with their small letters. */
function primaryRank(code: number): number {
  switch (code) {
    case 0x5f: // _
      return 0;
    case 0x2d: // -
      return 1;
    case 0x2e: // .
      return 2;
    case 0x2f: // /
      return 3;
    default:
      // Digits (0x30 to 0x39) from 4, then letters from 14, a capital (0x41 up) folded onto its small letter.
      return code <= 0x39 ? code - 0x30 + 4 : (code | 0x20) - 0x61 + 14;
  }
}

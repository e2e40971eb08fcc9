// Apart from the schema type in duration.ts, which loads the YAML library: `report --since` and `quote --runtime`
// parse a duration from the command line and need none of it.

/** Seconds per unit of a duration: `90s`, `45m`, `4h`, `2d`, and sums such as `1h30m`. */
const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };
const UNIT_WORDS: Readonly<Record<string, string>> = {
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  day: 'd',
  days: 'd',
};
export const DURATION = /^(?:[0-9]+(?:\.[0-9]+)?[smhd])+$/;
const PART = /([0-9]+(?:\.[0-9]+)?)([smhd])/g;

export type DurationParse = { ok: true; seconds: number } | { ok: false; message: string; suggestion?: string };

/** Parse `1h30m` into seconds. Bare numbers are refused: "90" could mean seconds or minutes. */
export function parseDuration(text: string): DurationParse {
  const compact = text.trim();
  if (DURATION.test(compact)) {
    let seconds = 0;
    for (const [, amount, unit] of compact.matchAll(PART)) seconds += Number(amount) * SECONDS_PER_UNIT[unit!]!;
    // Rounded first: '0.4s' would otherwise pass as a limit of 0 seconds.
    const rounded = Math.round(seconds);
    if (rounded <= 0) return { ok: false, message: `'${text}' is zero; a duration must be longer than that` };
    return { ok: true, seconds: rounded };
  }
  if (/^[0-9]+(\.[0-9]+)?$/.test(compact)) {
    return { ok: false, message: `'${text}' has no unit`, suggestion: `${compact}s` };
  }
  const spelled = compact
    .toLowerCase()
    .replace(/([0-9.]+)\s*([a-z]+)/g, (whole, amount: string, word: string) => {
      const unit = SECONDS_PER_UNIT[word] ? word : UNIT_WORDS[word];
      return unit ? `${amount}${unit}` : whole;
    })
    .replace(/[\s,]+|and/g, '');
  const suggestion = DURATION.test(spelled) ? spelled : undefined;
  return { ok: false, message: `'${text}' is not a duration`, ...(suggestion ? { suggestion } : {}) };
}

import { DlrunError } from '../../src/base/errors.js';

/**
 * `value` as one bash word that means exactly `value`: inside single quotes no character is special, so only the
 * single quote itself needs care (close the quotes, add an escaped quote, reopen them). Newlines, `$`, backslashes
 * and any UTF-8 pass through untouched. A NUL cannot be held by any shell variable, so it is refused.
 */
export function shellQuote(value: string, what = 'a value'): string {
  if (value.includes('\0')) {
    throw new DlrunError(`${what} holds a NUL character, which no shell variable can hold`, {
      hint: 'remove the \\0 from it',
    });
  }
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A bash array assignment's right side, `('a' 'b')`; null entries become empty strings. */
export function shellArray(values: readonly (string | null)[], what = 'a value'): string {
  return `(${values.map((value) => shellQuote(value ?? '', what)).join(' ')})`;
}

import { DlrunError } from '../base/errors.js';

/**
 * How long one request to a provider may wait to connect, and then for each next piece of its answer, when
 * DLRUN_NETWORK_TIMEOUT_MS does not say otherwise. Provider APIs answer in well under a second; 8 s leaves room for
 * a slow network and a large page (1,000 instances) while a hung endpoint still fails fast. (The AWS SDK starts
 * its read timer up to 3 s late, so an attempt against a silent AWS endpoint ends after about 11 s.)
 */
export const DEFAULT_NETWORK_TIMEOUT_MS = 8_000;

/**
 * Attempts of one request (the first and two retries), for errors that may pass (a timeout, a dropped connection,
 * throttling, a 5xx). Against an endpoint that never answers: 3 attempts of about 11 s, about 35 s in all.
 */
export const NETWORK_ATTEMPTS = 3;

const LOWEST_MS = 100;
const HIGHEST_MS = 600_000;

/**
 * The per-request deadline every backend's network client uses: DLRUN_NETWORK_TIMEOUT_MS (milliseconds) when set,
 * else the default. A value that is not a whole number of milliseconds in range is refused with the fix, never
 * quietly replaced: someone set it for a reason.
 */
export function networkTimeoutMs(env: Readonly<Record<string, string | undefined>>): number {
  const text = env.DLRUN_NETWORK_TIMEOUT_MS;
  if (text === undefined || text.trim() === '') return DEFAULT_NETWORK_TIMEOUT_MS;
  const value = Number(text);
  if (!Number.isInteger(value) || value < LOWEST_MS || value > HIGHEST_MS) {
    throw new DlrunError(
      `DLRUN_NETWORK_TIMEOUT_MS is '${text}': ` +
        `it must be a whole number of milliseconds from ${LOWEST_MS} to ${HIGHEST_MS}`,
      {
        hint:
          `unset it for the default (${DEFAULT_NETWORK_TIMEOUT_MS}), ` +
          'or set a value such as 30000 on a slow network',
      },
    );
  }
  return value;
}

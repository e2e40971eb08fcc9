import { randomBytes } from 'node:crypto';

/**
 * Job ids: `<name>-<yyyymmdd>-<hhmm>-<4 hex>`, e.g. `mnist-cnn-20261126-0512-a7f3`. At most 63 characters of
 * lowercase letters, digits and '-', so the same id is a valid EC2 tag value, a GCP label value and part of a
 * Rescale job name. The name is at most 40 characters, which leaves room for the 19-character suffix.
 */
export const MAX_JOB_ID_LENGTH = 63;

declare const JOB_ID: unique symbol;
declare const LEDGER_ID: unique symbol;
/**
 * A job's id. Job ids and ledger ids travel together (tags, object keys, client tokens); as types of their own the
 * compiler refuses one where the other belongs, which two plain strings would let through.
 */
export type JobId = string & { readonly [JOB_ID]: true };
/** A ledger's id: 16 hex characters, the `dlrun-ledger` tag on everything its jobs start. */
export type LedgerId = string & { readonly [LEDGER_ID]: true };

/** A job id dlrun made earlier, read back: from its ledger, a provider's tag, or a user's argument once resolved. */
export function asJobId(value: string): JobId {
  return value as JobId;
}

/** The job id a provider's tag holds, or null when there is none. */
export function asJobIdOrNull(value: string | undefined): JobId | null {
  return value ? asJobId(value) : null;
}

/** A ledger id read back from its ledger or a provider's tag. */
export function asLedgerId(value: string): LedgerId {
  return value as LedgerId;
}
const JOB_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export function newJobId(name: string, now: Date = new Date(), random: Buffer = randomBytes(2)): JobId {
  const stamp = now.toISOString(); // 2026-11-26T05:12:33.000Z
  const day = stamp.slice(0, 10).replaceAll('-', '');
  const minute = stamp.slice(11, 16).replace(':', '');
  return asJobId(`${name}-${day}-${minute}-${random.toString('hex').slice(0, 4)}`);
}

export function isJobId(value: string): boolean {
  return value.length <= MAX_JOB_ID_LENGTH && JOB_ID_PATTERN.test(value);
}

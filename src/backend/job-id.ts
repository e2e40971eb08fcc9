import { randomBytes } from 'node:crypto';

/**
 * Job ids: `<name>-<yyyymmdd>-<hhmm>-<4 hex>`, e.g. `mnist-cnn-20261126-0512-a7f3`. At most 63 characters of
 * lowercase letters, digits and '-', so the same id is a valid EC2 tag value, a GCP label value and part of a
 * Rescale job name. The name is at most 40 characters, which leaves room for the 19-character suffix.
 */
export const MAX_JOB_ID_LENGTH = 63;
const JOB_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export function newJobId(name: string, now: Date = new Date(), random: Buffer = randomBytes(2)): string {
  const stamp = now.toISOString(); // 2026-11-26T05:12:33.000Z
  const day = stamp.slice(0, 10).replaceAll('-', '');
  const minute = stamp.slice(11, 16).replace(':', '');
  return `${name}-${day}-${minute}-${random.toString('hex').slice(0, 4)}`;
}

export function isJobId(value: string): boolean {
  return value.length <= MAX_JOB_ID_LENGTH && JOB_ID_PATTERN.test(value);
}

import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { crypto } from '../util/lazy-crypto.js';
import { readRegularFile, type RegularFileRead } from '../util/read-regular-file.js';

/** More than any real `.env`; a larger one is not read at all. */
export const MAX_DOTENV_BYTES = 1024 * 1024;

/** A folder's `.env`: absent, present (its values and the hash the trust list keeps), or not readable as one. */
export type DotenvFile =
  | { readonly kind: 'absent'; readonly file: string }
  | { readonly kind: 'unreadable'; readonly file: string; readonly reason: string }
  | {
      readonly kind: 'present';
      readonly file: string;
      readonly sha256: string;
      readonly values: Readonly<Record<string, string>>;
    };

/**
 * Read `<folder>/.env` as untrusted input (a regular file of at most 1 MiB, read without blocking), once: the same
 * bytes are hashed and parsed, so what the user allowed is what is used.
 */
export function readDotenvFile(folder: string): DotenvFile {
  const file = path.join(folder, '.env');
  const read = readRegularFile(file, { maxBytes: MAX_DOTENV_BYTES });
  if (!read.ok)
    return read.reason === 'absent'
      ? { kind: 'absent', file }
      : { kind: 'unreadable', file, reason: unreadableReason(read) };
  return {
    kind: 'present',
    file,
    sha256: crypto().createHash('sha256').update(read.bytes).digest('hex'),
    values: parseDotenv(read.bytes),
  };
}

function unreadableReason(read: Extract<RegularFileRead, { ok: false }>): string {
  if (read.reason === 'not-regular') return `it is ${read.detail}, not a regular file`;
  if (read.reason === 'too-large') return `it is larger than ${MAX_DOTENV_BYTES / 1024 / 1024} MiB`;
  return read.detail;
}

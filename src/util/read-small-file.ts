import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** A small file that may be absent, read whole, or refused (not a regular file, too large, unreadable). */
export type SmallFile = { readonly kind: 'absent' } | { readonly kind: 'unreadable'; readonly reason: string } | { readonly kind: 'read'; readonly bytes: Buffer };

/**
 * Read a regular file of at most `limit` bytes, for files that may come from someone else (a cloned repository's
 * `.env`, a config file a setting points at). Opened without blocking and checked before reading, so a FIFO or a link
 * to /dev/zero or a terminal cannot hang dlrun or fill its memory; never more than `limit` bytes are read, even from
 * a file that grows meanwhile.
 */
export function readSmallFile(file: string, limit: number): SmallFile {
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    return { kind: 'unreadable', reason: (error as Error).message };
  }
  const tooLarge = `it is larger than ${limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MiB` : `${limit} bytes`}`;
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) return { kind: 'unreadable', reason: 'it is not a regular file' };
    if (stats.size > limit) return { kind: 'unreadable', reason: tooLarge };
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(descriptor, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > limit) return { kind: 'unreadable', reason: tooLarge };
    return { kind: 'read', bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { kind: 'unreadable', reason: (error as Error).message };
  } finally {
    closeSync(descriptor);
  }
}

import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readlinkSync,
  statSync,
  type Stats,
} from 'node:fs';

/** What reading a file gave: its bytes, or why it was not read. */
export type RegularFileRead =
  | { readonly ok: true; readonly bytes: Buffer }
  | {
      readonly ok: false;
      /**
       * `absent`: no such file; `not-regular`: a FIFO, socket, device or folder (after following links); `too-large`:
       * over the limit; `unreadable`: no permission, an I/O error.
       */
      readonly reason: 'absent' | 'not-regular' | 'too-large' | 'unreadable';
      /** In words, for a message: "a named pipe (FIFO)", "a link to /dev/zero, a character device", "3.2 MB". */
      readonly detail: string;
    };

export interface ReadLimit {
  /** At most this many bytes are read. */
  readonly maxBytes: number;
  /** Read only the first maxBytes of a larger file instead of refusing it (a look at a file's first line). */
  readonly prefix?: boolean;
}

/**
 * Read a file only when it is a regular file after following links, and at most `maxBytes` of it. Files in a cloned
 * repository are untrusted: a `readFileSync` of a FIFO waits for a writer forever and one of a link to `/dev/zero`
 * never ends. The file is opened non-blocking and checked again once open, so a file swapped for a FIFO between the
 * two looks is refused too.
 */
export function readRegularFile(file: string, limit: ReadLimit): RegularFileRead {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'absent' : 'unreadable',
      detail: (error as Error).message,
    };
  }
  if (!stats.isFile()) return { ok: false, reason: 'not-regular', detail: describeNonRegular(file, stats) };
  if (!limit.prefix && stats.size > limit.maxBytes)
    return { ok: false, reason: 'too-large', detail: `${stats.size} bytes` };
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: (error as Error).message };
  }
  try {
    const opened = fstatSync(descriptor);
    if (!opened.isFile()) return { ok: false, reason: 'not-regular', detail: describeNonRegular(file, opened) };
    // Read in chunks up to one byte past the limit, whatever size the stat gave: files in /proc say 0 and have more.
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= limit.maxBytes) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit.maxBytes + 1 - length));
      const read = readSync(descriptor, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
    }
    const bytes = Buffer.concat(chunks, length);
    if (length > limit.maxBytes) {
      if (!limit.prefix) return { ok: false, reason: 'too-large', detail: `over ${limit.maxBytes} bytes` };
      return { ok: true, bytes: bytes.subarray(0, limit.maxBytes) };
    }
    return { ok: true, bytes };
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: (error as Error).message };
  } finally {
    closeSync(descriptor);
  }
}

/** The file's text as UTF-8 (invalid bytes replaced) when it is a regular file within the limit, else undefined. */
export function readRegularText(file: string, limit: ReadLimit): string | undefined {
  const read = readRegularFile(file, limit);
  return read.ok ? read.bytes.toString('utf8') : undefined;
}

/** "a named pipe (FIFO)", or "a link to /dev/zero, a character device" when a link leads there. */
export function describeNonRegular(file: string, stats: Stats): string {
  const kind = stats.isDirectory()
    ? 'a folder'
    : stats.isFIFO()
      ? 'a named pipe (FIFO)'
      : stats.isSocket()
        ? 'a socket'
        : stats.isCharacterDevice()
          ? 'a character device'
          : stats.isBlockDevice()
            ? 'a block device'
            : 'not a regular file';
  try {
    if (lstatSync(file).isSymbolicLink()) return `a link to ${readlinkSync(file)}, ${kind}`;
  } catch {
    // Gone since: the kind is all there is to say.
  }
  return kind;
}

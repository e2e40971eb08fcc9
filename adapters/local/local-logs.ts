import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogChunk, LogOptions } from '../../src/backend/training-backend.js';
import { readJsonIfPresent, type LocalJobFolder } from './local-job-folder.js';
import type { LocalResult } from './local-settings.js';

const CHUNK_BYTES = 256 * 1024;
const FOLLOW_INTERVAL_MS = 200;

/**
 * A local job's output: the previous log (when the log was rotated) and then the current one; with `follow`,
 * new output as it is written, until the job has ended and everything it wrote was read.
 */
export async function* localLogs(folder: LocalJobFolder, options: LogOptions): AsyncIterable<LogChunk> {
  if (options.tailBytes !== undefined && !options.follow) {
    const tail = new LogReader(folder.log, Math.max(0, sizeOf(folder.log) - options.tailBytes));
    for (let text = tail.next(); text !== undefined; text = tail.next()) yield { text };
    return;
  }
  if (existsSync(folder.rotatedLog)) {
    yield { text: '[dlrun: older output was dropped to keep the log under its size limit]\n' };
    const previous = new LogReader(folder.rotatedLog);
    for (let text = previous.next(); text !== undefined; text = previous.next()) yield { text };
  }
  let current = new LogReader(folder.log);
  for (;;) {
    if (options.signal?.aborted) return;
    const ended = readJsonIfPresent<LocalResult>(folder.result) !== undefined;
    // The log was rotated since the last read: go on at the top of the new file.
    if (current.rotated()) current = new LogReader(folder.log);
    let readSomething = false;
    for (let text = current.next(); text !== undefined; text = current.next()) {
      readSomething = true;
      yield { text };
    }
    if (!options.follow || (ended && !readSomething)) return;
    if (!readSomething) await sleep(FOLLOW_INTERVAL_MS);
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Reads a growing file from where it last stopped, decoding UTF-8 across chunk boundaries. */
class LogReader {
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly file: string,
    private offset = 0,
  ) {}

  rotated(): boolean {
    try {
      return statSync(this.file).size < this.offset;
    } catch {
      return false;
    }
  }

  /** The next piece of text, or undefined when nothing new has been written. */
  next(): string | undefined {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return undefined;
    }
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      const bytes = readSync(fd, buffer, 0, CHUNK_BYTES, this.offset);
      if (bytes === 0) return undefined;
      this.offset += bytes;
      return this.decoder.decode(buffer.subarray(0, bytes), { stream: true });
    } finally {
      closeSync(fd);
    }
  }
}

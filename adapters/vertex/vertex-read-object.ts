/**
 * Reading objects of the staging bucket that may be large (a job's log, its outputs archive) without holding them in
 * memory: a whole object or a byte range of it as a stream of chunks, or streamed to a file. Ranged reads are not
 * checked against the object's hashes (Cloud Storage gives the hashes of the whole object only); whole reads are.
 */
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Storage } from '@google-cloud/storage';
import { type DeadlineNote, errorStatus, googleError } from './vertex-errors.js';
import { gsUrl, type StagingLocation } from './vertex-staging.js';

/** An object's size and generation, the generation a later ranged read pins so that both see the same bytes. */
export interface ObjectVersion {
  readonly size: number;
  readonly generation: string;
}

/** Which bytes to read: from `start` (default 0) to `end` inclusive, or with `last` only the last this many. */
export interface ByteRange {
  readonly start?: number;
  readonly end?: number;
  readonly last?: number;
  /** Read this generation only: a newer upload in between is as missing as a deleted object (404). */
  readonly generation?: string;
}

/** The object's size and generation, or undefined when it does not exist (yet). */
export async function objectVersion(
  storage: Storage,
  location: StagingLocation,
  name: string,
  deadline?: DeadlineNote,
): Promise<ObjectVersion | undefined> {
  try {
    const [metadata] = await storage.bucket(location.bucket).file(name).getMetadata();
    return { size: Number(metadata.size ?? 0), generation: String(metadata.generation ?? '') };
  } catch (error) {
    if (errorStatus(error) === 404) return undefined;
    throw googleError(error, `looking at ${gsUrl(location, name)}`, deadline);
  }
}

/**
 * The object's bytes (or the range asked), chunk by chunk as they arrive. Rejects with `missing` set (a
 * MissingObject) when there is no such object or generation, with a ProviderError for anything else. A `signal`
 * that aborts ends the read quietly.
 */
export async function* readObject(
  storage: Storage,
  location: StagingLocation,
  name: string,
  range: ByteRange = {},
  options: { deadline?: DeadlineNote; signal?: AbortSignal } = {},
): AsyncIterable<Buffer> {
  // The client keeps a generation as a number whatever it is given; Cloud Storage's are microseconds since 1970
  // (about 1.7e15), exact in a double until the 23rd century.
  const file = storage
    .bucket(location.bucket)
    .file(name, range.generation ? { generation: Number(range.generation) } : {});
  const stream: Readable = file.createReadStream(
    range.last !== undefined
      ? { end: -Math.max(1, Math.floor(range.last)) }
      : range.start !== undefined || range.end !== undefined
        ? { start: range.start ?? 0, ...(range.end !== undefined ? { end: range.end } : {}) }
        : {},
  );
  const stop = () => stream.destroy();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of stream) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
  } catch (error) {
    if (options.signal?.aborted) return;
    if (errorStatus(error) === 404) throw new MissingObject(gsUrl(location, name));
    // 416: a range past the end of an object that got shorter in between; the caller looks at its size again.
    if (errorStatus(error) === 416) return;
    throw googleError(error, `reading ${gsUrl(location, name)}`, options.deadline);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stream.destroy();
  }
}

/** Streams the whole object into `file` (created, readable by this user only); false when there is no object. */
export async function downloadObject(
  storage: Storage,
  location: StagingLocation,
  name: string,
  file: string,
  deadline?: DeadlineNote,
): Promise<boolean> {
  try {
    await pipeline(
      storage.bucket(location.bucket).file(name).createReadStream(),
      createWriteStream(file, { mode: 0o600 }),
    );
    return true;
  } catch (error) {
    if (errorStatus(error) === 404) return false;
    throw googleError(error, `downloading ${gsUrl(location, name)}`, deadline);
  }
}

/** There is no such object (or not the generation asked). */
export class MissingObject extends Error {
  readonly missing = true;
  constructor(url: string) {
    super(`${url} does not exist`);
    this.name = 'MissingObject';
  }
}

// What the Cloud Storage stand-in (gcs-server.ts) holds: buckets and objects in memory, their JSON API resources,
// and object listing with prefixes and page tokens.

import { CRC32C } from '@google-cloud/storage';
import { createHash } from 'node:crypto';
import { gcsErrors } from './gcs-errors.js';

/** The writable object fields kept beside the bytes (objects.insert and objects.patch accept them). */
export const WRITABLE_OBJECT_FIELDS = [
  'contentType',
  'cacheControl',
  'contentDisposition',
  'contentEncoding',
  'contentLanguage',
  'customTime',
] as const;
type WritableField = (typeof WRITABLE_OBJECT_FIELDS)[number];

export interface StoredObject {
  readonly bucket: string;
  readonly name: string;
  readonly bytes: Buffer;
  /** The custom metadata (the resource's `metadata` map), absent when there is none. */
  readonly metadata: Readonly<Record<string, string>> | undefined;
  /** contentType, cacheControl... as the client set them (contentType defaults to application/octet-stream). */
  readonly fields: Readonly<Partial<Record<WritableField, string>>> & { readonly contentType: string };
  readonly generation: string;
  readonly metageneration: string;
  readonly md5Hash: string;
  readonly crc32c: string;
  readonly timeCreated: string;
  readonly updated: string;
}

export interface StoredBucket {
  readonly name: string;
  readonly writable: boolean;
  readonly timeCreated: string;
  readonly objects: Map<string, StoredObject>;
}

/** What an upload or a test gives for a new object: the bytes and the writable fields. */
export interface NewObject {
  readonly bytes: Buffer;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  readonly fields?: Readonly<Partial<Record<WritableField, string>>>;
}

export function md5Of(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('base64');
}

export function crc32cOf(bytes: Buffer): string {
  const crc = new CRC32C();
  crc.update(bytes);
  return crc.toString();
}

/** Custom metadata values are strings in the API; a null value in a patch removes the key. */
function customMetadata(
  given: Readonly<Record<string, unknown>> | null | undefined,
  base: Readonly<Record<string, string>> = {},
): Record<string, string> | undefined {
  const merged: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(given ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}

// Bucket names: 3-63 characters of lowercase letters, digits, dashes, underscores and dots, starting and ending
// with a letter or digit (the dotted form up to 222 characters is not modelled).
const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

/** Object names sort by their UTF-8 bytes, as Cloud Storage lists them. */
function byName(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export interface ListQuery {
  readonly prefix: string;
  readonly delimiter: string | undefined;
  readonly includeTrailingDelimiter: boolean;
  readonly startOffset: string | undefined;
  readonly endOffset: string | undefined;
  readonly maxResults: number;
  readonly pageToken: string | undefined;
}

export interface ListPage {
  readonly items: readonly StoredObject[];
  readonly prefixes: readonly string[];
  readonly nextPageToken: string | undefined;
}

interface PagePosition {
  /** The last entry of the previous page: an object name, or a prefix (every name under it was covered). */
  readonly after: string;
  readonly prefix: boolean;
}

function encodeToken(position: PagePosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

function decodeToken(token: string): PagePosition {
  try {
    const position = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PagePosition;
    if (typeof position.after === 'string' && typeof position.prefix === 'boolean') return position;
  } catch {
    // answered below
  }
  throw gcsErrors.invalid('Invalid page token.');
}

/** The stand-in's state: buckets of objects, with generations that only grow. */
export class GcsStore {
  readonly buckets = new Map<string, StoredBucket>();
  #lastGeneration = 0;

  /** Generations are microsecond timestamps in real Cloud Storage; here too, and strictly increasing. */
  nextGeneration(): string {
    this.#lastGeneration = Math.max(this.#lastGeneration + 1, Date.now() * 1000);
    return String(this.#lastGeneration);
  }

  createBucket(name: string, writable = true): StoredBucket {
    if (!BUCKET_NAME.test(name)) throw gcsErrors.invalid(`Invalid bucket name: '${name}'`);
    if (this.buckets.has(name)) throw gcsErrors.bucketExists();
    const bucket: StoredBucket = { name, writable, timeCreated: new Date().toISOString(), objects: new Map() };
    this.buckets.set(name, bucket);
    return bucket;
  }

  bucket(name: string): StoredBucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw gcsErrors.noSuchBucket();
    return bucket;
  }

  object(bucketName: string, name: string): StoredObject {
    const found = this.bucket(bucketName).objects.get(name);
    if (!found) throw gcsErrors.noSuchObject(bucketName, name);
    return found;
  }

  /** A new generation of the object (a new object, or one that replaces the current generation). */
  put(bucketName: string, name: string, given: NewObject): StoredObject {
    const bucket = this.bucket(bucketName);
    const now = new Date().toISOString();
    const fields: StoredObject['fields'] = {
      ...pickFields(given.fields),
      contentType: given.fields?.contentType || 'application/octet-stream',
    };
    const stored: StoredObject = {
      bucket: bucketName,
      name,
      bytes: Buffer.from(given.bytes),
      metadata: customMetadata(given.metadata),
      fields,
      generation: this.nextGeneration(),
      metageneration: '1',
      md5Hash: md5Of(given.bytes),
      crc32c: crc32cOf(given.bytes),
      timeCreated: now,
      updated: now,
    };
    bucket.objects.set(name, stored);
    return stored;
  }

  /** objects.patch: the fields given replace the current ones, `metadata` is merged key by key (null removes). */
  patch(current: StoredObject, patch: Readonly<Record<string, unknown>>): StoredObject {
    const fields: Record<string, string> = { ...current.fields };
    for (const field of WRITABLE_OBJECT_FIELDS) {
      if (!(field in patch)) continue;
      const value = patch[field];
      if (value === null || value === undefined) delete fields[field];
      else fields[field] = String(value);
    }
    const patched: StoredObject = {
      ...current,
      fields: { ...fields, contentType: fields.contentType || 'application/octet-stream' },
      metadata:
        'metadata' in patch
          ? patch.metadata === null
            ? undefined
            : customMetadata(patch.metadata as Record<string, unknown>, current.metadata)
          : current.metadata,
      metageneration: String(Number(current.metageneration) + 1),
      updated: new Date().toISOString(),
    };
    this.bucket(current.bucket).objects.set(current.name, patched);
    return patched;
  }

  delete(bucketName: string, name: string): void {
    this.bucket(bucketName).objects.delete(name);
  }

  /** objects.list: names in byte order, a delimiter folding names into prefixes, and resumable pages. */
  list(bucketName: string, query: ListQuery): ListPage {
    const names = [...this.bucket(bucketName).objects.keys()].sort(byName);
    const position = query.pageToken === undefined ? undefined : decodeToken(query.pageToken);
    const items: StoredObject[] = [];
    const prefixes: string[] = [];
    let last: PagePosition | undefined;
    let more = false;
    const objects = this.bucket(bucketName).objects;
    for (const name of names) {
      if (!name.startsWith(query.prefix)) continue;
      if (query.startOffset !== undefined && byName(name, query.startOffset) < 0) continue;
      if (query.endOffset !== undefined && byName(name, query.endOffset) >= 0) continue;
      if (position && (byName(name, position.after) <= 0 || (position.prefix && name.startsWith(position.after))))
        continue;
      const rest = name.slice(query.prefix.length);
      const cut = query.delimiter ? rest.indexOf(query.delimiter) : -1;
      const folded = cut < 0 ? undefined : query.prefix + rest.slice(0, cut + (query.delimiter?.length ?? 0));
      // includeTrailingDelimiter: a name that ends with its first delimiter is an item as well as a prefix.
      const alsoItem = folded !== undefined && query.includeTrailingDelimiter && folded === name;
      if (folded !== undefined && last?.prefix && last.after === folded) {
        if (alsoItem) items.push(objects.get(name)!);
        continue;
      }
      if (items.length + prefixes.length >= query.maxResults) {
        more = true;
        break;
      }
      if (folded === undefined) {
        items.push(objects.get(name)!);
        last = { after: name, prefix: false };
      } else {
        prefixes.push(folded);
        if (alsoItem) items.push(objects.get(name)!);
        last = { after: folded, prefix: true };
      }
    }
    return { items, prefixes, nextPageToken: more && last ? encodeToken(last) : undefined };
  }
}

function pickFields(given: NewObject['fields']): Partial<Record<WritableField, string>> {
  const picked: Partial<Record<WritableField, string>> = {};
  for (const field of WRITABLE_OBJECT_FIELDS) {
    const value = given?.[field];
    if (typeof value === 'string' && value !== '') picked[field] = value;
  }
  return picked;
}

/** The objects resource (kind storage#object) with the JSON API's field names; 64-bit numbers are strings. */
export function objectResource(endpoint: string, stored: StoredObject): Record<string, unknown> {
  const encoded = encodeURIComponent(stored.name);
  const media = `${endpoint}/download/storage/v1/b/${stored.bucket}/o/${encoded}`;
  return {
    kind: 'storage#object',
    id: `${stored.bucket}/${stored.name}/${stored.generation}`,
    selfLink: `${endpoint}/storage/v1/b/${stored.bucket}/o/${encoded}`,
    mediaLink: `${media}?generation=${stored.generation}&alt=media`,
    name: stored.name,
    bucket: stored.bucket,
    generation: stored.generation,
    metageneration: stored.metageneration,
    ...stored.fields,
    storageClass: 'STANDARD',
    size: String(stored.bytes.length),
    md5Hash: stored.md5Hash,
    crc32c: stored.crc32c,
    etag: Buffer.from(`${stored.generation}/${stored.metageneration}`).toString('base64'),
    timeCreated: stored.timeCreated,
    updated: stored.updated,
    timeStorageClassUpdated: stored.timeCreated,
    ...(stored.metadata ? { metadata: { ...stored.metadata } } : {}),
  };
}

/** The buckets resource (kind storage#bucket). */
export function bucketResource(endpoint: string, bucket: StoredBucket): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    selfLink: `${endpoint}/storage/v1/b/${bucket.name}`,
    id: bucket.name,
    name: bucket.name,
    projectNumber: '123456789012',
    metageneration: '1',
    location: 'US',
    locationType: 'multi-region',
    storageClass: 'STANDARD',
    etag: 'CAE=',
    timeCreated: bucket.timeCreated,
    updated: bucket.timeCreated,
  };
}

const PRECONDITIONS = [
  'ifGenerationMatch',
  'ifGenerationNotMatch',
  'ifMetagenerationMatch',
  'ifMetagenerationNotMatch',
] as const;

/**
 * The generation and metageneration preconditions of the query (ifGenerationMatch=0: only if there is no live
 * object), against the object as it is now; 412 conditionNotMet when one does not hold. Not confirmed: a read whose
 * ifGenerationNotMatch or ifMetagenerationNotMatch matches gets 412 here; real Cloud Storage may answer 304.
 */
export function checkPreconditions(current: StoredObject | undefined, query: URLSearchParams): void {
  for (const parameter of PRECONDITIONS) {
    const given = query.get(parameter);
    if (given === null) continue;
    if (!/^-?\d+$/.test(given)) throw gcsErrors.invalid(`Invalid value for ${parameter}: ${given}`);
    const wanted = BigInt(given);
    const actual = parameter.includes('Metageneration') ? current?.metageneration : current?.generation;
    // A missing object has generation 0 for ifGenerationMatch and no metageneration at all.
    const same =
      actual === undefined ? wanted === 0n && parameter.startsWith('ifGeneration') : BigInt(actual) === wanted;
    const holds = parameter.endsWith('NotMatch') ? !same : same;
    if (!holds) throw gcsErrors.conditionNotMet(parameter);
  }
}

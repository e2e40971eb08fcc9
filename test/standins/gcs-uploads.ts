// objects.insert as the Cloud Storage stand-in (gcs-server.ts) answers it: uploadType=media, multipart and
// resumable (a session URI in Location, then PUTs of the bytes, whole or in chunks with Content-Range, 308 with
// Range while incomplete).
//
// Confirmed (the JSON API reference and the client's resumable-upload.js): the session URI comes back in Location;
// a chunk is answered 308 with `Range: bytes=0-LAST` of what was persisted (no Range when nothing was); the client
// sends `Content-Range: bytes FIRST-LAST/*` for middle chunks, `bytes FIRST-LAST/TOTAL` for the last one,
// `bytes FIRST-*/*` when it sends everything in one request, and `bytes */*` to ask where the upload stands.
// Not confirmed, and chosen as marked: a chunk that starts beyond the persisted bytes (400 here), an unknown
// upload_id (404 here), the final status (real Cloud Storage answers 200 or 201; 200 here), and the wording of
// every 400.

import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { gcsErrors } from './gcs-errors.js';
import {
  checkPreconditions,
  crc32cOf,
  md5Of,
  objectResource,
  WRITABLE_OBJECT_FIELDS,
  type GcsStore,
  type NewObject,
  type StoredBucket,
  type StoredObject,
} from './gcs-store.js';

/** What a handler answers; the server writes it (after a fault's delay, or not at all for a fault's drop). */
export interface Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
}

export function jsonAnswer(status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
    body: JSON.stringify(value),
  };
}

export interface UploadSession {
  readonly id: string;
  readonly bucket: string;
  readonly name: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly contentType: string | undefined;
  /** X-Upload-Content-Length of the POST that opened the session, when given. */
  readonly declaredLength: number | undefined;
  /** The preconditions of the POST, checked again when the upload completes. */
  readonly preconditions: URLSearchParams;
  readonly chunks: Buffer[];
  received: number;
  done: StoredObject | undefined;
}

export interface UploadContext {
  readonly store: GcsStore;
  readonly endpoint: string;
  readonly sessions: Map<string, UploadSession>;
}

const NO_UPLOAD_TYPE = 'Upload requests must include an uploadType URL parameter and a URL-encoded object name.';

export function writableBucket(store: GcsStore, name: string): StoredBucket {
  const bucket = store.bucket(name);
  if (!bucket.writable) throw gcsErrors.forbidden('storage.objects.create');
  return bucket;
}

function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw gcsErrors.invalid('The object metadata is not a JSON object.');
}

interface MultipartUpload {
  readonly metadata: Record<string, unknown>;
  readonly media: Buffer;
  readonly mediaType: string | undefined;
}

/** A multipart/related body: a JSON part with the object's metadata, then a part with its bytes. */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartUpload {
  const boundary = /^multipart\/related\s*;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!boundary) throw gcsErrors.invalid('A multipart upload needs a multipart/related body with a boundary.');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const starts: number[] = [];
  for (let at = body.indexOf(delimiter); at >= 0; at = body.indexOf(delimiter, at + delimiter.length)) starts.push(at);
  const parts: { headers: Record<string, string>; content: Buffer }[] = [];
  for (let index = 0; index + 1 < starts.length; index += 1) {
    let part = body.subarray(starts[index]! + delimiter.length, starts[index + 1]);
    if (part.subarray(0, 2).toString() === '\r\n') part = part.subarray(2);
    if (part.subarray(-2).toString() === '\r\n') part = part.subarray(0, -2);
    const end = part.indexOf('\r\n\r\n');
    if (end < 0) throw gcsErrors.invalid('A part of the multipart body has no headers.');
    const headers: Record<string, string> = {};
    for (const line of part.subarray(0, end).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, content: part.subarray(end + 4) });
  }
  const closed =
    starts.length > 0 &&
    body
      .subarray(starts.at(-1)! + delimiter.length)
      .toString()
      .startsWith('--');
  if (parts.length !== 2 || !closed) throw gcsErrors.invalid('A multipart upload has exactly two parts.');
  return {
    metadata: parseJson(parts[0]!.content),
    media: parts[1]!.content,
    mediaType: parts[1]!.headers['content-type'],
  };
}

function fieldsOf(metadata: Record<string, unknown>, contentType: string | undefined): NewObject['fields'] {
  const fields: Record<string, string> = {};
  for (const field of WRITABLE_OBJECT_FIELDS) {
    const value = metadata[field];
    if (typeof value === 'string') fields[field] = value;
  }
  if (!fields.contentType && contentType) fields.contentType = contentType;
  return fields;
}

/** md5Hash and crc32c given in the metadata, and an X-Goog-Hash header, must match the bytes received. */
function checkHashes(bytes: Buffer, metadata: Record<string, unknown>, hashHeader: string | undefined): void {
  const claimed: { md5?: string; crc32c?: string } = {};
  if (typeof metadata.md5Hash === 'string') claimed.md5 = metadata.md5Hash;
  if (typeof metadata.crc32c === 'string') claimed.crc32c = metadata.crc32c;
  for (const pair of (hashHeader ?? '').split(',')) {
    const equals = pair.indexOf('=');
    const kind = pair.slice(0, equals).trim();
    if (kind === 'md5' || kind === 'crc32c') claimed[kind] = pair.slice(equals + 1).trim();
  }
  if (claimed.md5 !== undefined && claimed.md5 !== md5Of(bytes))
    throw gcsErrors.invalid(`Provided MD5 hash "${claimed.md5}" doesn't match calculated MD5 hash "${md5Of(bytes)}".`);
  if (claimed.crc32c !== undefined && claimed.crc32c !== crc32cOf(bytes))
    throw gcsErrors.invalid(
      `Provided CRC32C "${claimed.crc32c}" doesn't match calculated CRC32C "${crc32cOf(bytes)}".`,
    );
}

function objectName(query: URLSearchParams, metadata: Record<string, unknown>): string {
  const name = query.get('name') ?? (typeof metadata.name === 'string' ? metadata.name : undefined);
  if (!name) throw gcsErrors.required();
  return name;
}

function store(
  context: UploadContext,
  bucket: string,
  name: string,
  upload: NewObject,
  preconditions: URLSearchParams,
): StoredObject {
  writableBucket(context.store, bucket);
  checkPreconditions(context.store.bucket(bucket).objects.get(name), preconditions);
  return context.store.put(bucket, name, upload);
}

/** POST /upload/storage/v1/b/{bucket}/o?uploadType=... */
export function insertObject(
  context: UploadContext,
  bucket: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Answer {
  writableBucket(context.store, bucket);
  const uploadType = query.get('uploadType');
  const hashHeader = headers['x-goog-hash'] as string | undefined;
  if (uploadType === 'media') {
    const name = objectName(query, {});
    checkHashes(body, {}, hashHeader);
    const fields = fieldsOf({}, headers['content-type']);
    const stored = store(context, bucket, name, { bytes: body, fields }, query);
    return jsonAnswer(200, objectResource(context.endpoint, stored));
  }
  if (uploadType === 'multipart') {
    const { metadata, media, mediaType } = parseMultipart(body, headers['content-type']);
    const name = objectName(query, metadata);
    checkHashes(media, metadata, hashHeader);
    const upload: NewObject = {
      bytes: media,
      fields: fieldsOf(metadata, mediaType),
      metadata: metadata.metadata as Record<string, unknown> | undefined,
    };
    return jsonAnswer(200, objectResource(context.endpoint, store(context, bucket, name, upload, query)));
  }
  if (uploadType === 'resumable') {
    const metadata = parseJson(body);
    const name = objectName(query, metadata);
    checkPreconditions(context.store.bucket(bucket).objects.get(name), query);
    const declared = headers['x-upload-content-length'];
    const id = randomBytes(16).toString('hex');
    const preconditions = new URLSearchParams();
    for (const [key, value] of query) if (key.startsWith('if')) preconditions.set(key, value);
    context.sessions.set(id, {
      id,
      bucket,
      name,
      metadata,
      contentType: (headers['x-upload-content-type'] as string | undefined) ?? undefined,
      declaredLength: declared === undefined ? undefined : Number(declared),
      preconditions,
      chunks: [],
      received: 0,
      done: undefined,
    });
    const session = new URLSearchParams({ uploadType: 'resumable', name, upload_id: id });
    return {
      status: 200,
      headers: {
        location: `${context.endpoint}/upload/storage/v1/b/${bucket}/o?${session}`,
        'x-guploader-uploadid': id,
        'content-length': '0',
      },
    };
  }
  throw gcsErrors.invalid(uploadType === null ? NO_UPLOAD_TYPE : `Invalid upload type: ${uploadType}`);
}

/** A status request (`bytes *` then the total) has no first byte: it carries no bytes. */
type ContentRange =
  | { readonly first: undefined; readonly total: number | '*' }
  | { readonly first: number; readonly last: number | '*'; readonly total: number | '*' };

function parseContentRange(header: string | undefined, bodyLength: number): ContentRange {
  if (header === undefined) return { first: 0, last: '*', total: bodyLength };
  const match = /^bytes (?:\*|(\d+)-(\d+|\*))\/(\*|\d+)$/.exec(header.trim());
  if (!match) throw gcsErrors.invalid(`Invalid Content-Range: ${header}`);
  const total = match[3] === '*' ? '*' : Number(match[3]);
  if (match[1] === undefined) return { first: undefined, total };
  return { first: Number(match[1]), last: match[2] === '*' ? '*' : Number(match[2]), total };
}

function incomplete(session: UploadSession): Answer {
  // 308 without a body; Range says what was persisted, and is absent when nothing was.
  const headers: Record<string, string> = { 'content-length': '0', 'x-guploader-uploadid': session.id };
  if (session.received > 0) headers.range = `bytes=0-${session.received - 1}`;
  return { status: 308, headers };
}

function complete(context: UploadContext, session: UploadSession, hashHeader: string | undefined): Answer {
  const bytes = Buffer.concat(session.chunks);
  checkHashes(bytes, session.metadata, hashHeader);
  const upload: NewObject = {
    bytes,
    fields: fieldsOf(session.metadata, session.contentType),
    metadata: session.metadata.metadata as Record<string, unknown> | undefined,
  };
  session.done = store(context, session.bucket, session.name, upload, session.preconditions);
  session.chunks.length = 0;
  return jsonAnswer(200, objectResource(context.endpoint, session.done));
}

/** PUT {session URI}: bytes of the upload, or `Content-Range: bytes *\/...` to ask what was persisted. */
export function putToSession(context: UploadContext, id: string, headers: IncomingHttpHeaders, body: Buffer): Answer {
  const session = context.sessions.get(id);
  if (!session) throw gcsErrors.noSuchUpload();
  // A finished session answers with the object again, as real sessions do for a retried last request.
  if (session.done) return jsonAnswer(200, objectResource(context.endpoint, session.done));
  const range = parseContentRange(headers['content-range'] as string | undefined, body.length);
  const hashHeader = headers['x-goog-hash'] as string | undefined;
  if (range.first === undefined) {
    if (body.length > 0) throw gcsErrors.invalid('A status request (Content-Range: bytes */...) has no body.');
    if (range.total !== '*' && range.total === session.received) return complete(context, session, hashHeader);
    return incomplete(session);
  }
  if (range.last !== '*' && range.last - range.first + 1 !== body.length)
    throw gcsErrors.invalid(`Content-Range ${headers['content-range']} does not match the ${body.length} bytes sent.`);
  if (headers['content-range'] === undefined) {
    // A PUT without Content-Range is the whole object.
    session.chunks.length = 0;
    session.received = 0;
  }
  if (range.first > session.received)
    throw gcsErrors.invalid(`The chunk starts at byte ${range.first}; only ${session.received} were persisted.`);
  const fresh = body.subarray(Math.min(body.length, session.received - range.first));
  session.chunks.push(Buffer.from(fresh));
  session.received += fresh.length;
  const total = range.total === '*' ? (range.last === '*' ? session.received : session.declaredLength) : range.total;
  if (total !== undefined && session.received > total)
    throw gcsErrors.invalid(`The upload has ${session.received} bytes, more than its declared ${total}.`);
  if (total !== undefined && session.received === total) return complete(context, session, hashHeader);
  return incomplete(session);
}

/** DELETE {session URI}: the upload is abandoned; real Cloud Storage answers 499. */
export function cancelSession(context: UploadContext, id: string): Answer {
  if (!context.sessions.delete(id)) throw gcsErrors.noSuchUpload();
  return { status: 499, headers: { 'content-length': '0' } };
}

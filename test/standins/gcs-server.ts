// A Cloud Storage stand-in: the JSON API v1 as @google-cloud/storage uses it, on 127.0.0.1 and a free port, with
// buckets and objects in memory (gcs-store.ts), the three upload types (gcs-uploads.ts) and the API's own errors
// (gcs-errors.ts). What it implements and what it does not: test/standins/README.md, "Cloud Storage stand-in".

import { once } from 'node:events';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestContext } from 'vitest';
import { defer } from '../support/cleanup.js';
import { GcsError, gcsErrors } from './gcs-errors.js';
import { bucketResource, checkPreconditions, GcsStore, objectResource, type StoredObject } from './gcs-store.js';
import {
  cancelSession,
  insertObject,
  jsonAnswer,
  putToSession,
  type Answer,
  type UploadContext,
  type UploadSession,
} from './gcs-uploads.js';

export type { StoredObject } from './gcs-store.js';

/**
 * - 429: rateLimitExceeded; 500 and 503: backendError. The client retries all three, on calls it deems idempotent.
 * - drop: the connection is destroyed once the request has arrived, before anything is done.
 * - drop-after: the request is carried out (an object stored, deleted), then the connection is destroyed.
 * - delay: the request is carried out at once and answered `delayMs` later.
 */
export type GcsFaultKind = 429 | 500 | 503 | 'drop' | 'drop-after' | 'delay';

/** Which requests a rule applies to; every field given must match. */
export interface GcsRequestMatch {
  readonly method?: string;
  /** The path as sent, without the query (object names stay encoded: `/storage/v1/b/bkt/o/a%2Fb.txt`). */
  readonly path?: string | RegExp;
}

export interface GcsFaultRule extends GcsRequestMatch {
  readonly kind: GcsFaultKind;
  /** How many matching requests get the fault (default 1; Infinity: all of them until clearFaults()). */
  readonly times?: number;
  readonly delayMs?: number;
}

/** A request as it reached the stand-in. */
export interface GcsRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<IncomingHttpHeaders>;
  readonly bodyLength: number;
  readonly fault: GcsFaultKind | undefined;
  /** The status answered; undefined while in progress or when the connection was dropped. */
  readonly status: number | undefined;
}

export interface GcsServerOptions {
  /** Every request must carry `Authorization: Bearer <requireToken>` (401 otherwise), but a resumable session's. */
  readonly requireToken?: string;
}

export interface PutObjectOptions {
  readonly contentType?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface GcsServer {
  /** http://127.0.0.1:PORT: the client's apiEndpoint. */
  readonly endpoint: string;
  /** A bucket; `writable: false` refuses every change to it with 403 forbidden, as for a reader's credentials. */
  createBucket(name: string, options?: { readonly writable?: boolean }): void;
  setWritable(bucket: string, writable: boolean): void;
  /** The bucket's objects, by name. */
  objects(bucket: string): readonly StoredObject[];
  object(bucket: string, name: string): StoredObject | undefined;
  putObject(bucket: string, name: string, bytes: Buffer | string, options?: PutObjectOptions): StoredObject;
  /**
   * Flips a bit of the stored bytes and keeps the md5Hash and crc32c of the original, as a corruption at rest or in
   * transit would: a download that validates must fail.
   */
  corruptObject(bucket: string, name: string): void;
  inject(rule: GcsFaultRule): void;
  clearFaults(): void;
  /** Every request so far (or those that match), in order of arrival, faulted or not. */
  requests(match?: GcsRequestMatch): readonly GcsRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

interface ActiveRule {
  readonly rule: GcsFaultRule;
  remaining: number;
}

function matches(match: GcsRequestMatch, request: { method: string; path: string }): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== request.method) return false;
  if (typeof match.path === 'string' && match.path !== request.path) return false;
  if (match.path instanceof RegExp && !match.path.test(request.path)) return false;
  return true;
}

function errorAnswer(error: GcsError): Answer {
  return jsonAnswer(error.status, error.payload(), { ...error.headers });
}

const FAULT_ERRORS = { 429: gcsErrors.rateLimited, 500: gcsErrors.internal, 503: gcsErrors.unavailable };

/** The path's segments after the API's prefix, decoded; `/` inside an object name must come as %2F. */
interface Route {
  readonly family: 'json' | 'upload' | 'download';
  readonly segments: readonly string[];
}

function routeOf(path: string): Route | undefined {
  const raw = path.split('/').slice(1);
  let family: Route['family'];
  let rest: string[];
  if (raw[0] === 'upload' && raw[1] === 'storage' && raw[2] === 'v1') [family, rest] = ['upload', raw.slice(3)];
  else if (raw[0] === 'download' && raw[1] === 'storage' && raw[2] === 'v1')
    [family, rest] = ['download', raw.slice(3)];
  else if (raw[0] === 'storage' && raw[1] === 'v1') [family, rest] = ['json', raw.slice(2)];
  // STORAGE_EMULATOR_HOST makes the client send JSON API calls to {host}/b/... with no /storage/v1.
  else if (raw[0] === 'b') [family, rest] = ['json', raw];
  else return undefined;
  try {
    return { family, segments: rest.map((segment) => decodeURIComponent(segment)) };
  } catch {
    throw gcsErrors.invalid(`Invalid escape in the path: ${path}`);
  }
}

function integerParameter(query: URLSearchParams, name: string): number | undefined {
  const given = query.get(name);
  if (given === null || given === '') return undefined;
  if (!/^\d+$/.test(given)) throw gcsErrors.invalid(`Invalid value for ${name}: ${given}`);
  return Number(given);
}

function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/** GET ...?alt=media: the bytes, whole or the one range asked, with the headers the client validates against. */
function download(stored: StoredObject, headers: IncomingHttpHeaders): Answer {
  const size = stored.bytes.length;
  const common: Record<string, string> = {
    'content-type': stored.fields.contentType,
    'x-goog-hash': `crc32c=${stored.crc32c},md5=${stored.md5Hash}`,
    'x-goog-generation': stored.generation,
    'x-goog-metageneration': stored.metageneration,
    'x-goog-stored-content-encoding': stored.fields.contentEncoding ?? 'identity',
    'x-goog-stored-content-length': String(size),
    'x-goog-storage-class': 'STANDARD',
    'accept-ranges': 'bytes',
    'last-modified': httpDate(stored.updated),
    etag: `"${Buffer.from(stored.md5Hash, 'base64').toString('hex')}"`,
  };
  if (stored.fields.contentEncoding) common['content-encoding'] = stored.fields.contentEncoding;
  if (stored.fields.cacheControl) common['cache-control'] = stored.fields.cacheControl;
  if (stored.fields.contentDisposition) common['content-disposition'] = stored.fields.contentDisposition;
  if (stored.fields.contentLanguage) common['content-language'] = stored.fields.contentLanguage;
  const range = /^bytes=(\d*)-(\d*)$/.exec(String(headers.range ?? '').trim());
  if (!range || size === 0 || (range[1] === '' && range[2] === ''))
    return { status: 200, headers: common, body: stored.bytes };
  let first: number;
  let last: number;
  if (range[1] === '') {
    first = Math.max(0, size - Number(range[2]));
    last = size - 1;
  } else {
    first = Number(range[1]);
    last = range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
  }
  if (first >= size || last < first) {
    const error = gcsErrors.rangeNotSatisfiable();
    return jsonAnswer(416, error.payload(), { 'content-range': `bytes */${size}` });
  }
  return {
    status: 206,
    headers: { ...common, 'content-range': `bytes ${first}-${last}/${size}` },
    body: stored.bytes.subarray(first, last + 1),
  };
}

function parsePatch(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw gcsErrors.invalid('The request body is not a JSON object.');
}

/** Starts the stand-in; close() it when the test ends (or use gcsServerFor). */
export async function startGcsServer(options: GcsServerOptions = {}): Promise<GcsServer> {
  const store = new GcsStore();
  const sessions = new Map<string, UploadSession>();
  let rules: ActiveRule[] = [];
  let seen: { -readonly [key in keyof GcsRequest]: GcsRequest[key] }[] = [];
  const closing = new AbortController();
  let endpoint = '';
  const context = (): UploadContext => ({ store, endpoint, sessions });

  const take = (request: { method: string; path: string }): GcsFaultRule | undefined => {
    const active = rules.find((candidate) => candidate.remaining > 0 && matches(candidate.rule, request));
    if (!active) return undefined;
    active.remaining -= 1;
    return active.rule;
  };

  const authorize = (headers: IncomingHttpHeaders): void => {
    if (options.requireToken === undefined) return;
    const given = headers.authorization;
    if (given === undefined) throw gcsErrors.loginRequired();
    if (given !== `Bearer ${options.requireToken}`) throw gcsErrors.invalidCredentials();
  };

  function objectMethod(
    method: string,
    bucket: string,
    name: string,
    query: URLSearchParams,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Answer {
    const current = (): StoredObject => liveObject(bucket, name, query);
    if (method === 'GET') {
      const alt = query.get('alt') ?? 'json';
      if (alt === 'media') return download(current(), headers);
      if (alt !== 'json') throw gcsErrors.invalid(`Invalid value for alt: ${alt}`);
      return jsonAnswer(200, objectResource(endpoint, current()));
    }
    if (method === 'DELETE') {
      if (!store.bucket(bucket).writable) throw gcsErrors.forbidden('storage.objects.delete');
      current();
      store.delete(bucket, name);
      return { status: 204 };
    }
    if (method === 'PATCH') {
      if (!store.bucket(bucket).writable) throw gcsErrors.forbidden('storage.objects.update');
      return jsonAnswer(200, objectResource(endpoint, store.patch(current(), parsePatch(body))));
    }
    throw gcsErrors.notImplemented(`${method} on an object (objects.update)`);
  }

  function jsonApi(
    method: string,
    segments: readonly string[],
    query: URLSearchParams,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Answer {
    const [b, bucket, o, name, ...more] = segments;
    if (b !== 'b') throw gcsErrors.notFound();
    if (bucket === undefined) {
      if (method === 'POST') {
        if (!query.get('project')) throw gcsErrors.required();
        const given = parsePatch(body);
        if (typeof given.name !== 'string') throw gcsErrors.required();
        return jsonAnswer(200, bucketResource(endpoint, store.createBucket(given.name)));
      }
      if (method === 'GET') {
        if (!query.get('project')) throw gcsErrors.required();
        const items = [...store.buckets.values()].map((stored) => bucketResource(endpoint, stored));
        return jsonAnswer(200, { kind: 'storage#buckets', ...(items.length ? { items } : {}) });
      }
      throw gcsErrors.notFound();
    }
    if (o === undefined) {
      if (method === 'GET') return jsonAnswer(200, bucketResource(endpoint, store.bucket(bucket)));
      if (method === 'DELETE') {
        const stored = store.bucket(bucket);
        if (!stored.writable) throw gcsErrors.forbidden('storage.buckets.delete');
        if (stored.objects.size > 0)
          throw new GcsError(409, {
            domain: 'global',
            reason: 'conflict',
            message: 'The bucket you tried to delete is not empty.',
          });
        store.buckets.delete(bucket);
        return { status: 204 };
      }
      throw gcsErrors.notImplemented(`${method} on a bucket`);
    }
    if (o !== 'o') throw gcsErrors.notFound();
    if (name === undefined) {
      if (method !== 'GET') throw gcsErrors.notImplemented(`${method} on /b/{bucket}/o outside the upload path`);
      if (query.get('versions') === 'true') throw gcsErrors.notImplemented('versions=true (object versioning)');
      if (query.has('matchGlob')) throw gcsErrors.notImplemented('matchGlob');
      const maxResults = integerParameter(query, 'maxResults');
      const page = store.list(bucket, {
        prefix: query.get('prefix') ?? '',
        delimiter: query.get('delimiter') || undefined,
        includeTrailingDelimiter: query.get('includeTrailingDelimiter') === 'true',
        startOffset: query.get('startOffset') ?? undefined,
        endOffset: query.get('endOffset') ?? undefined,
        // At most 1,000 a page, as documented; maxResults=0 is taken as no limit given (not confirmed).
        maxResults: Math.min(1000, maxResults || 1000),
        pageToken: query.get('pageToken') || undefined,
      });
      return jsonAnswer(200, {
        kind: 'storage#objects',
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
        ...(page.prefixes.length ? { prefixes: page.prefixes } : {}),
        ...(page.items.length ? { items: page.items.map((item) => objectResource(endpoint, item)) } : {}),
      });
    }
    if (more.length > 0) {
      if (['copyTo', 'rewriteTo', 'compose', 'acl'].includes(more[0]!)) throw gcsErrors.notImplemented(more[0]!);
      throw gcsErrors.notFound();
    }
    return objectMethod(method, bucket, name, query, headers, body);
  }

  function route(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Answer {
    const found = routeOf(path);
    if (!found) throw gcsErrors.notFound();
    const [b, bucket, o, name, ...more] = found.segments;
    const objectPath = b === 'b' && bucket !== undefined && o === 'o';
    if (found.family === 'upload') {
      if (!objectPath || name !== undefined) throw gcsErrors.notFound();
      const session = query.get('upload_id');
      // A session URI is its own credential: the chunks need no Authorization header.
      if (session !== null && method === 'PUT') return putToSession(context(), session, headers, body);
      if (session !== null && method === 'DELETE') return cancelSession(context(), session);
      authorize(headers);
      if (method !== 'POST') throw gcsErrors.notFound();
      return insertObject(context(), bucket, query, headers, body);
    }
    authorize(headers);
    if (found.family === 'download') {
      if (!objectPath || name === undefined || more.length > 0 || method !== 'GET') throw gcsErrors.notFound();
      return download(liveObject(bucket, name, query), headers);
    }
    return jsonApi(method, found.segments, query, headers, body);
  }

  /** The object as it is now, if the query's generation and preconditions allow. */
  function liveObject(bucket: string, name: string, query: URLSearchParams): StoredObject {
    const stored = store.object(bucket, name);
    const generation = query.get('generation');
    // Only the live generation is kept: an older one is as missing as a deleted object.
    if (generation !== null && generation !== stored.generation) throw gcsErrors.noSuchObject(bucket, name);
    checkPreconditions(stored, query);
    return stored;
  }

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(incoming.url ?? '/', 'http://stand-in');
    const method = (incoming.method ?? 'GET').toUpperCase();
    const record: (typeof seen)[number] = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...incoming.headers },
      bodyLength: body.length,
      fault: undefined,
      status: undefined,
    };
    seen.push(record);
    const rule = take(record);
    record.fault = rule?.kind;
    let answer: Answer;
    if (rule?.kind === 'drop') return void incoming.socket.destroy();
    if (rule?.kind === 429 || rule?.kind === 500 || rule?.kind === 503) answer = errorAnswer(FAULT_ERRORS[rule.kind]());
    else {
      try {
        answer = route(method, url.pathname, url.searchParams, incoming.headers, body);
      } catch (error) {
        if (!(error instanceof GcsError)) throw error;
        answer = errorAnswer(error);
      }
    }
    if (rule?.kind === 'drop-after') return void incoming.socket.destroy();
    if (rule?.kind === 'delay') await sleep(rule.delayMs ?? 0, undefined, { signal: closing.signal });
    const payload = answer.body === undefined ? Buffer.alloc(0) : Buffer.from(answer.body);
    const headers: Record<string, string> = { ...answer.headers };
    if (answer.status !== 204 && answer.status !== 304) headers['content-length'] = String(payload.length);
    outgoing.writeHead(answer.status, headers);
    outgoing.end(method === 'HEAD' ? undefined : payload);
    record.status = answer.status;
  }

  const server = http.createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      if (outgoing.headersSent || incoming.socket.destroyed) return void incoming.socket.destroy();
      // A bug in the stand-in: say so in the API's layout, with the cause, rather than hang the client.
      const failure = gcsErrors.internal();
      outgoing.writeHead(500, { 'content-type': 'application/json; charset=UTF-8' });
      outgoing.end(JSON.stringify({ error: { ...failure.payload().error, standInFailure: String(error) } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    createBucket: (name, { writable = true } = {}) => void store.createBucket(name, writable),
    setWritable: (bucket, writable) => {
      const stored = store.bucket(bucket);
      store.buckets.set(bucket, { ...stored, writable });
    },
    objects: (bucket) =>
      [...store.bucket(bucket).objects.values()].sort((a, b) =>
        Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)),
      ),
    object: (bucket, name) => store.bucket(bucket).objects.get(name),
    putObject: (bucket, name, bytes, { contentType, metadata } = {}) =>
      store.put(bucket, name, {
        bytes: Buffer.from(bytes),
        metadata,
        fields: contentType === undefined ? {} : { contentType },
      }),
    corruptObject: (bucket, name) => {
      const stored = store.object(bucket, name);
      if (stored.bytes.length === 0) throw new Error(`${bucket}/${name} is empty: there is no byte to corrupt`);
      const bytes = Buffer.from(stored.bytes);
      bytes[0] = bytes[0]! ^ 1;
      store.bucket(bucket).objects.set(name, { ...stored, bytes });
    },
    inject: (rule) => void rules.push({ rule, remaining: rule.times ?? 1 }),
    clearFaults: () => {
      rules = [];
    },
    requests: (match = {}) => seen.filter((request) => matches(match, request)),
    clearRequests: () => {
      seen = [];
    },
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A stand-in of the test's own, closed when the test ends. */
export async function gcsServerFor(t: TestContext, options: GcsServerOptions = {}): Promise<GcsServer> {
  const server = await startGcsServer(options);
  defer(t, () => server.close());
  return server;
}

import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AxiosRequestConfig, AxiosResponse } from 'axios';
import { InternalError, ProviderError } from '../../src/base/errors.js';
import { networkTimeoutMs } from '../../src/backend/network-deadline.js';
import type { BackendContext } from '../../src/backend/training-backend.js';
import { shownUrl } from '../../src/util/shown-url.js';
import { clean, rescaleError } from './rescale-errors.js';
import { isLoopbackPlatform, rescaleApiKey, type RescalePlatform } from './rescale-platform.js';
import { pause, retryDecision, type RetryRule } from './rescale-retry.js';
import { axiosSdk, fileForm } from './rescale-sdk.js';

/** Query parameters; undefined ones are left out. */
export type RescaleParams = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Rescale's REST API v2 on one platform, with the user's key (`Authorization: Token <key>`). Every request has the
 * network deadline (DLRUN_NETWORK_TIMEOUT_MS: to connect, and then between pieces of the answer) and is retried as
 * rescale-retry.ts says. Answers are untrusted: page shapes are checked here, and callers check the fields they use.
 * Bodies come back as parsed JSON, typed by the caller's `T` but not yet checked.
 */
export interface RescaleClient {
  readonly platform: RescalePlatform;
  get<T>(path: string, params?: RescaleParams): Promise<T>;
  /** A POST that does nothing twice if sent twice (a stop): waited out on 429, never resent after a 5xx. */
  post<T>(path: string, body?: unknown): Promise<T>;
  /** A POST that must reach Rescale at most once (create, submit): never resent, whatever the failure. */
  postOnce<T>(path: string, body?: unknown): Promise<T>;
  /** A DELETE; a 404 after an attempt that got no answer counts as done (that attempt may have deleted it). */
  delete(path: string): Promise<void>;
  /** A multipart/form-data POST of `localFile`, field `file`, named `fileName`, streamed from disk. */
  upload<T>(path: string, fileName: string, localFile: string): Promise<T>;
  /** The body of a GET streamed to `toFile` (written whole or not at all); resolves with the bytes written. */
  download(path: string, toFile: string): Promise<number>;
  /** Every item of a paged list, following its `next` links; `pageSize` asks for that many a page. */
  listAll<T>(path: string, params?: RescaleParams, options?: { readonly pageSize?: number }): Promise<T[]>;
  /** Requests sent so far, retries included (for the benchmarks and tests). */
  requestsMade(): number;
}

/** Items a page when the caller does not say: 100 rather than Rescale's default 25 [S], for fewer round trips. */
export const DEFAULT_PAGE_SIZE = 100;
/** A list longer than this many pages is a server sending `next` links in a loop. */
const MAX_PAGES = 10_000;
const MAX_REDIRECTS = 5;
/** The most of a JSON answer read: far more than any Rescale page, far less than memory. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** The most of an error body read from a download, for its message. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Paths under /api/v2/ ending with a slash, of plain segments: Django REST framework redirects a path without its
 * slash (and a POST body is lost on the way), and no segment may be `..` or carry a query (providers.md, 5.1).
 */
const API_PATH = /^\/api\/v2\/(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*\/)+$/;

export function rescaleClient(platform: RescalePlatform, context: BackendContext): RescaleClient {
  const key = rescaleApiKey(context.env, platform);
  const timeoutMs = networkTimeoutMs(context.env);
  const origin = new URL(platform.url).origin;
  let sent = 0;

  /**
   * One request, sent again as `rule` allows. `send(attempt)` makes one attempt and throws axios's errors (or
   * Node's, from a stream); they leave here as RescaleApiErrors naming `label`.
   */
  async function attempts<R>(label: string, rule: RetryRule, send: (attempt: number) => Promise<R>): Promise<R> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await send(attempt);
      } catch (error) {
        if (error instanceof ProviderError || error instanceof InternalError) throw error;
        const decision = retryDecision(error, attempt, rule);
        if (decision.waitMs === undefined) {
          throw rescaleError(
            error,
            label,
            { platform, timeoutMs, attempts: attempt },
            {
              ...(decision.retryAfterMs !== undefined ? { retryAfterMs: decision.retryAfterMs } : {}),
            },
          );
        }
        await pause(decision.waitMs, context.signal);
      }
    }
  }

  /** One attempt's axios settings; `withKey` false for a host other than the platform (a signed storage URL). */
  function config(extra: AxiosRequestConfig, withKey = true): AxiosRequestConfig {
    sent += 1;
    return {
      timeout: timeoutMs,
      // A timeout as ETIMEDOUT rather than ECONNABORTED, which also means other things.
      transitional: { clarifyTimeoutError: true },
      // Redirects are followed by hand (download) or refused: the key must not follow one to another host.
      maxRedirects: 0,
      maxContentLength: MAX_JSON_BYTES,
      // A stand-in on this machine is reached directly, whatever HTTP_PROXY says (no proxy can reach it).
      ...(typeof extra.url === 'string' && isLoopbackPlatform(extra.url) ? { proxy: false as const } : {}),
      ...(context.signal ? { signal: context.signal } : {}),
      ...extra,
      headers: withKey ? { Accept: 'application/json', Authorization: `Token ${key}` } : { Accept: '*/*' },
    };
  }

  async function json<T>(method: string, url: string, label: string, rule: RetryRule, data?: unknown): Promise<T> {
    const response = await attempts(label, rule, async () =>
      axiosSdk().request<string>(config({ method, url, data, responseType: 'text' })),
    );
    return parsed<T>(response, label);
  }

  function parsed<T>(response: AxiosResponse<string>, label: string): T {
    const text = typeof response.data === 'string' ? response.data : '';
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderError(`${label}: Rescale's answer is not JSON (${clean(text.slice(0, 80))})`, 'NOT_JSON', {
        hint: `check that ${platform.url} is a Rescale platform`,
      });
    }
  }

  function urlOf(path: string, params: RescaleParams = {}): string {
    return rescaleUrl(platform, path, params);
  }

  const client: RescaleClient = {
    platform,
    // async, so that a bad path rejects like every other failure rather than throwing where the call is made.
    get: async (path, params) => json('GET', urlOf(path, params), `GET ${path}`, 'idempotent'),
    post: async (path, body) => json('POST', urlOf(path), `POST ${path}`, 'throttled', body),
    postOnce: async (path, body) => json('POST', urlOf(path), `POST ${path}`, 'never', body),

    async delete(path) {
      const url = urlOf(path);
      await attempts(`DELETE ${path}`, 'idempotent', async (attempt) => {
        try {
          await axiosSdk().request(config({ method: 'DELETE', url, responseType: 'text' }));
        } catch (error) {
          const status = (error as { response?: { status?: number } }).response?.status;
          // A retry follows an attempt that got no answer or a 5xx, and that attempt may have deleted it.
          if (status === 404 && attempt > 1) return;
          throw error;
        }
      });
    },

    async upload<T>(path: string, fileName: string, localFile: string) {
      const url = urlOf(path);
      const label = `POST ${path}`;
      const response = await attempts(label, 'throttled', async () => {
        const form = await fileForm(localFile, fileName);
        return axiosSdk().request<string>(
          config({ method: 'POST', url, data: form, responseType: 'text', maxBodyLength: Number.POSITIVE_INFINITY }),
        );
      });
      return parsed<T>(response, label);
    },

    async download(path, toFile) {
      const first = urlOf(path);
      const part = `${toFile}.part`;
      try {
        const bytes = await attempts(`GET ${path}`, 'idempotent', () => downloadOnce(first, part));
        await rename(part, toFile);
        return bytes;
      } finally {
        await rm(part, { force: true });
      }
    },

    async listAll<T>(path: string, params: RescaleParams = {}, options: { readonly pageSize?: number } = {}) {
      const items: T[] = [];
      const seen = new Set<string>();
      let url = urlOf(path, { ...params, page_size: options.pageSize ?? DEFAULT_PAGE_SIZE });
      for (let page = 1; ; page += 1) {
        const label = `GET ${path}${page > 1 ? ` (page ${page})` : ''}`;
        const body = await json<unknown>('GET', url, label, 'idempotent');
        const { results, next } = pageOf<T>(body, label);
        items.push(...results);
        if (next === null) return items;
        url = nextUrl(next, label);
        if (seen.has(url) || page >= MAX_PAGES) {
          throw new ProviderError(`${label}: Rescale's pages link back to one already read`, 'PAGE_LOOP', {
            hint: 'try again; if it persists, the platform is answering wrongly',
          });
        }
        seen.add(url);
      }
    },

    requestsMade: () => sent,
  };
  return client;

  /**
   * One attempt of a download: redirects followed by hand, the Authorization header sent only to the platform's own
   * origin (a signed storage URL carries its own authority: providers.md, 5.2), every hop https (or loopback http).
   */
  async function downloadOnce(first: string, part: string): Promise<number> {
    let url = first;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const own = new URL(url).origin === origin;
      let response: AxiosResponse<Readable>;
      try {
        response = await axiosSdk().request<Readable>(
          config(
            {
              method: 'GET',
              url,
              responseType: 'stream',
              validateStatus: (status) => status >= 200 && status < 400,
              maxContentLength: -1,
            },
            own,
          ),
        );
      } catch (error) {
        await readErrorBody(error);
        throw error;
      }
      if (response.status >= 300) {
        response.data.destroy();
        const location = response.headers.location;
        if (typeof location !== 'string' || location === '') {
          throw new ProviderError(`GET ${pathOf(first)}: Rescale redirected without saying where`, 'BAD_REDIRECT');
        }
        url = redirectUrl(location, url, first);
        continue;
      }
      let bytes = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(response.data, idleDeadline(timeoutMs), counter, createWriteStream(part));
      return bytes;
    }
    throw new ProviderError(`GET ${pathOf(first)}: more than ${MAX_REDIRECTS} redirects`, 'TOO_MANY_REDIRECTS');
  }

  function redirectUrl(location: string, from: string, first: string): string {
    let target: URL;
    try {
      target = new URL(location, from);
    } catch {
      throw new ProviderError(
        `GET ${pathOf(first)}: Rescale redirected to something that is not a URL`,
        'BAD_REDIRECT',
      );
    }
    const loopbackHttp = target.protocol === 'http:' && isLoopbackPlatform(target.origin);
    if (target.protocol !== 'https:' && !loopbackHttp) {
      throw new ProviderError(
        `GET ${pathOf(first)}: Rescale redirected the download to ` +
          `${clean(shownUrl(target.origin))}, which is not https`,
        'INSECURE_REDIRECT',
      );
    }
    return target.href;
  }

  /**
   * A `next` link: an absolute URL (or a path) on the platform's own origin only. The key goes with it, so a next
   * link to another host (a compromised or misconfigured server) is refused, never followed.
   */
  function nextUrl(next: string, label: string): string {
    let url: URL;
    try {
      url = new URL(next, origin);
    } catch {
      throw new ProviderError(`${label}: Rescale's next-page link is not a URL`, 'BAD_NEXT_LINK');
    }
    if (url.origin !== origin || !url.pathname.startsWith('/api/')) {
      throw new ProviderError(
        `${label}: Rescale's next-page link points at ${clean(shownUrl(url.origin + url.pathname))}, not at ` +
          `${platform.url}/api/; dlrun does not send the API key elsewhere`,
        'FOREIGN_NEXT_LINK',
        { hint: `check that ${platform.url} is a Rescale platform` },
      );
    }
    return url.href;
  }
}

/** A page of a Rescale list: `{count, next, previous, results[]}`; a bare array is one page with no next. */
function pageOf<T>(body: unknown, label: string): { results: T[]; next: string | null } {
  if (Array.isArray(body)) return { results: body as T[], next: null };
  const page = body as { results?: unknown; next?: unknown } | null;
  const next = page?.next;
  if (
    typeof page !== 'object' ||
    page === null ||
    !Array.isArray(page.results) ||
    (next != null && typeof next !== 'string')
  ) {
    throw new ProviderError(`${label}: Rescale's answer is not a page of results`, 'BAD_PAGE', {
      hint: 'try again; if it persists, the platform is answering wrongly',
    });
  }
  return { results: page.results as T[], next: typeof next === 'string' && next !== '' ? next : null };
}

/** A stream that fails with ETIMEDOUT when no data passes for `ms`: the deadline of a download, between chunks. */
function idleDeadline(ms: number): Transform {
  let timer: NodeJS.Timeout | undefined;
  const stream = new Transform({
    transform(chunk, _encoding, done) {
      arm();
      done(null, chunk);
    },
    flush(done) {
      clearTimeout(timer);
      done();
    },
    destroy(error, done) {
      clearTimeout(timer);
      done(error);
    },
  });
  function arm(): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stream.destroy(Object.assign(new Error(`timeout: no data for ${ms} ms`), { code: 'ETIMEDOUT' }));
    }, ms);
  }
  arm();
  return stream;
}

/** A failed download's answer is a stream: read (a little of) it, so the message can say what Rescale said. */
async function readErrorBody(error: unknown): Promise<void> {
  const response = (error as { response?: { data?: unknown } }).response;
  const stream = response?.data as Readable | undefined;
  if (!stream || typeof stream.on !== 'function') return;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      chunks.push(buffer);
      size += buffer.length;
      if (size >= MAX_ERROR_BODY_BYTES) break;
    }
  } catch {
    // What was read is enough.
  }
  stream.destroy();
  (response as { data?: unknown }).data = Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES).toString('utf8');
}

/**
 * The URL of an API path on a platform, with its query: what the client requests, and what `submit --dry-run` can
 * print. The path is checked (API_PATH): anything else is a bug in dlrun.
 */
export function rescaleUrl(platform: RescalePlatform, path: string, params: RescaleParams = {}): string {
  assertApiPath(path);
  const url = new URL(path, new URL(platform.url).origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url.href;
}

function assertApiPath(path: string): void {
  if (!API_PATH.test(path)) {
    throw new InternalError(
      `Rescale API path ${JSON.stringify(path)} is not under /api/v2/, ends without a slash or has an odd segment`,
    );
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '?';
  }
}

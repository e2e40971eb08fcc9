/**
 * The answers of the Rescale stand-in that are not a resource: Django REST framework's error bodies (Rescale's API is
 * DRF [V]), the injected faults, and Django's own HTML pages. [S] the DRF words are those of DRF's source; whether
 * Rescale changed any of them is [U].
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Answer {
  readonly status: number;
  readonly body: Buffer | string;
  readonly headers: Record<string, string>;
  /** A file to stream as the body instead (a download). */
  readonly file?: string;
}

export const json = (status: number, body: Json, headers: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', vary: 'Accept', ...headers },
});

/** An error a handler throws, answered as JSON (`{"detail": ...}` or DRF's field -> messages map). */
export class RescaleError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body !== null && 'detail' in body ? String(body.detail) : JSON.stringify(body));
  }

  answer(): Answer {
    return json(this.status, this.body, this.headers);
  }
}

/** DRF's NotFound for an id that names nothing (`get_object_or_404`) [S]. */
export const notFound = (): RescaleError => new RescaleError(404, { detail: 'Not found.' });

/** DRF's words for the two ways of failing TokenAuthentication [S]; `WWW-Authenticate: Token` makes them 401s. */
export const NO_CREDENTIALS = 'Authentication credentials were not provided.';
export const INVALID_TOKEN = 'Invalid token.';
export const unauthenticated = (detail: string): RescaleError =>
  new RescaleError(401, { detail }, { 'www-authenticate': 'Token' });

export const methodNotAllowed = (method: string, allowed: readonly string[]): RescaleError =>
  new RescaleError(405, { detail: `Method "${method}" not allowed.` }, { allow: allowed.join(', ') });

/** A 400 with DRF's ValidationError layout: field -> list of messages (nested for nested serializers). */
export const invalid = (errors: Json): RescaleError => new RescaleError(400, errors);

/** A refusal of an action in the job's present state: 400 with a detail. [U] the code and the words. */
export const refused = (detail: string): RescaleError => new RescaleError(400, { detail });

/** Django's production pages (DEBUG off) [S]: a path no URL pattern matches, and an unhandled exception. */
export const htmlNotFound = (): Answer => ({
  status: 404,
  body:
    '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1>' +
    '<p>The requested resource was not found on this server.</p>\n</body>\n</html>\n',
  headers: { 'content-type': 'text/html; charset=utf-8' },
});

/**
 * The injected faults. 429 is DRF's Throttled [S] (`Retry-After` in whole seconds, and the same figure in the text);
 * 500 is Django's production page; 502 and 503 are what a load balancer in front gives ([U] Rescale's own pages).
 */
export function faultAnswer(kind: 429 | 500 | 502 | 503, retryAfterSeconds = 1): Answer {
  if (kind === 429) {
    const wait = Math.max(0, Math.ceil(retryAfterSeconds));
    return json(
      429,
      { detail: `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.` },
      { 'retry-after': String(wait) },
    );
  }
  const text = {
    500:
      '<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n' +
      '  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n',
    502:
      '<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n' +
      '</body>\n</html>\n',
    503:
      '<html>\n<head><title>503 Service Temporarily Unavailable</title></head>\n<body>\n' +
      '<center><h1>503 Service Temporarily Unavailable</h1></center>\n</body>\n</html>\n',
  }[kind];
  return { status: kind, body: text, headers: { 'content-type': 'text/html; charset=utf-8' } };
}

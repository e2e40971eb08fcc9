// The Cloud Storage JSON API's error answers, as the stand-in (gcs-server.ts) sends them.
//
// The layout is the JSON API's own ({"error":{"code","message","errors":[{"domain","reason","message",...}]}}),
// confirmed with the reasons required, forbidden, notFound and conflict on
// https://cloud.google.com/storage/docs/json_api/v1/status-codes. The messages of the other errors, and the exact
// messages of 403 and 404 on real buckets, are recalled from real answers and not confirmed: tests must assert the
// status and the reason, never a message's wording.

export interface GcsErrorDetail {
  readonly domain: string;
  readonly reason: string;
  readonly message: string;
  readonly locationType?: string;
  readonly location?: string;
}

/** A failure a handler throws; the server answers it with `status` and the JSON API error body. */
export class GcsError extends Error {
  readonly status: number;
  readonly detail: GcsErrorDetail;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, detail: GcsErrorDetail, headers: Record<string, string> = {}) {
    super(detail.message);
    this.status = status;
    this.detail = detail;
    this.headers = headers;
  }

  /** The answer's body: {"error":{"code","message","errors":[...]}}. */
  payload(): { error: { code: number; message: string; errors: GcsErrorDetail[] } } {
    return { error: { code: this.status, message: this.detail.message, errors: [this.detail] } };
  }
}

const global = (reason: string, message: string, extra: Partial<GcsErrorDetail> = {}): GcsErrorDetail => ({
  domain: 'global',
  reason,
  message,
  ...extra,
});

export const gcsErrors = {
  /** 400: a request the API refuses as malformed (a bad upload, an unknown uploadType, a bad page token). */
  invalid: (message: string): GcsError => new GcsError(400, global('invalid', message)),
  /** 401 without an Authorization header (the documented example: "Login Required", reason required). */
  loginRequired: (): GcsError =>
    new GcsError(401, global('required', 'Login Required', { locationType: 'header', location: 'Authorization' }), {
      'www-authenticate': 'Bearer realm="https://accounts.google.com/"',
    }),
  /** 401 for a token the API does not accept. */
  invalidCredentials: (): GcsError =>
    new GcsError(
      401,
      global('authError', 'Invalid Credentials', { locationType: 'header', location: 'Authorization' }),
      { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    ),
  /** 403: the caller may not do this to this bucket (a bucket the test made read-only). */
  forbidden: (permission: string): GcsError =>
    new GcsError(
      403,
      global(
        'forbidden',
        `stand-in-caller does not have ${permission} access to the Google Cloud Storage object. ` +
          `Permission '${permission}' denied on resource (or it may not exist).`,
      ),
    ),
  noSuchBucket: (): GcsError => new GcsError(404, global('notFound', 'The specified bucket does not exist.')),
  noSuchObject: (bucket: string, name: string): GcsError =>
    new GcsError(404, global('notFound', `No such object: ${bucket}/${name}`)),
  /** 404 for a path the JSON API has no method at. */
  notFound: (): GcsError => new GcsError(404, global('notFound', 'Not Found')),
  noSuchUpload: (): GcsError => new GcsError(404, global('notFound', 'No such upload session.')),
  bucketExists: (): GcsError =>
    new GcsError(409, global('conflict', 'You already own this bucket. Please select another name.')),
  conditionNotMet: (location: string): GcsError =>
    new GcsError(
      412,
      global('conditionNotMet', 'At least one of the pre-conditions you specified did not hold.', {
        locationType: 'header',
        location,
      }),
    ),
  rangeNotSatisfiable: (): GcsError =>
    new GcsError(416, global('requestedRangeNotSatisfiable', 'The requested range cannot be satisfied.')),
  /** 429, as injected: rate limiting, which the client retries. */
  rateLimited: (): GcsError =>
    new GcsError(429, {
      domain: 'usageLimits',
      reason: 'rateLimitExceeded',
      message: 'The rate of change requests to the object exceeds the rate limit. Please reduce the rate.',
    }),
  internal: (): GcsError =>
    new GcsError(500, global('backendError', 'We encountered an internal error. Please try again.')),
  unavailable: (): GcsError =>
    new GcsError(503, global('backendError', 'We encountered an internal error. Please try again.')),
  /** 400 for a missing required parameter (an upload without an object name). */
  required: (): GcsError => new GcsError(400, global('required', 'Required')),
  /**
   * 501: a real method or parameter the stand-in does not implement (copy, rewrite, versions, matchGlob...). Real
   * Cloud Storage would do something; the stand-in says plainly that it does not, rather than do something else.
   */
  notImplemented: (what: string): GcsError =>
    new GcsError(501, global('notImplemented', `The Cloud Storage stand-in does not implement ${what}.`)),
};

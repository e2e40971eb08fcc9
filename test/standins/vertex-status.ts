/**
 * google.rpc.Status, as Google's REST front end sends it for Vertex AI: the HTTP status in `code`, the google.rpc.Code
 * name in `status` ([V] https://cloud.google.com/apis/design/errors, "HTTP mapping").
 */

/** google.rpc.Code: the numbers used in a CustomJob's `error` field (a google.rpc.Status). */
export const RPC_CODES = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type RpcStatusName = keyof typeof RPC_CODES;

/** The HTTP status each google.rpc.Code is sent with ([V] google/rpc/code.proto comments). */
const HTTP_STATUS: Record<RpcStatusName, number> = {
  OK: 200,
  CANCELLED: 499,
  UNKNOWN: 500,
  INVALID_ARGUMENT: 400,
  DEADLINE_EXCEEDED: 504,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  ABORTED: 409,
  OUT_OF_RANGE: 400,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DATA_LOSS: 500,
  UNAUTHENTICATED: 401,
};

/** One entry of google.rpc.Status.details: an Any, so it carries its type URL. */
export type StatusDetail = { readonly '@type': string } & Record<string, unknown>;

/** A CustomJob's `error`: google.rpc.Status with the rpc code number. */
export interface RpcStatus {
  readonly code: number;
  readonly message: string;
  readonly details?: readonly StatusDetail[];
}

/** The body of a REST error answer. */
export interface ErrorBody {
  readonly error: { code: number; message: string; status: RpcStatusName; details?: StatusDetail[] };
}

/** An error a route throws; the server sends it in the google.rpc.Status layout. */
export class VertexError extends Error {
  readonly httpStatus: number;
  constructor(
    readonly status: RpcStatusName,
    message: string,
    readonly details: StatusDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.httpStatus = HTTP_STATUS[status];
  }

  body(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.httpStatus, message: this.message, status: this.status };
    if (this.details.length > 0) error.details = this.details;
    return { error };
  }
}

/** One field a request got wrong, for google.rpc.BadRequest. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

export function badRequest(message: string, violations: readonly FieldViolation[]): VertexError {
  return new VertexError('INVALID_ARGUMENT', message, [
    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations.map((v) => ({ ...v })) },
  ]);
}

/** google.rpc.ErrorInfo, as Google front ends attach it to quota and availability errors ([S]). */
export function errorInfo(reason: string, metadata: Record<string, string> = {}): StatusDetail {
  return {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason,
    domain: 'googleapis.com',
    metadata: { service: 'aiplatform.googleapis.com', ...metadata },
  };
}

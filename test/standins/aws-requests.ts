import type { IncomingHttpHeaders } from 'node:http';

/** What a request to an AWS endpoint asks for, read the way the service itself reads it. */
export interface AwsRequest {
  /** The signing name from the SigV4 credential scope (ec2, s3, sts, ce, ssm, servicequotas), when signed. */
  readonly service: string | undefined;
  /** The API action (RunInstances, GetCostAndUsage), or "METHOD /path" for S3's REST calls, which name none. */
  readonly action: string;
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
}

const SCOPE = /\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;

export function describeAwsRequest(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): AwsRequest {
  const parsed = new URL(url, 'http://stand-in');
  // Presigned URLs carry the credential scope in the query instead of the Authorization header.
  const scope =
    SCOPE.exec(String(headers.authorization ?? '')) ?? SCOPE.exec(parsed.searchParams.get('X-Amz-Credential') ?? '');
  const target = headers['x-amz-target'];
  let action: string | undefined;
  if (typeof target === 'string') action = target.slice(target.lastIndexOf('.') + 1);
  else if (String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    action = new URLSearchParams(body.toString('utf8')).get('Action') ?? undefined;
  }
  return { service: scope?.[1], action: action ?? `${method} ${parsed.pathname}`, method, path: parsed.pathname };
}

/** The failures the fault proxy answers with, by what they mean rather than by each protocol's code for it. */
export type AwsErrorKind = 'throttle' | 'unavailable' | 'internal-error' | 'unauthorized';

interface AwsError {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

type Protocol = 'ec2' | 'query' | 'json' | 'rest-xml';

// Each protocol's codes for the same failures, as the SDK's retry strategy classifies them ('unauthorized' is final).
const CODES: Record<Protocol, Record<AwsErrorKind, readonly [number, string]>> = {
  ec2: {
    throttle: [503, 'RequestLimitExceeded'],
    unavailable: [503, 'Unavailable'],
    'internal-error': [500, 'InternalError'],
    unauthorized: [403, 'UnauthorizedOperation'],
  },
  query: {
    throttle: [400, 'Throttling'],
    unavailable: [503, 'ServiceUnavailable'],
    'internal-error': [500, 'InternalFailure'],
    unauthorized: [403, 'AccessDenied'],
  },
  json: {
    throttle: [400, 'ThrottlingException'],
    unavailable: [503, 'ServiceUnavailableException'],
    'internal-error': [500, 'InternalFailure'],
    unauthorized: [400, 'AccessDeniedException'],
  },
  'rest-xml': {
    throttle: [503, 'SlowDown'],
    unavailable: [503, 'ServiceUnavailable'],
    'internal-error': [500, 'InternalError'],
    unauthorized: [403, 'AccessDenied'],
  },
};

function protocolOf(request: AwsRequest, headers: IncomingHttpHeaders): Protocol {
  if (request.service === 'ec2') return 'ec2';
  if (headers['x-amz-target'] !== undefined) return 'json';
  if (!request.action.includes(' ')) return 'query';
  return 'rest-xml';
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** An error body in EC2's XML layout; `message` goes in as given (escape it first if it may hold markup). */
function ec2ErrorXml(code: string, message: string, requestId: string): string {
  return (
    `${XML_DECLARATION}<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors>` +
    `<RequestID>${requestId}</RequestID></Response>`
  );
}

/** The error answer the real service gives, in the body layout its protocol uses (EC2's differs from STS's). */
export function awsErrorAnswer(
  kind: AwsErrorKind,
  request: AwsRequest,
  headers: IncomingHttpHeaders,
  requestId: string,
): AwsError {
  const protocol = protocolOf(request, headers);
  const [status, code] = CODES[protocol][kind];
  const message = `${code} injected by the fault proxy`;
  const codeAndMessage = `<Code>${code}</Code><Message>${message}</Message>`;
  switch (protocol) {
    case 'ec2':
      return {
        status,
        contentType: 'text/xml;charset=UTF-8',
        body: ec2ErrorXml(code, message, requestId),
      };
    case 'query':
      return {
        status,
        contentType: 'text/xml',
        body:
          `${XML_DECLARATION}<ErrorResponse><Error><Type>Receiver</Type>${codeAndMessage}</Error>` +
          `<RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'json':
      return { status, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: code, message }) };
    case 'rest-xml':
      return {
        status,
        contentType: 'application/xml',
        body: `${XML_DECLARATION}<Error>${codeAndMessage}<RequestId>${requestId}</RequestId></Error>`,
      };
  }
}

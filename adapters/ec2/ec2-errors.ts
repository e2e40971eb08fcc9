import { ProviderError } from '../../src/base/errors.js';
import { NetworkFailure } from './ec2-deadlines.js';

interface AwsErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly Code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/**
 * What the user can do about each AWS error dlrun meets
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
 */
const KNOWN: Readonly<Record<string, { message: string; hint?: string; retryable?: boolean }>> = {
  RequestLimitExceeded: {
    message: 'EC2 is throttling requests (RequestLimitExceeded)',
    hint: 'try again in a minute',
    retryable: true,
  },
  Throttling: { message: 'AWS is throttling requests', hint: 'try again in a minute', retryable: true },
  InsufficientInstanceCapacity: {
    message: 'EC2 has no capacity for this instance type in this zone right now',
    hint: 'try again later, another region or zone (backends.ec2.subnet), or another instance type',
    retryable: true,
  },
  VcpuLimitExceeded: {
    message:
      "your account's vCPU quota for this instance family is too small " +
      '(new accounts often have 0 for G and P instances)',
    hint: "'dlrun check --backend ec2' shows the quota; ask AWS for an increase in the Service Quotas console",
  },
  InstanceLimitExceeded: {
    message: "your account's instance limit is reached",
    hint: 'ask AWS for an increase in the Service Quotas console',
  },
  UnauthorizedOperation: {
    message: 'your AWS credentials may not do this',
    hint: "'dlrun check --backend ec2' shows which permissions are missing",
  },
  AuthFailure: {
    message: 'AWS rejected the credentials',
    hint: 'check the access key and secret (aws configure, AWS_PROFILE, or the environment)',
  },
  InvalidClientTokenId: {
    message: 'AWS does not know this access key',
    hint: 'check AWS_ACCESS_KEY_ID or the profile in use',
  },
  SignatureDoesNotMatch: {
    message: 'the AWS secret access key does not match the access key',
    hint: 'check AWS_SECRET_ACCESS_KEY or the profile in use',
  },
  ExpiredToken: {
    message: 'the AWS session credentials have expired',
    hint: 'refresh them (aws sso login, or your usual way) and try again',
  },
  Unsupported: {
    message: 'this instance type is not offered in this zone',
    hint: 'pick another subnet or zone, or another instance type',
  },
  'InvalidAMIID.NotFound': {
    message: 'the AMI does not exist in this region',
    hint: 'AMI ids are per region: check backends.ec2.image and the region',
  },
  'InvalidAMIID.Malformed': { message: 'the AMI id is malformed', hint: 'check backends.ec2.image' },
  IdempotentParameterMismatch: {
    message: 'EC2 saw this launch before with other settings',
    hint: 'submit the job again (it gets a new id)',
  },
  InvalidParameterValue: { message: 'EC2 refused a setting of this launch' },
  InvalidParameterCombination: { message: 'EC2 refused a combination of settings of this launch' },
  CredentialsProviderError: {
    message: 'no AWS credentials were found',
    hint: 'run aws configure, set AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (.env works too)',
  },
  NoSuchBucket: { message: 'the S3 bucket does not exist', hint: 'check backends.ec2.bucket' },
  AccessDenied: {
    message: 'AWS denied access',
    hint: "'dlrun check --backend ec2' shows which permissions are missing",
  },
};
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TimeoutError',
  'RequestTimeout',
]);

/** An AWS SDK error as a ProviderError with what to do; the provider's own code is kept beside it. */
export function awsError(error: unknown, doing: string): unknown {
  // A request that got no answer says which endpoint and operation (ec2-deadlines.ts); this adds what dlrun was doing.
  if (error instanceof NetworkFailure)
    return new ProviderError(`${doing}: ${error.message}`, error.providerCode, {
      retryable: true,
      ...(error.hint ? { hint: error.hint } : {}),
      cause: error,
    });
  if (error instanceof ProviderError) return error;
  const shape = (error ?? {}) as AwsErrorShape;
  const code = shape.Code ?? shape.name ?? shape.code;
  if (code === undefined) return error;
  const known = KNOWN[code] ?? (code.startsWith('InvalidAMIID') ? KNOWN['InvalidAMIID.NotFound'] : undefined);
  if (known) {
    return new ProviderError(
      `${doing}: ${known.message} ` +
        `(${code}${shape.message && shape.message !== code ? `: ${firstLine(shape.message)}` : ''})`,
      code,
      {
        retryable: known.retryable ?? false,
        ...(known.hint ? { hint: known.hint } : {}),
        cause: error,
      },
    );
  }
  if (NETWORK.has(code) || /socket hang up|ECONNRESET|ECONNREFUSED/.test(shape.message ?? '')) {
    return new ProviderError(`${doing}: AWS could not be reached (${code})`, code, {
      retryable: true,
      hint: 'check the network (and AWS_ENDPOINT_URL, if set)',
      cause: error,
    });
  }
  const status = shape.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500)
    return new ProviderError(`${doing}: AWS answered ${status} (${code})`, code, { retryable: true, cause: error });
  if (status !== undefined && status >= 400)
    return new ProviderError(`${doing}: ${firstLine(shape.message ?? code)} (${code})`, code, { cause: error });
  return error;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}

/** Run an AWS call, turning its errors into ProviderErrors that say what dlrun was doing. */
export async function aws<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw awsError(error, doing);
  }
}

/** The pause before retry `attempt` (1, 2, ...): exponential from `baseMs`, with jitter so that retries spread out. */
export function backoffMs(attempt: number, baseMs: number): number {
  return baseMs * 2 ** attempt * (0.5 + Math.random());
}

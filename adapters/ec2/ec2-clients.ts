import type { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { BackendContext } from '../../src/backend/training-backend.js';
import { ec2RegionOf } from './aws-region.js';
import { configuredEndpoint, type AwsService } from './ec2-endpoints.js';
import { deadlineSettings, withDeadlines, type DeadlineSettings } from './ec2-deadlines.js';
import { awsSdk } from './ec2-sdk.js';

const QUIET = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface Ec2Clients {
  readonly region: string;
  readonly ec2: EC2Client;
  readonly s3: S3Client;
  readonly sts: STSClient;
}

/**
 * SDK clients with the user's usual AWS setup: the default credential chain (environment, profile, SSO, instance
 * role), AWS_PROFILE, the region, and the endpoint each service is configured with (ec2-endpoints.ts; private clouds
 * and tests). What the context holds is what the shell set, plus .env's settings in a folder the user allowed.
 */
export function ec2Clients(region: string | undefined, context: BackendContext, maxAttempts?: number): Ec2Clients {
  const sdk = awsSdk();
  // Made on first use, so that a command needing only EC2 does not load the S3 and STS packages.
  let ec2: EC2Client | undefined;
  let s3: S3Client | undefined;
  let sts: STSClient | undefined;
  return {
    region: ec2RegionOf(region, context.env),
    get ec2() {
      ec2 ??= withDeadlines(new sdk.ec2.EC2Client(clientSettings('EC2', region, context, maxAttempts)), context.env);
      return ec2;
    },
    get s3() {
      // Path-style S3 addressing works with every endpoint, including a loopback stand-in. The SDK's own warnings
      // (a streamed upload it will not retry) go to the console, where they would break dlrun's one-paragraph
      // errors; dlrun says what failed itself.
      const settings = clientSettings('S3', region, context, maxAttempts);
      s3 ??= withDeadlines(
        new sdk.s3.S3Client({ ...settings, logger: QUIET, forcePathStyle: settings.endpoint !== undefined }),
        context.env,
      );
      return s3;
    },
    get sts() {
      sts ??= withDeadlines(new sdk.sts.STSClient(clientSettings('STS', region, context, maxAttempts)), context.env);
      return sts;
    },
  };
}

/**
 * The settings an AWS client of a context gets (EC2, S3, STS here; Service Quotas, Cost Explorer and SSM elsewhere):
 * the region, the service's endpoint as dlrun resolved (and shows) it, the context's profile and keys, and the
 * network deadlines (ec2-deadlines.ts: pass the client to withDeadlines too, for errors that name the endpoint).
 */
export function clientSettings(
  service: AwsService,
  region: string | undefined,
  context: BackendContext,
  maxAttempts?: number,
): { region: string; endpoint?: string; ignoreConfiguredEndpointUrls?: boolean } & DeadlineSettings &
  ReturnType<typeof fromContext> {
  for (const [name, value] of Object.entries(context.env)) {
    if (name.startsWith('AWS_') && value !== undefined && process.env[name] === undefined) process.env[name] = value;
  }
  const resolved = ec2RegionOf(region, context.env);
  const endpoint = configuredEndpoint(service, context);
  // An endpoint dlrun did not resolve is never used: the SDK is told to look for none of its own.
  return {
    region: resolved,
    ...deadlineSettings(context.env, maxAttempts),
    ...(endpoint ? { endpoint: endpoint.url } : { ignoreConfiguredEndpointUrls: true }),
    ...fromContext(context.env),
  };
}

/**
 * The context's own profile and keys win over whatever an earlier context left in process.env (one process can serve
 * several contexts: tests, a long-lived caller); the SDK's default chain does the rest.
 */
function fromContext(env: BackendContext['env']): {
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };
} {
  const profile = env.AWS_PROFILE;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = env.AWS_SESSION_TOKEN;
  // The SDK's own environment provider reads this too: the expiry of keys exported from a session.
  const expiration = env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined;
  return {
    ...(profile && !accessKeyId ? { profile } : {}),
    ...(accessKeyId && secretAccessKey
      ? {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(sessionToken ? { sessionToken } : {}),
            ...(expiration && !Number.isNaN(expiration.getTime()) ? { expiration } : {}),
          },
        }
      : {}),
  };
}

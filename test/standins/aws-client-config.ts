// Tests build SDK clients in their own process too; on Node 20 each test file would print the SDK's Node 22 notice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The dummy credentials moto accepts; real AWS rejects them, so a request that escapes the stand-in fails. */
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;
export const TEST_REGION = 'us-east-1';

export interface AwsClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly forcePathStyle: true;
}

/**
 * Configuration for an AWS SDK v3 client in a test, pointed at a stand-in (moto, or the fault proxy in front of it).
 * Every client accepts it; forcePathStyle matters to S3 only, which otherwise puts the bucket in the host name.
 */
export function awsClientConfig(endpoint: string): AwsClientConfig {
  return { endpoint, region: TEST_REGION, credentials: { ...TEST_CREDENTIALS }, forcePathStyle: true };
}

/**
 * The environment of a child `dlrun` (or any SDK program) that must talk to the stand-in and never to real AWS:
 * AWS_ENDPOINT_URL sends every service to it, the keys come from the environment so no profile is consulted, no
 * shared config or credentials file is read (one could name an endpoint_url or a credential_process), and the
 * credential chain never asks the instance metadata service, which would hang for seconds off EC2.
 */
export function awsEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: TEST_REGION,
    AWS_DEFAULT_REGION: TEST_REGION,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    // Node 20 is still supported; the SDK's notice about Node 22 would only clutter stderr that tests assert on.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

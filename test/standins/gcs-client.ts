// @google-cloud/storage clients for tests, pointed at the Cloud Storage stand-in (gcs-server.ts).

import { Storage, type StorageOptions } from '@google-cloud/storage';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// google-auth-library as @google-cloud/storage loads it: an auth client built from another copy (googleapis brings
// its own, of another major) may be silently ignored, and no Authorization header sent.
const storageRequire = createRequire(require.resolve('@google-cloud/storage'));
const { OAuth2Client } = storageRequire('google-auth-library') as typeof import('google-auth-library');

/** An auth client that sends `Authorization: Bearer <token>`, without looking for credentials anywhere. */
export function bearerTokenClient(token: string): NonNullable<StorageOptions['authClient']> {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return client;
}

export interface TestStorageOptions {
  /** Send this bearer token (useAuthWithCustomEndpoint); without it the client sends no Authorization header. */
  readonly token?: string;
  /** The client's own retries (default: its default, 3). */
  readonly maxRetries?: number;
  /** A deadline for each request, in ms (the client's `timeout`). */
  readonly timeout?: number;
}

/**
 * A Storage client for the stand-in at `endpoint`: apiEndpoint, a project id (so it never asks for one), and retry
 * delays of at most 1 s (the default backoff doubles up to 64 s; 1 s is the least save() accepts, as its
 * async-retry waits at least that long).
 */
export function testStorage(endpoint: string, options: TestStorageOptions = {}): Storage {
  return new Storage({
    apiEndpoint: endpoint,
    projectId: 'test',
    ...(options.token === undefined
      ? {}
      : { useAuthWithCustomEndpoint: true, authClient: bearerTokenClient(options.token) }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    retryOptions: {
      maxRetryDelay: 1,
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    },
  });
}

import { createRequire } from 'node:module';
import type * as AiplatformModule from 'googleapis/build/src/apis/aiplatform/index.js';
import type * as CloudbillingModule from 'googleapis/build/src/apis/cloudbilling/index.js';
import type * as StorageModule from '@google-cloud/storage';
import type * as GoogleAuthLibrary from 'google-auth-library';

/**
 * Google's clients, loaded only when a Vertex AI job needs them: the aiplatform submodule of googleapis (about
 * 350 ms, against 1.7 s for the whole package: environment.md, section 3) and @google-cloud/storage. `require`
 * rather than `import()`, as for the AWS SDK (adapters/ec2/ec2-sdk.ts): both are CommonJS.
 */
const require = createRequire(import.meta.url);

export function aiplatformSdk(): typeof AiplatformModule {
  quietMetadataLookups();
  return require('googleapis/build/src/apis/aiplatform') as typeof AiplatformModule;
}

/** The Cloud Billing API submodule of googleapis (its catalog of SKU prices), for `dlrun prices refresh` only. */
export function cloudbillingSdk(): typeof CloudbillingModule {
  quietMetadataLookups();
  return require('googleapis/build/src/apis/cloudbilling') as typeof CloudbillingModule;
}

export function storageSdk(): typeof StorageModule {
  quietMetadataLookups();
  return require('@google-cloud/storage') as typeof StorageModule;
}

/**
 * google-auth-library as @google-cloud/storage itself loads it. googleapis carries its own copy (another major), and
 * a client of one copy handed to the other is ignored: no Authorization header is sent (environment.md, section 9).
 */
export function storageAuthLibrary(): typeof GoogleAuthLibrary {
  const storageRequire = createRequire(require.resolve('@google-cloud/storage'));
  return storageRequire('google-auth-library') as typeof GoogleAuthLibrary;
}

let quieted = false;

/**
 * gcp-metadata (under google-auth-library) prints a process warning whenever it looks for the metadata server and
 * finds none, which is every run off Google Cloud without other credentials: "MetadataLookupWarning: received
 * unexpected error = All promises were rejected". dlrun says itself what credentials it found or lacks (an error
 * with the fix, or `dlrun check`), so that warning, and only that one, is not printed.
 */
function quietMetadataLookups(): void {
  if (quieted) return;
  quieted = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
    if (type === 'MetadataLookupWarning') return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}

import { openAsBlob } from 'node:fs';
import { createRequire } from 'node:module';
import type * as AxiosModule from 'axios';

/**
 * axios, loaded only when a Rescale request is made: `dlrun --help`, `validate` and the other backends never load
 * it (test/cli/lazy-cloud-sdks.test.ts). `require` rather than `import()`, as for the AWS SDK
 * (adapters/ec2/ec2-sdk.ts): axios's package maps `require` to its CommonJS build for Node.
 */
const require = createRequire(import.meta.url);

export type Axios = AxiosModule.AxiosStatic;

let loaded: Axios | undefined;

export function axiosSdk(): Axios {
  loaded ??= require('axios') as Axios;
  return loaded;
}

/**
 * A multipart/form-data body with one part, field `file` (what POST /api/v2/files/contents/ takes: providers.md,
 * section 5.2), read from disk as it is sent. The file is a Blob backed by the file (fs.openAsBlob), so axios streams
 * it in chunks and knows its length up front (a Content-Length rather than a chunked body, which some servers in
 * front of Django refuse); a workdir archive of gigabytes is never held in memory. Made afresh for each attempt.
 */
export async function fileForm(localFile: string, fileName: string): Promise<FormData> {
  const blob = await openAsBlob(localFile, { type: 'application/octet-stream' });
  const form = new FormData();
  form.append('file', blob, fileName);
  return form;
}

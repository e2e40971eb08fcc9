import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RescaleClient } from './rescale-client.js';

/** An output file of a job, as `GET /api/v2/jobs/{id}/files/` lists it [V]; only the fields dlrun reads. */
export interface RescaleFile {
  readonly id: string;
  readonly name: string;
  /** Where the file sits; its end is the path in the job's work directory [U: its exact form]. */
  readonly path?: string | null;
  readonly decryptedSize?: number | null;
}

/** Where the bootstrap leaves its files in the work directory (templates/bootstrap/rescale-bootstrap.sh). */
export const DLRUN_FILES = {
  log: 'dlrun/output.log',
  markers: 'dlrun/markers',
  result: 'dlrun/result',
  outputs: 'dlrun/outputs.tar.gz',
} as const;

/** The most bytes of a small text file (result, markers) dlrun reads: they are written by the job, untrusted. */
const SMALL_FILE_BYTES = 1024 * 1024;

/** Every output file of a job, every page followed. */
export async function jobFiles(client: RescaleClient, jobId: string): Promise<RescaleFile[]> {
  const listed = await client.listAll<RescaleFile>(`/api/v2/jobs/${encodeURIComponent(jobId)}/files/`);
  return listed.filter((file) => typeof file?.id === 'string' && typeof file?.name === 'string');
}

/** The output file at `relative` in the work directory (`dlrun/result`), matched on its path, else its name. */
export function fileAt(files: readonly RescaleFile[], relative: string): RescaleFile | undefined {
  const byPath = files.find((file) => (file.path ?? '').replace(/\\/g, '/').endsWith(`/${relative}`));
  if (byPath) return byPath;
  const base = path.posix.basename(relative);
  const named = files.filter((file) => file.name === base || file.name === relative);
  return named.length === 1 ? named[0] : undefined;
}

/** A file's bytes, by its API path, through a temporary file (downloads are streamed to disk by the client). */
export async function downloadBytes(client: RescaleClient, apiPath: string): Promise<Buffer> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dlrun-rescale-file-'));
  try {
    const local = path.join(folder, 'file');
    await client.download(apiPath, local);
    return readFileSync(local);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A small text file's content, or undefined when it is larger than `limit` bytes. */
export async function readSmallFile(
  client: RescaleClient,
  file: RescaleFile,
  limit = SMALL_FILE_BYTES,
): Promise<string | undefined> {
  if (typeof file.decryptedSize === 'number' && file.decryptedSize > limit) return undefined;
  const bytes = await downloadBytes(client, `/api/v2/files/${encodeURIComponent(file.id)}/contents/`);
  return bytes.length > limit ? undefined : bytes.toString('utf8');
}

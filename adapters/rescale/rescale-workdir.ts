import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DlrunError, ProviderError } from '../../src/base/errors.js';
import { createWorkdirArchive, workdirContentHash } from '../../src/util/workdir-archive.js';
import type { WorkdirManifest } from '../../src/util/workdir-files.js';
import type { RescaleClient } from './rescale-client.js';

/** An uploaded file as `/api/v2/files/` lists it [V]; only what dlrun reads. */
interface UploadedFile {
  readonly id: string;
  readonly name: string;
  readonly isUploaded?: boolean | null;
}

/** The workdir archive's file name: the hash of what it holds, so an unchanged workdir is found and reused. */
export function workdirFileName(manifest: WorkdirManifest): string {
  return `dlrun-workdir-${workdirContentHash(manifest)}.tar.gz`;
}

/**
 * The workdir as an input file: the file of that name already uploaded (an unchanged workdir), else the archive
 * uploaded now (multipart, field `file`). Resolves with the file's id.
 */
export async function stageRescaleWorkdir(
  client: RescaleClient,
  manifest: WorkdirManifest,
  plannedName: string | null,
): Promise<{ id: string; uploaded: boolean }> {
  const name = workdirFileName(manifest);
  if (plannedName !== null && name !== plannedName) {
    throw new DlrunError(`the workdir ${manifest.root} changed while the job was being submitted`, {
      hint: 'submit the job again once nothing writes to its workdir',
    });
  }
  const existing = await uploadedNamed(client, name);
  if (existing) return { id: existing.id, uploaded: false };
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dlrun-rescale-workdir-'));
  try {
    const archive = path.join(folder, name);
    await createWorkdirArchive(manifest, archive);
    try {
      const file = await client.upload<UploadedFile>('/api/v2/files/contents/', name, archive);
      return { id: file.id, uploaded: true };
    } catch (error) {
      // An upload whose answer was lost (a dropped connection, a 5xx) may have stored the file all the same: the
      // client never sends it twice, so look for it by name before failing the submit (before, the submit failed
      // and only a re-run found the file).
      if (!(error instanceof ProviderError) || !error.isRetryable) throw error;
      const stored = await uploadedNamed(client, name);
      if (stored) return { id: stored.id, uploaded: true };
      throw error;
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The uploaded file of that name, if there is one. */
async function uploadedNamed(client: RescaleClient, name: string): Promise<UploadedFile | undefined> {
  return (await client.listAll<UploadedFile>('/api/v2/files/', { search: name })).find(
    (file) => file?.name === name && file.isUploaded !== false && typeof file.id === 'string',
  );
}

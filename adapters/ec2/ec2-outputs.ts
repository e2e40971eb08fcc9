import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DlrunError } from '../../src/base/errors.js';
import type { BackendContext, JobHandle, PulledOutputs } from '../../src/backend/training-backend.js';
import { copyTreeInto } from '../../src/util/copy-tree.js';
import { ec2Clients } from './ec2-clients.js';
import { decodeEc2Details } from './ec2-details.js';
import { aws } from './ec2-errors.js';
import { nodeKeys } from './ec2-names.js';
import { awsSdk } from './ec2-sdk.js';

/**
 * Fetch the outputs node 0 uploaded (a tar.gz of its outputs folder) and unpack them into `destination`. The archive
 * comes from the machine, so it is untrusted: it is unpacked into a private folder first (tar refuses entries that
 * would land outside it, or go through a link), and copied from there without following links (copy-tree.ts).
 */
export async function pullEc2Outputs(
  handle: JobHandle,
  destination: string,
  context: BackendContext,
): Promise<PulledOutputs> {
  const details = decodeEc2Details(handle.details, context);
  const { s3 } = ec2Clients(details.region, context);
  const key = nodeKeys(context.ledgerId, handle.jobId, 0).outputs;
  const { s3: sdk } = awsSdk();
  let bytes: Uint8Array | undefined;
  try {
    const answer = await s3.send(new sdk.GetObjectCommand({ Bucket: details.bucket, Key: key }));
    bytes = await answer.Body?.transformToByteArray();
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey')
      throw new DlrunError(`job ${handle.jobId} has uploaded no outputs (yet)`, {
        hint: 'the machine uploads its outputs folder when the job ends',
      });
    await aws(`reading s3://${details.bucket}/${key}`, () => Promise.reject(error));
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dlrun-outputs-'));
  try {
    const archive = path.join(folder, 'outputs.tar.gz');
    const unpacked = path.join(folder, 'outputs');
    mkdirSync(unpacked);
    writeFileSync(archive, bytes ?? new Uint8Array());
    const { extract } = await import('tar');
    const refused: string[] = [];
    await extract({
      file: archive,
      cwd: unpacked,
      onwarn: (code, message, data) => {
        // Notes such as "stripping / from absolute paths": the entry is unpacked inside.
        if (code === 'TAR_ENTRY_INFO') return;
        const entry = (data as { entry?: { path?: string } } | undefined)?.entry?.path;
        refused.push(`${entry ?? 'an entry of the archive'} (${message})`);
      },
    });
    const copied = copyTreeInto(unpacked, destination);
    const skipped = [...refused, ...copied.skipped];
    return { files: copied.files, bytes: copied.bytes, ...(skipped.length ? { skipped } : {}) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

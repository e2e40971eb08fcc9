import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DlrunError } from '../../src/base/errors.js';
import type { BackendContext, JobHandle, PulledOutputs } from '../../src/backend/training-backend.js';
import { pullOutputsArchive } from '../../src/util/unpack-outputs.js';
import { ec2Clients } from './ec2-clients.js';
import { decodeEc2Details } from './ec2-details.js';
import { aws } from './ec2-errors.js';
import { nodeKeys } from './ec2-names.js';
import { awsSdk } from './ec2-sdk.js';

/**
 * Fetch the outputs node 0 uploaded (a tar.gz of its outputs folder), streamed to a temporary file, and unpack them
 * into `destination` as src/util/unpack-outputs.ts does for every backend (the archive is untrusted).
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
  let body: Readable | undefined;
  try {
    const answer = await s3.send(new sdk.GetObjectCommand({ Bucket: details.bucket, Key: key }));
    body = answer.Body as Readable | undefined;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey')
      throw new DlrunError(`job ${handle.jobId} has uploaded no outputs (yet)`, {
        hint: 'the machine uploads its outputs folder when the job ends',
      });
    await aws(`reading s3://${details.bucket}/${key}`, () => Promise.reject(error));
  }
  return pullOutputsArchive(
    (archive) =>
      aws(`reading s3://${details.bucket}/${key}`, () =>
        pipeline(body ?? Readable.from([]), createWriteStream(archive, { mode: 0o600 })),
      ),
    destination,
  );
}

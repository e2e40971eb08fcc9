/**
 * A file's upload to S3: one PUT while it is small, in parts past that (S3 takes at most 5 GiB in one PUT, and a
 * part that fails is sent again alone, not the whole archive). Limits from
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html.
 */
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { DlrunError, ProviderError } from '../../src/base/errors.js';
import type { BackendContext } from '../../src/backend/training-backend.js';
import { aws, backoffMs } from './ec2-errors.js';
import { awsSdk } from './ec2-sdk.js';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
/** The smallest part S3 takes (but the last one). */
export const MIN_PART_BYTES = 5 * MIB;
/** The largest part, and the largest single PUT. */
export const MAX_PART_BYTES = 5 * GIB;
const MAX_PARTS = 10_000;
/** The largest object S3 holds. */
export const MAX_OBJECT_BYTES = 5 * 1024 * GIB;
/**
 * Files past this go up in parts of this size, unless DLRUN_EC2_UPLOAD_PART_BYTES says otherwise: AWS advises
 * parts from 100 MB, and a failed part then costs at most that much again.
 */
export const DEFAULT_PART_BYTES = 100 * MIB;

/** How a file of `bytes` goes up: in one PUT, or in `count` parts of `partBytes` (the last one smaller). */
type UploadPlan =
  | { readonly kind: 'single' }
  | { readonly kind: 'parts'; readonly partBytes: number; readonly count: number };

/** The plan for `bytes`, with parts of at least `partBytes` (larger when 10,000 of them would not hold the file). */
export function uploadPlan(bytes: number, partBytes: number, what: string): UploadPlan {
  if (bytes > MAX_OBJECT_BYTES) {
    throw new DlrunError(`${what} is ${(bytes / GIB).toFixed(1)} GiB; S3 holds at most 5 TiB in one object`, {
      hint: 'leave large data out of the workdir (.dlrunignore) and fetch it in setup from where it lives',
    });
  }
  if (bytes <= partBytes) return { kind: 'single' };
  const size = Math.max(partBytes, Math.ceil(bytes / MAX_PARTS / MIB) * MIB);
  return { kind: 'parts', partBytes: size, count: Math.ceil(bytes / size) };
}

/** DLRUN_EC2_UPLOAD_PART_BYTES when set (5 MiB to 5 GiB, S3's part limits), else the default. */
export function uploadPartBytes(env: BackendContext['env']): number {
  const text = env.DLRUN_EC2_UPLOAD_PART_BYTES;
  if (text === undefined || text.trim() === '') return DEFAULT_PART_BYTES;
  const value = Number(text);
  if (!Number.isInteger(value) || value < MIN_PART_BYTES || value > MAX_PART_BYTES) {
    throw new DlrunError(
      `DLRUN_EC2_UPLOAD_PART_BYTES is '${text}': ` +
        `it must be a whole number of bytes from ${MIN_PART_BYTES} (5 MiB) to ${MAX_PART_BYTES} (5 GiB), ` +
        "S3's limits for a part",
      {
        hint: `unset it for the default (${DEFAULT_PART_BYTES})`,
      },
    );
  }
  return value;
}

/** Attempts of a streamed upload (or of one part), as many as the SDK makes of any other request. */
const UPLOAD_ATTEMPTS = 3;

/**
 * The SDK never retries a request whose body is a stream (it cannot rewind it): `call` opens the file again on each
 * attempt, so a throttled or dropped upload is retried as any other call is.
 */
async function retried<T>(doing: string, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await aws(doing, call);
    } catch (error) {
      if (attempt >= UPLOAD_ATTEMPTS || !(error instanceof ProviderError) || !error.isRetryable) throw error;
      await sleep(backoffMs(attempt, 200));
    }
  }
}

/**
 * Upload `file` (`bytes` long) to s3://bucket/key, in one PUT or in parts as uploadPlan says. A multipart upload
 * that fails is aborted, so that S3 keeps (and bills) no parts of it.
 */
export async function uploadFile(
  s3: S3Client,
  target: { bucket: string; key: string; tagging: string; what: string },
  file: string,
  bytes: number,
  partBytes: number,
): Promise<void> {
  const { s3: sdk } = awsSdk();
  const { bucket, key, tagging, what } = target;
  const plan = uploadPlan(bytes, partBytes, what);
  if (plan.kind === 'single') {
    await retried(`uploading ${what} to s3://${bucket}/${key}`, () =>
      s3.send(
        new sdk.PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: createReadStream(file),
          ContentLength: bytes,
          Tagging: tagging,
        }),
      ),
    );
    return;
  }
  const created = await aws(`starting the upload of ${what} to s3://${bucket}/${key}`, () =>
    s3.send(
      new sdk.CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Tagging: tagging, ChecksumAlgorithm: 'CRC32' }),
    ),
  );
  const uploadId = created.UploadId!;
  try {
    const parts: { PartNumber: number; ETag?: string; ChecksumCRC32?: string }[] = [];
    for (let number = 1; number <= plan.count; number++) {
      const start = (number - 1) * plan.partBytes;
      const end = Math.min(start + plan.partBytes, bytes) - 1;
      const answer = await retried(
        `uploading part ${number} of ${plan.count} of ${what} to s3://${bucket}/${key}`,
        () =>
          s3.send(
            new sdk.UploadPartCommand({
              Bucket: bucket,
              Key: key,
              UploadId: uploadId,
              PartNumber: number,
              Body: createReadStream(file, { start, end }),
              ContentLength: end - start + 1,
              ChecksumAlgorithm: 'CRC32',
            }),
          ),
      );
      parts.push({
        PartNumber: number,
        ETag: answer.ETag,
        ...(answer.ChecksumCRC32 ? { ChecksumCRC32: answer.ChecksumCRC32 } : {}),
      });
    }
    await retried(`completing the upload of ${what} to s3://${bucket}/${key}`, () =>
      s3.send(
        new sdk.CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      ),
    );
  } catch (error) {
    await s3
      .send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .catch(() => undefined);
    throw error;
  }
}

import type { LedgerId } from '../../src/backend/job-id.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { WorkdirManifest } from '../../src/util/workdir-files.js';
import { DlrunError } from '../../src/base/errors.js';
import { createWorkdirArchive, workdirContentHash } from '../../src/util/workdir-archive.js';
import { NetworkFailure } from './ec2-deadlines.js';
import { aws, awsError } from './ec2-errors.js';
import { workdirsPrefix } from './ec2-names.js';
import { bucketRequests, type PresignedMethod, type PutObjectBody, workdirRequest } from './ec2-requests.js';
import { awsSdk } from './ec2-sdk.js';
import { DEFAULT_PART_BYTES, uploadFile } from './ec2-upload.js';

/**
 * SigV4 presigned URLs live at most 7 days
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html).
 */
export const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

export async function ensureBucket(s3: S3Client, bucket: string, region: string, ledgerId: LedgerId): Promise<void> {
  const { s3: sdk } = awsSdk();
  try {
    await s3.send(new sdk.HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404) throw awsError(error, `checking the S3 bucket ${bucket}`);
  }
  const [create, tagging] = bucketRequests(bucket, region, ledgerId);
  await aws(`creating the S3 bucket ${bucket}`, () => s3.send(new sdk.CreateBucketCommand(create.body)));
  await aws(`tagging the S3 bucket ${bucket}`, () => s3.send(new sdk.PutBucketTaggingCommand(tagging.body)));
}

/**
 * The key of the workdir's archive: a hash of what it holds (paths, modes, contents), so an unchanged workdir is
 * found in the bucket and not uploaded again. Worked out when the job is planned, so that the ledger records it
 * before anything is staged, and `dlrun gc` never removes the archive of a job that has not ended.
 */
export function workdirArchiveKey(ledgerId: LedgerId, manifest: WorkdirManifest): string {
  return `${workdirsPrefix(ledgerId)}${workdirContentHash(manifest)}.tar.gz`;
}

/**
 * The workdir as a tar.gz under workdirArchiveKey, uploaded unless it is there already. `plannedKey` is the key the
 * plan (and so the ledger) recorded: a workdir changed since then is refused, as its archive would not be the one
 * recorded.
 */
export async function stageWorkdir(
  s3: S3Client,
  bucket: string,
  ledgerId: LedgerId,
  manifest: WorkdirManifest,
  options: { plannedKey?: string; partBytes?: number } = {},
): Promise<{ key: string; uploaded: boolean; bytes: number }> {
  const { plannedKey, partBytes = DEFAULT_PART_BYTES } = options;
  const key = workdirArchiveKey(ledgerId, manifest);
  if (plannedKey !== undefined && key !== plannedKey) {
    throw new DlrunError(`the workdir ${manifest.root} changed while the job was being submitted`, {
      hint: 'submit the job again once nothing writes to its workdir',
    });
  }
  const { s3: sdk } = awsSdk();
  try {
    await s3.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { key, uploaded: false, bytes: 0 };
  } catch (error) {
    // Not there, or not visible (S3 answers 403 for a missing key to a caller without s3:ListBucket): upload it.
    // No answer at all is for the user to see, not a reason to start a long upload.
    if (error instanceof NetworkFailure) throw awsError(error, `looking for s3://${bucket}/${key}`);
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dlrun-workdir-'));
  try {
    const archive = path.join(folder, 'workdir.tar.gz');
    const bytes = await createWorkdirArchive(manifest, archive);
    const { body } = workdirRequest(bucket, key, ledgerId);
    await uploadFile(
      s3,
      { bucket: body.Bucket, key: body.Key, tagging: body.Tagging, what: 'the workdir' },
      archive,
      bytes,
      partBytes,
    );
    return { key, uploaded: true, bytes };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** An object dlrun writes with a body it holds (ec2-requests.ts builds them). */
export async function putText(s3: S3Client, object: PutObjectBody): Promise<void> {
  const { s3: sdk } = awsSdk();
  await aws(`writing s3://${object.Bucket}/${object.Key}`, () => s3.send(new sdk.PutObjectCommand(object)));
}

/** An object's text, or undefined when it does not exist (yet). */
export async function getText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  const { s3: sdk } = awsSdk();
  try {
    const answer = await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
    return await answer.Body?.transformToString('utf8');
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (
      name === 'NoSuchKey' ||
      name === 'NotFound' ||
      (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
    )
      return undefined;
    throw awsError(error, `reading s3://${bucket}/${key}`);
  }
}

export async function presign(
  s3: S3Client,
  bucket: string,
  key: string,
  method: PresignedMethod,
  expiresIn: number,
): Promise<string> {
  const { s3: sdk, presigner } = awsSdk();
  const command =
    method === 'GET'
      ? new sdk.GetObjectCommand({ Bucket: bucket, Key: key })
      : method === 'PUT'
        ? new sdk.PutObjectCommand({ Bucket: bucket, Key: key })
        : new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key });
  return presigner.getSignedUrl(s3, command, {
    expiresIn: Math.min(Math.max(60, Math.ceil(expiresIn)), MAX_PRESIGNED_SECONDS),
  });
}

import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';
import type { WorkdirManifest } from '../../src/util/workdir-files.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '../../src/backend/errors.js';
import { aws, awsError, backoffMs } from './ec2-errors.js';
import { awsSdk } from './ec2-sdk.js';

/** SigV4 presigned URLs live at most 7 days (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html). */
export const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

/** Where a ledger's objects live in a bucket: under its own prefix, so a shared bucket never mixes two ledgers. */
export function ledgerPrefix(ledgerId: string): string {
  return `dlrun/${ledgerId}/`;
}

export function jobPrefix(ledgerId: string, jobId: string): string {
  return `${ledgerPrefix(ledgerId)}jobs/${jobId}/`;
}

/** The bucket: backends.ec2.bucket, or one dlrun creates and names predictably from the ledger and region. */
export function bucketName(configured: string | undefined, ledgerId: string, region: string): string {
  return configured ?? `dlrun-${ledgerId}-${region}`;
}

export async function ensureBucket(s3: S3Client, bucket: string, region: string, ledgerId: string): Promise<void> {
  const { s3: sdk } = awsSdk();
  try {
    await s3.send(new sdk.HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404) throw awsError(error, `checking the S3 bucket ${bucket}`);
  }
  await aws(`creating the S3 bucket ${bucket}`, () =>
    s3.send(new sdk.CreateBucketCommand({ Bucket: bucket, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) })),
  );
  await aws(`tagging the S3 bucket ${bucket}`, () =>
    s3.send(new sdk.PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: LEDGER_TAG, Value: ledgerId }] } })),
  );
}

/** Tags for an object dlrun uploads itself (the machine's own uploads are found by their key). */
export function objectTagging(jobId: string | undefined, ledgerId: string): string {
  const tags = new URLSearchParams({ [LEDGER_TAG]: ledgerId, ...(jobId ? { [JOB_ID_TAG]: jobId } : {}) });
  return tags.toString();
}

/**
 * The workdir as a tar.gz named by a hash of what it holds (paths, modes, contents), so an unchanged workdir is
 * found in the bucket and not uploaded again.
 */
export async function stageWorkdir(s3: S3Client, bucket: string, ledgerId: string, manifest: WorkdirManifest): Promise<{ key: string; uploaded: boolean; bytes: number }> {
  const hash = createHash('sha256');
  for (const file of manifest.files) {
    const absolute = path.join(manifest.root, file.path);
    hash.update(`${file.path}\0${statSync(absolute, { throwIfNoEntry: false })?.mode ?? 0}\0`);
    hash.update(file.symlink ? `link:${file.path}` : readFileSync(absolute));
  }
  const key = `${ledgerPrefix(ledgerId)}workdirs/${hash.digest('hex')}.tar.gz`;
  const { s3: sdk } = awsSdk();
  try {
    await s3.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { key, uploaded: false, bytes: 0 };
  } catch {
    // Not there yet: upload it.
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dlrun-workdir-'));
  try {
    const archive = path.join(folder, 'workdir.tar.gz');
    const { create } = await import('tar');
    await create({ gzip: true, cwd: manifest.root, file: archive, portable: true, noDirRecurse: true }, manifest.files.map((file) => file.path));
    const bytes = statSync(archive).size;
    // The SDK never retries a request whose body is a stream (it cannot rewind it): each attempt here opens the
    // archive again, so a throttled or dropped upload is retried as any other call is.
    await retried(`uploading the workdir to s3://${bucket}/${key}`, () =>
      s3.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(archive), ContentLength: bytes, Tagging: objectTagging(undefined, ledgerId) })),
    );
    return { key, uploaded: true, bytes };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Attempts of a streamed upload, as many as the SDK makes of any other request. */
const UPLOAD_ATTEMPTS = 3;

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

export async function putText(s3: S3Client, bucket: string, key: string, body: string, tagging: string): Promise<void> {
  const { s3: sdk } = awsSdk();
  await aws(`writing s3://${bucket}/${key}`, () => s3.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Tagging: tagging })));
}

/** An object's text, or undefined when it does not exist (yet). */
export async function getText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  const { s3: sdk } = awsSdk();
  try {
    const answer = await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
    return await answer.Body?.transformToString('utf8');
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw awsError(error, `reading s3://${bucket}/${key}`);
  }
}

export type PresignedMethod = 'GET' | 'PUT' | 'DELETE';

export async function presign(s3: S3Client, bucket: string, key: string, method: PresignedMethod, expiresIn: number): Promise<string> {
  const { s3: sdk, presigner } = awsSdk();
  const command =
    method === 'GET' ? new sdk.GetObjectCommand({ Bucket: bucket, Key: key }) : method === 'PUT' ? new sdk.PutObjectCommand({ Bucket: bucket, Key: key }) : new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key });
  return presigner.getSignedUrl(s3, command, { expiresIn: Math.min(Math.max(60, Math.ceil(expiresIn)), MAX_PRESIGNED_SECONDS) });
}

/**
 * The Vertex AI backend's objects in its staging bucket (`backends.vertex.staging_bucket`, `gs://bucket/prefix`):
 * the workdir's archive, uploaded once per content, and the small text objects of a job (its log, markers, result).
 * Every object carries the labels `dlrun-job-id` and `dlrun-ledger` as object metadata, so that `dlrun gc` can tell
 * whose it is. Uploads go through createResumableUpload() or a single request: @google-cloud/storage 7.22's
 * save() and createWriteStream() open resumable sessions to a custom endpoint without credentials.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Storage } from '@google-cloud/storage';
import type { LedgerId } from '../../src/backend/job-id.js';
import { DlrunError, ProviderError } from '../../src/base/errors.js';
import { createWorkdirArchive, workdirContentHash } from '../../src/util/workdir-archive.js';
import type { WorkdirManifest } from '../../src/util/workdir-files.js';
import { type DeadlineNote, errorStatus, google, googleError } from './vertex-errors.js';

/** Where dlrun's objects go: a bucket and a prefix inside it ('' for the bucket's root, else without slashes). */
export interface StagingLocation {
  readonly bucket: string;
  readonly prefix: string;
}

/** Who staged an object: set as its metadata on every object dlrun writes. */
export interface StagingLabels {
  readonly jobId: string;
  readonly ledgerId: LedgerId;
}

/** Bucket names as Cloud Storage allows them (https://cloud.google.com/storage/docs/buckets#naming). */
const BUCKET_NAME = /^(?=.{3,222}$)[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;

/** `gs://bucket/prefix` (the prefix optional, a trailing slash allowed) as a bucket and a prefix; else an error. */
export function parseStagingBucket(url: string): StagingLocation {
  const hint = "backends.vertex.staging_bucket is a Cloud Storage URL such as 'gs://my-bucket/dlrun'";
  const match = /^gs:\/\/([^/]+)(?:\/(.*))?$/.exec(url.trim());
  if (!match) throw new DlrunError(`the staging bucket '${url}' is not a gs:// URL`, { hint });
  const bucket = match[1] ?? '';
  const prefix = (match[2] ?? '').replace(/\/+$/, '');
  if (!BUCKET_NAME.test(bucket) || bucket.split('.').some((part) => part.length === 0 || part.length > 63)) {
    throw new DlrunError(`'${bucket}' in the staging bucket '${url}' is not a Cloud Storage bucket name`, { hint });
  }
  if (prefix.split('/').some((part) => part === '' || part === '.' || part === '..') && prefix !== '') {
    throw new DlrunError(`the prefix '${prefix}' of the staging bucket '${url}' has an empty, . or .. part`, { hint });
  }
  return { bucket, prefix };
}

/** `gs://bucket/name`, for messages. */
export function gsUrl(location: StagingLocation, name: string): string {
  return `gs://${location.bucket}/${name}`;
}

/** The folder of this ledger's objects: `<prefix>/dlrun/<ledgerId>/`. */
export function ledgerPrefix(location: StagingLocation, ledgerId: LedgerId): string {
  return `${location.prefix === '' ? '' : `${location.prefix}/`}dlrun/${ledgerId}/`;
}

/**
 * The name of the workdir's archive: `<prefix>/dlrun/<ledgerId>/workdirs/<hash>.tar.gz`, the hash of what it holds,
 * so an unchanged workdir is found in the bucket and not uploaded again. Worked out when the job is planned.
 */
export function workdirArchiveName(location: StagingLocation, ledgerId: LedgerId, manifest: WorkdirManifest): string {
  return `${ledgerPrefix(location, ledgerId)}workdirs/${workdirContentHash(manifest)}.tar.gz`;
}

function labelMetadata(labels: StagingLabels): Record<string, string> {
  return { 'dlrun-job-id': labels.jobId, 'dlrun-ledger': labels.ledgerId };
}

/**
 * Before anything is created: the bucket exists, and these credentials may write to it (a small object under the
 * ledger's prefix is written and removed again). Either failing is an error that names the bucket and the fix.
 */
export async function checkStagingBucket(
  storage: Storage,
  location: StagingLocation,
  labels: StagingLabels,
  deadline?: DeadlineNote,
): Promise<void> {
  const bucketUrl = `gs://${location.bucket}`;
  try {
    await storage.bucket(location.bucket).getMetadata();
  } catch (error) {
    if (errorStatus(error) === 404) {
      throw new DlrunError(`the staging bucket ${bucketUrl} does not exist`, {
        hint:
          "create it in the job's region (`gcloud storage buckets create gs://NAME --location REGION`), or fix " +
          'backends.vertex.staging_bucket',
        cause: error,
      });
    }
    // 403: the account may not read the bucket's own metadata (storage.buckets.get), which writing objects does
    // not need (Storage Object Admin on the bucket lacks it); the write check below says whether it may write.
    if (errorStatus(error) !== 403) throw googleError(error, `checking the staging bucket ${bucketUrl}`, deadline);
  }
  const name = `${ledgerPrefix(location, labels.ledgerId)}write-check`;
  const file = storage.bucket(location.bucket).file(name);
  try {
    await file.save(`written by dlrun to check it may write to ${bucketUrl}\n`, {
      resumable: false,
      contentType: 'text/plain',
      metadata: { metadata: labelMetadata(labels) },
    });
  } catch (error) {
    if (errorStatus(error) === 403) {
      throw new ProviderError(`these credentials may not write to the staging bucket ${bucketUrl} (403)`, 'forbidden', {
        hint:
          'grant the account the Storage Object Admin role on the bucket, or name a bucket it may write to in ' +
          'backends.vertex.staging_bucket',
        cause: error,
      });
    }
    throw googleError(error, `writing to the staging bucket ${bucketUrl}`, deadline);
  }
  await google(`removing ${gsUrl(location, name)}`, () => file.delete({ ignoreNotFound: true }), deadline);
}

/**
 * The workdir as a tar.gz under workdirArchiveName, uploaded unless an object of that name is there already.
 * `plannedName` is the name the plan (and so the ledger) recorded: a workdir changed since then is refused.
 */
export async function stageWorkdir(
  storage: Storage,
  location: StagingLocation,
  labels: StagingLabels,
  manifest: WorkdirManifest,
  options: { plannedName?: string; deadline?: DeadlineNote } = {},
): Promise<{ name: string; uploaded: boolean; bytes: number }> {
  const name = workdirArchiveName(location, labels.ledgerId, manifest);
  if (options.plannedName !== undefined && name !== options.plannedName) {
    throw new DlrunError(`the workdir ${manifest.root} changed while the job was being submitted`, {
      hint: 'submit the job again once nothing writes to its workdir',
    });
  }
  const file = storage.bucket(location.bucket).file(name);
  const [exists] = await google(`looking for ${gsUrl(location, name)}`, () => file.exists(), options.deadline);
  if (exists) return { name, uploaded: false, bytes: 0 };
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dlrun-workdir-'));
  try {
    const archive = path.join(folder, 'workdir.tar.gz');
    const bytes = await createWorkdirArchive(manifest, archive);
    const metadata = { contentType: 'application/gzip', metadata: labelMetadata(labels) };
    // Only if absent: the upload may then be retried safely, and a twin that got there first is kept.
    const preconditionOpts = { ifGenerationMatch: 0 };
    try {
      const [uri] = await file.createResumableUpload({ metadata, preconditionOpts });
      await pipeline(
        createReadStream(archive),
        file.createWriteStream({ uri, resumable: true, metadata, preconditionOpts }),
      );
    } catch (error) {
      if (errorStatus(error) === 412) return { name, uploaded: false, bytes: 0 };
      throw googleError(error, `uploading the workdir to ${gsUrl(location, name)}`, options.deadline);
    }
    return { name, uploaded: true, bytes };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A small object dlrun writes with a body it holds (a marker, a script), labelled, in one request. */
export async function putText(
  storage: Storage,
  location: StagingLocation,
  name: string,
  text: string,
  labels: StagingLabels,
  deadline?: DeadlineNote,
): Promise<void> {
  await google(
    `writing ${gsUrl(location, name)}`,
    () =>
      storage
        .bucket(location.bucket)
        .file(name)
        .save(text, {
          resumable: false,
          contentType: 'text/plain; charset=utf-8',
          metadata: { metadata: labelMetadata(labels) },
        }),
    deadline,
  );
}

/** An object's text, or undefined when it does not exist (yet). */
export async function getText(
  storage: Storage,
  location: StagingLocation,
  name: string,
  deadline?: DeadlineNote,
): Promise<string | undefined> {
  try {
    const [bytes] = await storage.bucket(location.bucket).file(name).download();
    return bytes.toString('utf8');
  } catch (error) {
    if (errorStatus(error) === 404) return undefined;
    throw googleError(error, `reading ${gsUrl(location, name)}`, deadline);
  }
}

/**
 * The staged objects `dlrun gc` may collect from a Vertex AI staging bucket: what a job needed only to start (its
 * secrets, which should have been deleted when it ended; a workdir archive no active job uses). What a job produced
 * (its logs, markers, result, outputs) is what the user paid for and is never collected.
 */
import type { GetFilesResponse, Storage } from '@google-cloud/storage';
import { type LedgerId, asJobId } from '../../src/backend/job-id.js';
import type { GarbageItem } from '../../src/backend/training-backend.js';
import { LEDGER_TAG } from '../../src/backend/tags.js';
import { labelValue } from './vertex-custom-job.js';
import { jobObjects } from './vertex-details.js';
import { type DeadlineNote, errorStatus, googleError } from './vertex-errors.js';
import { gsUrl, ledgerPrefix, type StagingLocation } from './vertex-staging.js';

/** The most objects one list page asks for (the JSON API's own maximum). */
const OBJECTS_PAGE_SIZE = 1000;

export interface StagedObject {
  readonly name: string;
  readonly size: number;
  /** The object's own metadata (vertex-staging.ts writes `dlrun-job-id` and `dlrun-ledger`). */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Every object under `prefix`, page by page, with its metadata. A bucket that no longer exists holds none: whatever
 * the jobs staged there went with it.
 */
export async function listStagedObjects(
  storage: Storage,
  location: StagingLocation,
  prefix: string,
  deadline?: DeadlineNote,
): Promise<StagedObject[]> {
  const found: StagedObject[] = [];
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    let page: GetFilesResponse;
    try {
      page = await storage.bucket(location.bucket).getFiles({
        prefix,
        autoPaginate: false,
        maxResults: OBJECTS_PAGE_SIZE,
        ...(token ? { pageToken: token } : {}),
      });
    } catch (error) {
      if (errorStatus(error) === 404) return found;
      throw googleError(error, `listing ${gsUrl(location, prefix)}`, deadline);
    }
    const [files, next] = page;
    for (const file of files) {
      const labels = (file.metadata.metadata ?? {}) as Record<string, unknown>;
      found.push({
        name: file.name,
        size: Number(file.metadata.size ?? 0),
        labels: Object.fromEntries(
          Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
        ),
      });
    }
    pageToken = (next as { pageToken?: string } | null | undefined)?.pageToken || undefined;
  } while (pageToken !== undefined);
  return found;
}

export interface ObjectGarbageInput {
  readonly location: StagingLocation;
  readonly ledgerId: LedgerId;
  readonly activeJobIds: ReadonlySet<string>;
  /**
   * The archives active jobs of this bucket and prefix use (the plan records the name before staging, so a job being
   * submitted is covered); undefined when an active job there does not say which is its own: then none is collected.
   */
  readonly archivesInUse: ReadonlySet<string> | undefined;
}

/** Of the objects under the ledger's prefix, those gc collects: every one labelled with this ledger. */
export function objectGarbage(objects: readonly StagedObject[], input: ObjectGarbageInput): GarbageItem[] {
  const { location, ledgerId } = input;
  const folder = ledgerPrefix(location, ledgerId);
  const ours = new Set([ledgerId, labelValue(ledgerId)]);
  const items: GarbageItem[] = [];
  for (const object of objects) {
    if (!object.name.startsWith(folder)) continue;
    const label = object.labels[LEDGER_TAG];
    // Only what this ledger staged: a colleague's ledger under the same prefix, or an object someone else put
    // there, is never touched.
    if (label === undefined || !ours.has(label)) continue;
    const rest = object.name.slice(folder.length);
    const secrets = /^jobs\/([^/]+)\/secrets\.json$/.exec(rest);
    if (secrets) {
      const jobId = asJobId(secrets[1]!);
      if (input.activeJobIds.has(jobId) || jobObjects(location, ledgerId, jobId).secrets !== object.name) continue;
      items.push({
        kind: 'object',
        id: object.name,
        jobId,
        description: `${gsUrl(location, object.name)} (${object.size} bytes, the secrets of a job that has ended)`,
        location: location.bucket,
      });
      continue;
    }
    if (/^workdirs\/[^/]+\.tar\.gz$/.test(rest) && input.archivesInUse && !input.archivesInUse.has(object.name)) {
      items.push({
        kind: 'object',
        id: object.name,
        jobId: null,
        description: `${gsUrl(location, object.name)} (${object.size} bytes, a workdir archive no active job uses)`,
        location: location.bucket,
      });
    }
  }
  return items;
}

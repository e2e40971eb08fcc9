import type { aiplatform_v1 } from 'googleapis/build/src/apis/aiplatform/index.js';
import type { JobId, LedgerId } from '../../src/backend/job-id.js';
import { JOB_ID_TAG, LEDGER_TAG } from '../../src/backend/tags.js';
import type { VertexClients } from './vertex-clients.js';
import { labelValue } from './vertex-custom-job.js';
import { google } from './vertex-errors.js';

export type CustomJob = aiplatform_v1.Schema$GoogleCloudAiplatformV1CustomJob;

/**
 * The page size asked of customJobs.list: 500 jobs are 5 calls. Vertex documents no maximum for this method [U];
 * a server that gives fewer per page is followed by its nextPageToken all the same.
 */
export const LIST_PAGE_SIZE = 100;

/** `projects/{project}/locations/{region}`: the parent of a region's custom jobs. */
export function parentOf(project: string, region: string): string {
  return `projects/${project}/locations/${region}`;
}

/** The AIP-160 filter of every job this ledger started. */
export function ledgerFilter(ledgerId: LedgerId): string {
  return `labels.${LEDGER_TAG}="${labelValue(ledgerId)}"`;
}

/** The filter of one job of this ledger, by its `dlrun-job-id` label: how a job is found without its name. */
export function jobFilter(ledgerId: LedgerId, jobId: JobId): string {
  return `${ledgerFilter(ledgerId)} AND labels.${JOB_ID_TAG}="${labelValue(jobId)}"`;
}

/** A job created at or after `since` only (RFC 3339): keeps a status of recent jobs from paging through years. */
export function createdSince(filter: string, since: string | undefined): string {
  return since === undefined ? filter : `${filter} AND create_time>="${since}"`;
}

/**
 * Every custom job under `parent` that matches `filter`, each page followed by its nextPageToken. Reads are retried
 * by the client (vertex-clients.ts); an error says what was being listed.
 */
export async function listCustomJobs(
  clients: Pick<VertexClients, 'aiplatform' | 'deadline'>,
  parent: string,
  filter: string,
  signal?: AbortSignal,
): Promise<CustomJob[]> {
  const jobs: CustomJob[] = [];
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    const { data } = await google(
      `listing the Vertex AI custom jobs of ${parent}`,
      () =>
        clients.aiplatform.projects.locations.customJobs.list(
          { parent, filter, pageSize: LIST_PAGE_SIZE, ...(token ? { pageToken: token } : {}) },
          signal ? { signal } : {},
        ),
      clients.deadline,
    );
    jobs.push(...(data.customJobs ?? []));
    pageToken = data.nextPageToken || undefined;
  } while (pageToken !== undefined);
  return jobs;
}

/** The dlrun job id a custom job's labels name, matched against the ids asked about (labels may be hashed). */
export function jobIdLabel(job: CustomJob): string | undefined {
  return job.labels?.[JOB_ID_TAG] ?? undefined;
}

/**
 * The custom job of one dlrun job, found by its labels (CustomJob creation takes no request id): undefined when
 * there is none. Of two (a create raced by another submit of the same job), the oldest.
 */
export async function findJob(
  clients: Pick<VertexClients, 'aiplatform' | 'deadline'>,
  parent: string,
  ledgerId: LedgerId,
  jobId: JobId,
  signal?: AbortSignal,
): Promise<CustomJob | undefined> {
  const found = await listCustomJobs(clients, parent, jobFilter(ledgerId, jobId), signal);
  return found.sort((a, b) => (a.createTime ?? '').localeCompare(b.createTime ?? ''))[0];
}

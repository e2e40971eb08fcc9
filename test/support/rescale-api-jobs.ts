// Rescale jobs made straight through the API (axios over HTTP to the stand-in), named and described as dlrun names
// them: what a submit that died part-way, another ledger, or a job of an earlier run leaves on the platform.
import axios from 'axios';
import { asJobId, type LedgerId } from '../../src/backend/job-id.js';
import { rescaleJobDescription, rescaleJobName } from '../../adapters/rescale/rescale-details.js';
import type { RescaleServer } from '../standins/rescale-server.js';

export interface ApiJobOptions {
  /** The command run once the job is Executing (default: a sleep far past any test). */
  readonly command?: string;
  /** Submit it too (default true). */
  readonly submit?: boolean;
  /** The Rescale job's name (default `dlrun <jobId>`). */
  readonly name?: string;
  readonly inputFileIds?: readonly string[];
  /** hardware.walltime in hours (default none). */
  readonly walltime?: number;
}

export function rescaleApi(rescale: RescaleServer) {
  return axios.create({
    baseURL: `${rescale.url}/api/v2/`,
    headers: { Authorization: `Token ${rescale.apiKey}` },
    proxy: false,
  });
}

/** Create (and submit) a job of `jobId` for `ledgerId` on standard-plus; resolves with Rescale's id of it. */
export async function createApiJob(
  rescale: RescaleServer,
  jobId: string,
  ledgerId: LedgerId,
  options: ApiJobOptions = {},
): Promise<string> {
  const api = rescaleApi(rescale);
  const { data } = await api.post<{ id: string }>('jobs/', {
    name: options.name ?? rescaleJobName(asJobId(jobId)),
    description: rescaleJobDescription(asJobId(jobId), ledgerId),
    jobanalyses: [
      {
        analysis: { code: 'user_included', version: '0' },
        command: options.command ?? 'sleep 600',
        hardware: {
          coreType: 'standard-plus',
          coresPerSlot: 2,
          slots: 1,
          ...(options.walltime !== undefined ? { walltime: options.walltime } : {}),
        },
        inputFiles: (options.inputFileIds ?? []).map((id) => ({ id })),
      },
    ],
  });
  if (options.submit ?? true) await api.post(`jobs/${data.id}/submit/`);
  return data.id;
}

/** Upload a small file named `name`; resolves with its id. */
export async function uploadApiFile(rescale: RescaleServer, name: string, content = 'x'): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  const { data } = await rescaleApi(rescale).post<{ id: string }>('files/contents/', form);
  return data.id;
}

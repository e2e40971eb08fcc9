/**
 * The run endpoints of the Rescale stand-in ([V] the 2016 API docs, "Runs"; one run, "1", per basic job) and the
 * text views of a file: `files/{id}/lines/` and a running job's `runs/1/tail/{path}/`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Answer, json, type JsonObject, notFound } from './rescale-errors.js';
import { filesUnder, type StoredFile } from './rescale-files.js';
import type { JobRecord } from './rescale-jobs.js';

/** The run object of the docs [V], once the job's command has started. */
export function runOf(job: JobRecord, outputs: readonly StoredFile[]): JsonObject {
  return {
    dateCompleted: job.dateCompleted ?? null,
    dateStarted: job.dateStarted ?? null,
    displayOrder: 1,
    id: '1',
    isOptimal: false,
    outputFileCount: outputs.length,
    outputFileSize: outputs.reduce((sum, file) => sum + Number(file.resource.decryptedSize), 0),
    parent: null,
    type: 3,
    variables: [],
  };
}

/** directory-contents: a plain list, not a page [V the sample]; `resource` under /api/v2/ ([S]: the sample is v1's). */
export function runDirectory(workDir: string, jobId: string, run: string): Answer {
  return json(
    200,
    filesUnder(workDir).map((relative) => ({
      path: relative,
      resource: `/api/v2/jobs/${jobId}/runs/${run}/tail/${relative}`,
    })),
  );
}

/** The last `lines` lines of a file in the work directory, without newlines, and its type [V]; no `lines`: raw. */
export function tailFile(workDir: string, relative: string, requestUrl: URL): Answer {
  const full = path.resolve(workDir, relative);
  if (!full.startsWith(`${workDir}${path.sep}`) || !existsSync(full) || !statSync(full).isFile()) throw notFound();
  const bytes = readFileSync(full);
  const countText = requestUrl.searchParams.get('lines');
  if (countText === null) return { status: 200, body: bytes, headers: { 'content-type': 'application/octet-stream' } };
  const all = bytes.toString('utf8').split('\n');
  if (all[all.length - 1] === '') all.pop();
  const count = Math.max(0, Number.parseInt(countText, 10) || 0);
  // `file`'s words for the type [V the field]; the stand-in tells only text from data [U].
  const fileType = `${full}: ${bytes.includes(0) ? 'data' : 'ASCII text'}`;
  return json(200, { fileType, lines: count === 0 ? [] : all.slice(-count) });
}

/**
 * files/{id}/lines/: {lines: [...]} with each line's newline kept [V the docs' sample]; `start` (0-based) and
 * `count` are the stand-in's own names for a range [U].
 */
export function fileLines(source: string, requestUrl: URL): Answer {
  const all = readFileSync(source, 'utf8').match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const start = Math.max(0, Number(requestUrl.searchParams.get('start') ?? 0) || 0);
  const countText = requestUrl.searchParams.get('count');
  const count = countText === null ? all.length : Math.max(0, Number(countText) || 0);
  return json(200, { lines: all.slice(start, start + count) });
}

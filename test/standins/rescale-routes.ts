/**
 * The URLs of the Rescale stand-in: Rescale's REST API v2, every path under /api/v2/ and ending in a slash [V].
 * A path that matches only once a slash is added gets Django's APPEND_SLASH answer (see rescale-server.ts).
 */

export type RescaleAction =
  | 'uploadFile'
  | 'listFiles'
  | 'getFile'
  | 'deleteFile'
  | 'downloadFile'
  | 'fileLines'
  | 'listJobs'
  | 'createJob'
  | 'getJob'
  | 'deleteJob'
  | 'submitJob'
  | 'stopJob'
  | 'jobStatuses'
  | 'jobFiles'
  | 'jobRuns'
  | 'runFiles'
  | 'getRun'
  | 'stopRun'
  | 'runDirectory'
  | 'tailFile'
  | 'coreTypes'
  | 'unknown';

interface RouteSpec {
  readonly pattern: RegExp;
  /** Method -> action. */
  readonly methods: Readonly<Record<string, RescaleAction>>;
}

const ROUTES: readonly RouteSpec[] = [
  // The 2016 docs name PUT as well as POST for an upload [V].
  { pattern: /^\/api\/v2\/files\/contents\/$/, methods: { POST: 'uploadFile', PUT: 'uploadFile' } },
  { pattern: /^\/api\/v2\/files\/$/, methods: { GET: 'listFiles' } },
  { pattern: /^\/api\/v2\/files\/([^/]+)\/$/, methods: { GET: 'getFile', DELETE: 'deleteFile' } },
  { pattern: /^\/api\/v2\/files\/([^/]+)\/contents\/$/, methods: { GET: 'downloadFile' } },
  { pattern: /^\/api\/v2\/files\/([^/]+)\/lines\/$/, methods: { GET: 'fileLines' } },
  { pattern: /^\/api\/v2\/jobs\/$/, methods: { GET: 'listJobs', POST: 'createJob' } },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/$/, methods: { GET: 'getJob', DELETE: 'deleteJob' } },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/submit\/$/, methods: { POST: 'submitJob' } },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/stop\/$/, methods: { POST: 'stopJob' } },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/statuses\/$/, methods: { GET: 'jobStatuses' } },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/files\/$/, methods: { GET: 'jobFiles' } },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/runs\/$/, methods: { GET: 'jobRuns' } },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/runs\/([^/]+)\/$/, methods: { GET: 'getRun' } },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/runs\/([^/]+)\/files\/$/, methods: { GET: 'runFiles' } },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/runs\/([^/]+)\/stop\/$/, methods: { POST: 'stopRun' } },
  // While the run is in progress: its work directory, and the end of a file in it [V] (2016 docs, "Runs").
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/runs\/([^/]+)\/directory-contents\/$/, methods: { GET: 'runDirectory' } },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/runs\/([^/]+)\/tail\/(.+)\/$/, methods: { GET: 'tailFile' } },
  { pattern: /^\/api\/v2\/coretypes\/$/, methods: { GET: 'coreTypes' } },
];

export interface Route {
  readonly action: RescaleAction;
  /** The path's ids: a file or job id, then a run number. */
  readonly ids: readonly string[];
  /** The methods the path allows (empty when no route has this path). */
  readonly allowed: readonly string[];
}

export function route(method: string, pathname: string): Route {
  for (const spec of ROUTES) {
    const match = spec.pattern.exec(pathname);
    if (!match) continue;
    const ids = match.slice(1).map((part) => decodeURIComponent(part));
    return { action: spec.methods[method] ?? 'unknown', ids, allowed: Object.keys(spec.methods) };
  }
  return { action: 'unknown', ids: [], allowed: [] };
}

/** Whether the path names a route once a slash is added (Django's APPEND_SLASH test). */
export const wantsSlash = (pathname: string): boolean =>
  !pathname.endsWith('/') && route('GET', `${pathname}/`).allowed.length > 0;

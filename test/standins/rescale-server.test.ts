import assert from 'node:assert/strict';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { test } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { type RescaleServer, rescaleServerFor } from './rescale-server.js';

type Body = Record<string, unknown>;
type Page = { count: number; next: string | null; previous: string | null; results: Body[] };

/** A plain axios client: every status answered, no redirect followed unless asked. */
function client(server: RescaleServer, key: string | null = server.apiKey, maxRedirects = 0): AxiosInstance {
  return axios.create({
    baseURL: `${server.url}/api/v2/`,
    headers: key === null ? {} : { Authorization: `Token ${key}` },
    validateStatus: () => true,
    maxRedirects,
    timeout: 20_000,
  });
}

function bashJob(name: string, command: string, more: Body = {}, hardware: Body = {}): Body {
  return {
    name,
    description: 'dlrun ledger L1',
    jobanalyses: [
      {
        analysis: { code: 'user_included', version: '0' },
        command,
        hardware: { coreType: 'emerald', coresPerSlot: 2, slots: 1, ...hardware },
        ...more,
      },
    ],
  };
}

async function created(api: AxiosInstance, body: Body): Promise<string> {
  const response = await api.post('jobs/', body);
  assert.equal(response.status, 201, JSON.stringify(response.data));
  assert.match(response.data.id, /^[A-Za-z]{5}$/);
  return response.data.id as string;
}

async function untilStatus(api: AxiosInstance, id: string, ...statuses: string[]): Promise<Body[]> {
  return waitFor(`job ${id} in ${statuses.join(' or ')}`, async () => {
    const { data } = await api.get<Page>(`jobs/${id}/statuses/`);
    return statuses.includes(String(data.results[0]?.status)) ? data.results : undefined;
  });
}

async function allPages(api: AxiosInstance, first: string): Promise<{ items: Body[]; urls: string[] }> {
  const items: Body[] = [];
  const urls: string[] = [];
  let next: string | null = first;
  while (next !== null) {
    const response: AxiosResponse<Page> = await api.get<Page>(next);
    assert.equal(response.status, 200);
    items.push(...response.data.results);
    next = response.data.next;
    if (next !== null) urls.push(next);
  }
  return { items, urls };
}

test('token auth: DRF answers a missing header, another scheme and a wrong key with 401 and its words', async (t) => {
  const rescale = await rescaleServerFor(t);
  const none = await client(rescale, null).get('jobs/');
  assert.equal(none.status, 401);
  assert.deepEqual(none.data, { detail: 'Authentication credentials were not provided.' });
  assert.equal(none.headers['www-authenticate'], 'Token');
  const bearer = await client(rescale, null).get('jobs/', { headers: { Authorization: 'Bearer abc' } });
  assert.deepEqual(bearer.data, { detail: 'Authentication credentials were not provided.' });
  const wrong = await client(rescale, 'not-the-key').get('coretypes/');
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.data, { detail: 'Invalid token.' });
  const right = await client(rescale).get('coretypes/');
  assert.equal(right.status, 200);
  assert.equal(rescale.requests('coreTypes').length, 2);
});

test('a URL without its trailing slash: 301 with the query kept; a POST that follows it loses its body', async (t) => {
  const rescale = await rescaleServerFor(t);
  const api = client(rescale);
  const get = await api.get('coretypes?isActive=true');
  assert.equal(get.status, 301);
  assert.equal(get.headers.location, '/api/v2/coretypes/?isActive=true');
  // A client following redirects turns the POST into a GET of the list: nothing is created.
  const post = await client(rescale, rescale.apiKey, 5).post('jobs', bashJob('dlrun j-1', 'true'));
  assert.equal(post.status, 200);
  assert.equal(post.data.count, 0);
  assert.equal(rescale.jobs().length, 0);
  assert.deepEqual(
    rescale.requests().map((request) => `${request.method} ${request.path} ${request.status}`),
    ['GET /api/v2/coretypes 301', 'POST /api/v2/jobs 301', 'GET /api/v2/jobs/ 200'],
  );
  const unknown = await api.get('nothing-here/');
  assert.equal(unknown.status, 404);
  assert.match(String(unknown.data), /<h1>Not Found<\/h1>/);
  const notAllowed = await api.put('jobs/', {});
  assert.equal(notAllowed.status, 405);
  assert.deepEqual(notAllowed.data, { detail: 'Method "PUT" not allowed.' });
});

test('a multipart upload (field `file`) comes back byte for byte, described as a Rescale file object', async (t) => {
  const rescale = await rescaleServerFor(t);
  const api = client(rescale);
  // Bytes that would trip a careless multipart reader: CRLFs, a fake delimiter, every byte value.
  const bytes = Buffer.concat([
    Buffer.from('line one\r\n--not-a-boundary\r\n\r\n'),
    Buffer.from([...Array(256).keys()]),
  ]);
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'workdir-3f9a.tar.gz');
  const upload = await api.post('files/contents/', form);
  assert.equal(upload.status, 201, JSON.stringify(upload.data));
  const file = upload.data as Body;
  assert.equal(file.name, 'workdir-3f9a.tar.gz');
  assert.equal(file.decryptedSize, bytes.length);
  assert.equal(file.typeId, 1);
  assert.equal(file.isUploaded, true);
  assert.equal(file.downloadUrl, `${rescale.url}/api/v2/files/${String(file.id)}/contents/`);
  assert.match(String(file.path), /^user\/user_\w+\/workdir-3f9a\.tar\.gz-[0-9a-f]{32}$/);
  assert.deepEqual(rescale.requests('uploadFile')[0]!.upload, { filename: 'workdir-3f9a.tar.gz', size: bytes.length });

  const meta = await api.get(`files/${String(file.id)}/`);
  assert.deepEqual(meta.data, file);
  const download = await api.get(`files/${String(file.id)}/contents/`, { responseType: 'arraybuffer' });
  assert.equal(download.status, 200);
  assert.deepEqual(Buffer.from(download.data as ArrayBuffer), bytes);
  const listed = await api.get<Page>('files/');
  assert.deepEqual(
    listed.data.results.map((item) => item.id),
    [file.id],
  );

  const noFile = await api.post(
    'files/contents/',
    (() => {
      const other = new FormData();
      other.append('notes', 'hello');
      return other;
    })(),
  );
  assert.equal(noFile.status, 400);
  assert.deepEqual(noFile.data, { file: ['No file was submitted.'] });

  assert.equal((await api.delete(`files/${String(file.id)}/`)).status, 204);
  const gone = await api.get(`files/${String(file.id)}/`);
  assert.equal(gone.status, 404);
  assert.deepEqual(gone.data, { detail: 'Not found.' });
});

test('a job runs its command with bash through every status to Completed; its files are outputs', async (t) => {
  const rescale = await rescaleServerFor(t, { env: { STAND_IN_VAR: 'from-options' } });
  const api = client(rescale);
  const form = new FormData();
  form.append('file', new Blob(['input bytes']), 'workdir-1.tar.gz');
  const input = (await api.post('files/contents/', form)).data as Body;
  const command = [
    'mkdir -p out',
    'cat workdir-1.tar.gz > out/copy.txt',
    'printf "%s|%s|%s" "$RESCALE_API_KEY" "$JOB_VAR" "$STAND_IN_VAR" > out/env.txt',
    'wc -l < "$HOME/machinefile" | tr -d " " > out/cores.txt',
    'echo "to the log"',
  ].join(' && ');
  const id = await created(
    api,
    bashJob('dlrun j-2', command, { inputFiles: [{ id: input.id }], envVars: { JOB_VAR: 'v' } }),
  );

  const job = (await api.get(`jobs/${id}/`)).data as Body;
  assert.equal(job.name, 'dlrun j-2');
  assert.equal(job.description, 'dlrun ledger L1');
  assert.equal(job.jobStatus, undefined);
  const pending = await api.get<Page>(`jobs/${id}/statuses/`);
  assert.deepEqual(
    pending.data.results.map((entry) => entry.status),
    ['Pending'],
  );
  assert.equal(rescale.job(id)!.workDir.endsWith('work'), true);

  assert.equal((await api.post(`jobs/${id}/submit/`)).status, 200);
  const second = await api.post(`jobs/${id}/submit/`);
  assert.equal(second.status, 400);

  const history = await untilStatus(api, id, 'Completed', 'Failed');
  assert.deepEqual(
    history.map((entry) => entry.status),
    ['Completed', 'Executing', 'Validated', 'Started', 'Queued', 'Pending'],
  );
  assert.equal(history[0]!.statusReason, '');
  for (const entry of history) assert.match(String(entry.statusDate), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  const listed = (await api.get<Page>('jobs/?search=j-2')).data.results[0]!;
  assert.equal((listed.jobStatus as Body).content, 'Completed');

  const outputs = (await api.get<Page>(`jobs/${id}/files/`)).data.results;
  const byPath = new Map(outputs.map((file) => [String(file.relativePath), file]));
  assert.deepEqual([...byPath.keys()].sort(), [
    'out/copy.txt',
    'out/cores.txt',
    'out/env.txt',
    'process_output.log',
    'workdir-1.tar.gz',
  ]);
  const text = async (relativePath: string): Promise<string> =>
    (await api.get(`files/${String(byPath.get(relativePath)!.id)}/contents/`, { responseType: 'text' })).data as string;
  assert.equal(await text('out/copy.txt'), 'input bytes');
  assert.equal(await text('out/env.txt'), `${rescale.apiKey}|v|from-options`);
  assert.equal(await text('out/cores.txt'), '2\n');
  assert.equal(await text('process_output.log'), 'to the log\n');
  const log = await api.get(`files/${String(byPath.get('process_output.log')!.id)}/lines/`);
  assert.deepEqual(log.data, { lines: ['to the log\n'] });
  assert.equal(byPath.get('out/env.txt')!.typeId, 5);
  assert.match(String(byPath.get('out/env.txt')!.path), new RegExp(`/output/job_${id}/run1/out/env\\.txt$`));
  const runFiles = (await api.get<Page>(`jobs/${id}/runs/1/files/`)).data;
  assert.equal(runFiles.count, outputs.length);
  assert.equal(rescale.job(id)!.exitCode, 0);
});

test('a command exiting non-zero still ends Completed, its exit code in the statusReason', async (t) => {
  const rescale = await rescaleServerFor(t);
  const api = client(rescale);
  const id = await created(api, bashJob('dlrun j-3', 'echo partial > partial.txt; exit 3'));
  await api.post(`jobs/${id}/submit/`);
  const history = await untilStatus(api, id, 'Completed', 'Failed');
  assert.equal(history[0]!.status, 'Completed');
  assert.equal(history[0]!.statusReason, 'Command exited with code 3.');
  assert.equal(rescale.job(id)!.exitCode, 3);
  const outputs = (await api.get<Page>(`jobs/${id}/files/`)).data.results.map((file) => file.name);
  assert.ok(outputs.includes('partial.txt'));
});

test('a command that cannot start (no bash on PATH) fails the job', async (t) => {
  const rescale = await rescaleServerFor(t, { path: '/nonexistent' });
  const api = client(rescale);
  const id = await created(api, bashJob('dlrun j-4', 'true'));
  await api.post(`jobs/${id}/submit/`);
  const history = await untilStatus(api, id, 'Completed', 'Failed');
  assert.equal(history[0]!.status, 'Failed');
  assert.match(String(history[0]!.statusReason), /could not be started/);
});

test('a running job: its work directory, the tail of its log; stop: Stopping, Stopped; delete after', async (t) => {
  const rescale = await rescaleServerFor(t);
  const api = client(rescale);
  const id = await created(api, bashJob('dlrun j-5', 'echo one; echo two; echo three; exec sleep 600'));
  await api.post(`jobs/${id}/submit/`);
  await untilStatus(api, id, 'Executing');
  const listing = await waitFor('the log in the work directory', async () => {
    const { data } = await api.get<Body[]>(`jobs/${id}/runs/1/directory-contents/`);
    return data.some((entry) => entry.path === 'process_output.log') ? data : undefined;
  });
  const log = listing.find((entry) => entry.path === 'process_output.log')!;
  assert.equal(log.resource, `/api/v2/jobs/${id}/runs/1/tail/process_output.log`);
  const tail = await waitFor('three lines in the log', async () => {
    const { data } = await api.get(`${rescale.url}${String(log.resource)}/?lines=2`);
    return (data.lines as string[]).includes('three') ? data : undefined;
  });
  assert.deepEqual(tail.lines, ['two', 'three']);
  assert.match(String(tail.fileType), /process_output\.log: ASCII text$/);
  const raw = await api.get(`jobs/${id}/runs/1/tail/process_output.log/`, { responseType: 'text' });
  assert.equal(raw.data, 'one\ntwo\nthree\n');
  const run = (await api.get(`jobs/${id}/runs/1/`)).data as Body;
  assert.equal(run.id, '1');
  assert.equal(run.dateCompleted, null);
  assert.equal((await api.get<Page>(`jobs/${id}/runs/`)).data.count, 1);

  const refusedDelete = await api.delete(`jobs/${id}/`);
  assert.equal(refusedDelete.status, 400);
  const stop = await api.post(`jobs/${id}/stop/`);
  assert.equal(stop.status, 202);
  const history = await untilStatus(api, id, 'Stopped');
  assert.deepEqual(
    history.slice(0, 3).map((entry) => entry.status),
    ['Stopped', 'Stopping', 'Executing'],
  );
  assert.equal((await api.get(`jobs/${id}/runs/1/directory-contents/`)).status, 404);
  const outputs = (await api.get<Page>(`jobs/${id}/files/`)).data.results.map((file) => file.relativePath);
  assert.deepEqual(outputs, ['process_output.log']);
  assert.equal((await api.post(`jobs/${id}/stop/`)).status, 400);
  assert.equal((await api.delete(`jobs/${id}/`)).status, 204);
  assert.equal((await api.get(`jobs/${id}/`)).status, 404);
});

test('the walltime (in hours, scaled for the test) stops a job that runs too long', async (t) => {
  const rescale = await rescaleServerFor(t, { walltimeHourMs: 300 });
  const api = client(rescale);
  const id = await created(api, bashJob('dlrun j-6', 'exec sleep 600', {}, { walltime: 1 }));
  await api.post(`jobs/${id}/submit/`);
  const history = await untilStatus(api, id, 'Stopped', 'Completed');
  assert.equal(history[0]!.status, 'Stopped');
  assert.equal(history[1]!.status, 'Stopping');
  assert.equal(history[1]!.statusReason, 'Walltime of 1 hour exceeded.');

  const terminating = await rescaleServerFor(t, { walltimeHourMs: 300, walltimeEndsAs: 'Terminated' });
  const other = client(terminating);
  const second = await created(other, bashJob('dlrun j-6b', 'exec sleep 600', {}, { walltime: 1 }));
  await other.post(`jobs/${second}/submit/`);
  assert.equal((await untilStatus(other, second, 'Terminated', 'Stopped', 'Completed'))[0]!.status, 'Terminated');
});

test('create is validated as DRF does: field -> messages, nested per analysis', async (t) => {
  const rescale = await rescaleServerFor(t);
  const api = client(rescale);
  const missing = await api.post('jobs/', { jobanalyses: [] });
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.data, {
    name: ['This field is required.'],
    jobanalyses: { non_field_errors: ['This list may not be empty.'] },
  });
  const bad = await api.post('jobs/', {
    name: 'dlrun j-7',
    jobanalyses: [
      {
        analysis: { code: 'user_included', version: '0' },
        command: 'true',
        hardware: { coreType: 'emerld', coresPerSlot: 2 },
        inputFiles: [{ id: 'nOpE' }],
      },
    ],
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.data, {
    jobanalyses: [
      {
        hardware: { coreType: ['"emerld" is not a valid choice.'] },
        inputFiles: [{ id: ['Invalid pk "nOpE" - object does not exist.'] }],
      },
    ],
  });
  const cores = await api.post('jobs/', bashJob('dlrun j-8', 'true', {}, { coresPerSlot: 3 }));
  assert.match(JSON.stringify(cores.data), /3 is not a valid number of cores for core type emerald/);
  const walltime = await api.post('jobs/', bashJob('dlrun j-9', 'true', {}, { coreType: 'jade', coresPerSlot: 8 }));
  assert.deepEqual(walltime.data, {
    jobanalyses: [{ hardware: { walltime: ['Core type jade requires a walltime.'] } }],
  });
  const notJson = await api.post('jobs/', '{"name":', {
    headers: { 'content-type': 'application/json' },
    transformRequest: [(data: unknown) => data],
  });
  assert.equal(notJson.status, 400);
  assert.match(String(notJson.data.detail), /^JSON parse error/);
  const list = await api.post('jobs/', [bashJob('dlrun j-11', 'true')]);
  assert.deepEqual(list.data, { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
  assert.equal(rescale.jobs().length, 0);
});

test('pages: page and page_size, absolute next/previous links followed to the end, 25 by default', async (t) => {
  const rescale = await rescaleServerFor(t);
  const api = client(rescale);
  const ids: string[] = [];
  for (let index = 0; index < 30; index += 1) ids.push(await created(api, bashJob(`dlrun p-${index}`, 'true')));

  const first = (await api.get<Page>('jobs/')).data;
  assert.equal(first.count, 30);
  assert.equal(first.results.length, 25);
  assert.equal(first.previous, null);
  assert.equal(first.next, `${rescale.url}/api/v2/jobs/?page=2`);

  const { items, urls } = await allPages(api, 'jobs/?page_size=7');
  assert.deepEqual(
    items.map((item) => item.id),
    [...ids].reverse(),
  );
  assert.equal(urls.length, 4);
  for (const url of urls) assert.ok(url.startsWith(`${rescale.url}/api/v2/jobs/?`), url);
  const last = (await api.get<Page>(urls[3]!)).data;
  assert.equal(last.results.length, 2);
  assert.equal(last.previous, `${rescale.url}/api/v2/jobs/?page_size=7&page=4`);
  const second = (await api.get<Page>(urls[0]!)).data;
  assert.equal(second.previous, `${rescale.url}/api/v2/jobs/?page_size=7`);
  const beyond = await api.get('jobs/?page=9');
  assert.equal(beyond.status, 404);
  assert.deepEqual(beyond.data, { detail: 'Invalid page.' });
  const searched = (await api.get<Page>('jobs/?search=p-29')).data;
  assert.deepEqual(
    searched.results.map((item) => item.name),
    ['dlrun p-29'],
  );
});

test('core types: price, cores and walltimeRequired; isActive=true leaves out deprecated ones', async (t) => {
  const rescale = await rescaleServerFor(t);
  const api = client(rescale);
  const all = (await api.get<Page>('coretypes/')).data;
  const emerald = all.results.find((type) => type.code === 'emerald')!;
  assert.equal(emerald.price, 0.1);
  assert.deepEqual(emerald.cores, [1, 2, 4, 8, 16, 36]);
  assert.ok(all.results.some((type) => type.isDeprecated === true));
  const active = (await api.get<Page>('coretypes/?isActive=true')).data;
  assert.equal(active.count, all.count - 1);
  assert.ok(active.results.every((type) => type.isDeprecated === false));
});

test('faults: 429 with Retry-After, 5xx pages, a create whose connection drops after the job was made', async (t) => {
  const rescale = await rescaleServerFor(t);
  const api = client(rescale);
  rescale.inject({ match: 'listJobs', kind: 429, retryAfterSeconds: 7 });
  const throttled = await api.get('jobs/');
  assert.equal(throttled.status, 429);
  assert.equal(throttled.headers['retry-after'], '7');
  assert.deepEqual(throttled.data, { detail: 'Request was throttled. Expected available in 7 seconds.' });
  assert.equal((await api.get('jobs/')).status, 200);

  rescale.inject({ match: 'coreTypes', kind: 500 });
  const error = await api.get('coretypes/');
  assert.equal(error.status, 500);
  assert.match(String(error.data), /Server Error \(500\)/);
  rescale.inject({ match: 'coreTypes', kind: 'delay', delayMs: 50 });
  assert.equal((await api.get('coretypes/')).status, 200);
  rescale.inject({ match: { method: 'GET', path: /\/coretypes\/$/ }, kind: 503, times: 2 });
  assert.equal((await api.get('coretypes/')).status, 503);
  assert.equal((await api.get('coretypes/')).status, 503);
  assert.equal((await api.get('coretypes/')).status, 200);

  rescale.inject({ match: 'createJob', kind: 'drop-after' });
  await assert.rejects(api.post('jobs/', bashJob('dlrun j-10', 'true')), (error: { code?: string }) => {
    assert.ok(['ECONNRESET', 'ERR_BAD_RESPONSE', 'ECONNABORTED'].includes(String(error.code)), String(error.code));
    return true;
  });
  assert.equal(rescale.jobs().length, 1);
  const found = (await api.get<Page>('jobs/?search=dlrun%20j-10')).data;
  assert.equal(found.count, 1);
  assert.equal(found.results[0]!.id, rescale.jobs()[0]!.id);
  assert.equal(rescale.requests('createJob')[0]!.fault, 'drop-after');
  assert.equal(rescale.requests('createJob')[0]!.status, 201);

  rescale.inject({ match: 'submitJob', kind: 'drop-before' });
  await assert.rejects(api.post(`jobs/${String(found.results[0]!.id)}/submit/`));
  assert.equal(rescale.jobs()[0]!.submitted, false);
});

/** A job's own call to the API, in node rather than curl: node is on every machine that runs these tests. */
const CALL_API =
  'fetch(process.env.PLATFORM + "/api/v2/coretypes/?isActive=true", ' +
  '{ headers: { Authorization: "Token " + process.env.RESCALE_API_KEY } })' +
  '.then((r) => r.text()).then((t) => process.stdout.write(t))';

test('a job held Pending by the clock, moved on by setStatus; its command calls the API with its key', async (t) => {
  const rescale = await rescaleServerFor(t, { pendingMs: Number.POSITIVE_INFINITY, env: (url) => ({ PLATFORM: url }) });
  const api = client(rescale);
  const command = [
    'wc -l < "$HOME/machinefile" | tr -d " " > cores.txt',
    `node -e '${CALL_API}' > coretypes.json`,
  ].join(' && ');
  const id = await created(api, bashJob('dlrun j-12', command, {}, { coresPerSlot: 4, slots: 3 }));
  await api.post(`jobs/${id}/submit/`);
  assert.equal(rescale.job(id)!.status, 'Pending');
  assert.equal(rescale.job(id)!.submitted, true);
  rescale.setStatus(id, 'Executing');
  const history = await untilStatus(api, id, 'Completed', 'Failed');
  assert.deepEqual(
    history.map((entry) => entry.status),
    ['Completed', 'Executing', 'Pending'],
  );
  const outputs = (await api.get<Page>(`jobs/${id}/files/`)).data.results;
  const text = async (name: string): Promise<string> =>
    (
      await api.get(`files/${String(outputs.find((file) => file.name === name)!.id)}/contents/`, {
        responseType: 'text',
      })
    ).data as string;
  assert.equal(await text('cores.txt'), '12\n');
  assert.equal(JSON.parse(await text('coretypes.json')).count, 3);
  assert.equal(rescale.requests({ action: 'coreTypes' }).length, 1);
});

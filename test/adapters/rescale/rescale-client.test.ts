import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, test } from 'vitest';
import { InternalError } from '../../../src/base/errors.js';
import { rescaleClient, rescaleUrl } from '../../../adapters/rescale/rescale-client.js';
import type { RescaleApiError } from '../../../adapters/rescale/rescale-errors.js';
import { platformAt } from '../../../adapters/rescale/rescale-platform.js';
import { startDeadEndpoint } from '../../standins/dead-endpoint.js';
import { rejection } from '../../support/rejection.js';
import { tempDir } from '../../support/temp-dir.js';
import { type Answer, drop, json, KEY, loopback, rescaleContext } from './rescale-loopback.js';

function clientOf(url: string, env: Record<string, string> = {}) {
  return rescaleClient(platformAt(url, 'RESCALE_PLATFORM_URL', 'your shell'), rescaleContext(env));
}

type Response = Parameters<typeof json>[0];

/** Answer `failures` requests with `fail`, then 200 `{ok: true}`. */
function failing(failures: number, fail: (response: Response) => void): Answer {
  return (_request, response, n) => (n <= failures ? fail(response) : json(response, 200, { ok: true }));
}

const server500 = (response: Response) => json(response, 500, { detail: 'A server error occurred.' });
const throttled = (retryAfter: string) => (response: Response) =>
  json(response, 429, { detail: 'Request was throttled.' }, { 'Retry-After': retryAfter });

describe('requests', () => {
  test('go to /api/v2/ paths with their trailing slash, the Token header and the query', async (t) => {
    const server = await loopback(t, (_request, response) => json(response, 200, { id: 'abc' }));
    const client = clientOf(server.url);
    assert.deepEqual(await client.get('/api/v2/jobs/abc/', { search: 'dlrun x', skip: undefined }), { id: 'abc' });
    assert.equal(server.requests[0]?.url, '/api/v2/jobs/abc/?search=dlrun+x');
    assert.equal(server.requests[0]?.headers.authorization, `Token ${KEY}`);
    await client.postOnce('/api/v2/jobs/', { name: 'dlrun j1' });
    assert.equal(server.requests[1]?.method, 'POST');
    assert.deepEqual(JSON.parse(server.requests[1]!.body.toString()), { name: 'dlrun j1' });
    assert.match(String(server.requests[1]?.headers['content-type']), /application\/json/);
    assert.equal(client.requestsMade(), 2);
    assert.equal(
      rescaleUrl(client.platform, '/api/v2/jobs/', { page_size: 5, isActive: true }),
      `${server.url}/api/v2/jobs/?page_size=5&isActive=true`,
    );
  });

  test('a path without its trailing slash, outside /api/v2/ or with .. is a bug, and nothing is sent', async (t) => {
    const server = await loopback(t);
    const client = clientOf(server.url);
    for (const bad of ['/api/v2/jobs', '/api/v1/jobs/', '/api/v2/jobs/../users/', '/api/v2/jobs/?page=2', 'jobs/']) {
      const error = await rejection(client.get(bad));
      assert.ok(error instanceof InternalError, `${bad}: ${error.message}`);
    }
    assert.equal(server.requests.length, 0);
  });

  test('an answer that is not JSON is an error that says so', async (t) => {
    const server = await loopback(t, (_request, response) => response.end('<html>login</html>'));
    const error = await rejection(clientOf(server.url).get('/api/v2/jobs/'));
    assert.match(error.message, /GET \/api\/v2\/jobs\/: Rescale's answer is not JSON/);
  });
});

describe('retries', () => {
  test('GET is retried after a 5xx and after a dropped connection', async (t) => {
    const server = await loopback(t, failing(2, server500));
    assert.deepEqual(await clientOf(server.url).get('/api/v2/jobs/'), { ok: true });
    assert.equal(server.requests.length, 3);
    const dropping = await loopback(t, failing(1, drop));
    assert.deepEqual(await clientOf(dropping.url).get('/api/v2/jobs/'), { ok: true });
    assert.equal(dropping.requests.length, 2);
  });

  test('GET gives up after 3 attempts, saying so and that trying again later may work', async (t) => {
    const server = await loopback(t, failing(99, server500));
    const error = (await rejection(clientOf(server.url).get('/api/v2/jobs/'))) as RescaleApiError;
    assert.equal(server.requests.length, 3);
    assert.equal(
      error.message,
      'GET /api/v2/jobs/: Rescale failed to answer (500: A server error occurred.), after 3 attempts',
    );
    assert.match(error.hint ?? '', /try again in a few minutes/);
    assert.equal(error.isRetryable, true);
    assert.equal(error.status, 500);
  });

  test("a 503's Retry-After is honoured too; one of more than a minute ends the request", async (t) => {
    const unavailable = (retryAfter: string) => (response: Response) =>
      json(response, 503, { detail: 'Maintenance.' }, { 'Retry-After': retryAfter });
    const server = await loopback(t, failing(1, unavailable('0')));
    assert.deepEqual(await clientOf(server.url).get('/api/v2/jobs/'), { ok: true });
    assert.equal(server.requests.length, 2);
    const long = await loopback(t, failing(99, unavailable('600')));
    const error = (await rejection(clientOf(long.url).get('/api/v2/jobs/'))) as RescaleApiError;
    assert.equal(long.requests.length, 1);
    assert.equal(error.message, 'GET /api/v2/jobs/: Rescale failed to answer (503: Maintenance.)');
    assert.equal(error.hint, 'Rescale asks to wait 10 min; try again then');
  });

  test('DELETE is retried after a 5xx, and a 404 after it counts as deleted', async (t) => {
    const server = await loopback(t, (_request, response, n) =>
      n === 1 ? server500(response) : json(response, 404, { detail: 'Not found.' }),
    );
    await clientOf(server.url).delete('/api/v2/jobs/abc/');
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['DELETE', 'DELETE'],
    );
    const missing = await loopback(t, (_request, response) => json(response, 404, { detail: 'Not found.' }));
    const error = (await rejection(clientOf(missing.url).delete('/api/v2/jobs/abc/'))) as RescaleApiError;
    assert.equal(error.status, 404);
    assert.equal(missing.requests.length, 1);
  });

  test('a 429 is waited out as Retry-After says, in seconds or as an HTTP date, for GET and POST', async (t) => {
    const server = await loopback(t, failing(1, throttled('0')));
    assert.deepEqual(await clientOf(server.url).get('/api/v2/jobs/'), { ok: true });
    assert.equal(server.requests.length, 2);
    const dated = await loopback(t, failing(2, throttled(new Date().toUTCString())));
    assert.deepEqual(await clientOf(dated.url).post('/api/v2/jobs/abc/stop/'), { ok: true });
    assert.equal(dated.requests.length, 3);
  });

  test('a 429 counts in the attempts; one asking for more than a minute ends the request at once', async (t) => {
    const server = await loopback(t, failing(99, throttled('0')));
    const error = (await rejection(clientOf(server.url).get('/api/v2/jobs/'))) as RescaleApiError;
    assert.equal(server.requests.length, 3);
    assert.match(error.message, /Rescale is throttling requests \(429: Request was throttled\.\), after 3 attempts/);
    const hourly = await loopback(t, failing(99, throttled('3600')));
    const late = (await rejection(clientOf(hourly.url).get('/api/v2/jobs/'))) as RescaleApiError;
    assert.equal(hourly.requests.length, 1);
    assert.equal(late.retryAfterMs, 3_600_000);
    assert.match(late.hint ?? '', /Rescale asks to wait 1 h/);
  });

  test('POST is not sent again after a 5xx or a dropped connection', async (t) => {
    const server = await loopback(t, failing(1, server500));
    await rejection(clientOf(server.url).post('/api/v2/jobs/abc/stop/'));
    assert.equal(server.requests.length, 1);
    const dropping = await loopback(t, failing(1, drop));
    const error = await rejection(clientOf(dropping.url).post('/api/v2/jobs/abc/stop/'));
    assert.equal(dropping.requests.length, 1);
    assert.match(error.message, /Rescale closed the connection without answering/);
  });

  test('postOnce (create, submit) is never sent twice: not after a 5xx, a dropped connection or a 429', async (t) => {
    for (const fail of [server500, drop, throttled('0')]) {
      const server = await loopback(t, failing(1, fail));
      const error = await rejection(clientOf(server.url).postOnce('/api/v2/jobs/', { name: 'dlrun j1' }));
      assert.equal(server.requests.length, 1, error.message);
    }
    const server = await loopback(t, failing(1, throttled('7')));
    const error = (await rejection(clientOf(server.url).postOnce('/api/v2/jobs/abc/submit/'))) as RescaleApiError;
    assert.equal(error.retryAfterMs, 7000);
    assert.equal(error.isRetryable, true);
  });
});

describe('pages', () => {
  test('listAll follows absolute next links on the platform, asking for page_size', async (t) => {
    const server = await loopback(t, (request, response) => {
      const url = new URL(request.url, 'http://x');
      const page = Number(url.searchParams.get('page') ?? '1');
      const next = page < 3 ? `${server.url}/api/v2/jobs/?page=${page + 1}&page_size=2` : null;
      json(response, 200, {
        count: 5,
        next,
        previous: null,
        results: [`j${page}a`, `j${page}b`].slice(0, page < 3 ? 2 : 1),
      });
    });
    const items = await clientOf(server.url).listAll<string>('/api/v2/jobs/', { search: 'dlrun' }, { pageSize: 2 });
    assert.deepEqual(items, ['j1a', 'j1b', 'j2a', 'j2b', 'j3a']);
    assert.equal(server.requests[0]?.url, '/api/v2/jobs/?search=dlrun&page_size=2');
    assert.equal(server.requests.length, 3);
    for (const request of server.requests) assert.equal(request.headers.authorization, `Token ${KEY}`);
  });

  test('a next link to another origin is refused, and the key never goes there', async (t) => {
    const elsewhere = await loopback(t, (_request, response) => json(response, 200, { next: null, results: ['x'] }));
    const server = await loopback(t, (_request, response) =>
      json(response, 200, { next: `${elsewhere.url}/api/v2/jobs/?page=2`, results: ['a'] }),
    );
    const error = await rejection(clientOf(server.url).listAll('/api/v2/jobs/'));
    assert.match(error.message, /next-page link points at http:\/\/127\.0\.0\.1:\d+\/api\/v2\/jobs\/, not at/);
    assert.match(error.message, /dlrun does not send the API key elsewhere/);
    assert.equal(elsewhere.requests.length, 0);
    // The same port under another name is another origin too.
    server.answer((_request, response) =>
      json(response, 200, { next: `${server.otherOrigin}/api/v2/jobs/?page=2`, results: [] }),
    );
    await rejection(clientOf(server.url).listAll('/api/v2/jobs/'));
    assert.equal(server.requests.length, 2);
  });

  test('a page that is not {results, next} or that links back to itself is an error', async (t) => {
    const server = await loopback(t, (_request, response) => json(response, 200, { results: 'nope' }));
    assert.match((await rejection(clientOf(server.url).listAll('/api/v2/jobs/'))).message, /not a page of results/);
    server.answer((_request, response) =>
      json(response, 200, { next: `${server.url}/api/v2/jobs/?page=2`, results: [1] }),
    );
    assert.match((await rejection(clientOf(server.url).listAll('/api/v2/jobs/'))).message, /link back/);
  });
});

describe('files', () => {
  test('upload is multipart/form-data with field file, the file name and its bytes, with a length', async (t) => {
    const server = await loopback(t, (_request, response) => json(response, 201, { id: 'f1', name: 'w.tar.gz' }));
    const file = path.join(tempDir(t), 'archive');
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(file, bytes);
    const made = await clientOf(server.url).upload<{ id: string }>('/api/v2/files/contents/', 'w.tar.gz', file);
    assert.equal(made.id, 'f1');
    const request = server.requests[0]!;
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(String(request.headers['content-type']))?.[1];
    assert.ok(boundary, String(request.headers['content-type']));
    assert.equal(request.headers['content-length'], String(request.body.length));
    assert.equal(request.headers.authorization, `Token ${KEY}`);
    const headerEnd = request.body.indexOf('\r\n\r\n');
    const partHeaders = request.body.subarray(0, headerEnd).toString();
    assert.match(partHeaders, new RegExp(`^--${boundary}\r\n`));
    assert.match(partHeaders, /Content-Disposition: form-data; name="file"; filename="w\.tar\.gz"/);
    const closing = Buffer.from(`\r\n--${boundary}--\r\n`);
    const content = request.body.subarray(headerEnd + 4, request.body.length - closing.length);
    assert.ok(content.equals(bytes), 'the part holds the file, byte for byte');
    assert.ok(request.body.subarray(request.body.length - closing.length).equals(closing));
  });

  test('upload is waited out on a 429 (sending the whole file again), never resent after a 5xx', async (t) => {
    const file = path.join(tempDir(t), 'archive');
    writeFileSync(file, 'hello');
    const server = await loopback(t, failing(1, throttled('0')));
    await clientOf(server.url).upload('/api/v2/files/contents/', 'a.tgz', file);
    assert.equal(server.requests.length, 2);
    assert.match(server.requests[1]!.body.toString(), /\r\n\r\nhello\r\n/);
    const failingServer = await loopback(t, failing(1, server500));
    await rejection(clientOf(failingServer.url).upload('/api/v2/files/contents/', 'a.tgz', file));
    assert.equal(failingServer.requests.length, 1);
  });

  test('download streams the body to the file; a redirect to another host gets no Authorization', async (t) => {
    const bytes = randomBytes(2 * 1024 * 1024);
    const storage = await loopback(t, (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      // In pieces, as a large file comes.
      for (let at = 0; at < bytes.length; at += 256 * 1024) response.write(bytes.subarray(at, at + 256 * 1024));
      response.end();
    });
    const server = await loopback(t, (request, response) => {
      if (request.url === '/api/v2/files/f1/contents/') {
        response.writeHead(302, { Location: '/api/v2/files/f1/contents/moved/' });
      } else response.writeHead(302, { Location: `${storage.otherOrigin}/signed/f1?sig=abc` });
      response.end();
    });
    const to = path.join(tempDir(t), 'out.bin');
    assert.equal(await clientOf(server.url).download('/api/v2/files/f1/contents/', to), bytes.length);
    assert.ok(readFileSync(to).equals(bytes));
    assert.equal(existsSync(`${to}.part`), false);
    // The same-origin hop keeps the key; the hop to storage (another origin) has none.
    assert.deepEqual(
      server.requests.map((r) => r.headers.authorization),
      [`Token ${KEY}`, `Token ${KEY}`],
    );
    assert.equal(storage.requests[0]?.url, '/signed/f1?sig=abc');
    assert.equal(storage.requests[0]?.headers.authorization, undefined);
  });

  test('a download redirected to plain http off this machine, or redirected in circles, is refused', async (t) => {
    const server = await loopback(t, (request, response) => {
      const location = request.url.includes('f1') ? 'http://storage.example.com/f1' : request.url;
      response.writeHead(302, { Location: location });
      response.end();
    });
    const to = path.join(tempDir(t), 'out.bin');
    const insecure = await rejection(clientOf(server.url).download('/api/v2/files/f1/contents/', to));
    assert.match(insecure.message, /redirected the download to http:\/\/storage\.example\.com, which is not https/);
    const circles = await rejection(clientOf(server.url).download('/api/v2/files/f2/contents/', to));
    assert.match(circles.message, /more than 5 redirects/);
    assert.equal(existsSync(to), false);
  });

  test('a failed download says what Rescale said and leaves no file', async (t) => {
    const server = await loopback(t, (_request, response) => json(response, 404, { detail: 'Not found.' }));
    const to = path.join(tempDir(t), 'out.bin');
    const error = (await rejection(clientOf(server.url).download('/api/v2/files/f9/contents/', to))) as RescaleApiError;
    assert.equal(error.message, 'GET /api/v2/files/f9/contents/: Rescale has no such resource (404: Not found.)');
    assert.equal(existsSync(to), false);
    assert.equal(existsSync(`${to}.part`), false);
  });
});

describe('deadlines', () => {
  test('a silent server: GET gives up after 3 attempts of DLRUN_NETWORK_TIMEOUT_MS, saying so', async (t) => {
    const dead = await startDeadEndpoint(t, 'silent');
    const client = clientOf(dead.endpoint, { DLRUN_NETWORK_TIMEOUT_MS: '200' });
    const error = (await rejection(client.get('/api/v2/jobs/'))) as RescaleApiError;
    assert.equal(error.message, 'GET /api/v2/jobs/: Rescale did not answer within 0.2 s, 3 attempts');
    assert.match(error.hint ?? '', /RESCALE_PLATFORM_URL; DLRUN_NETWORK_TIMEOUT_MS \(now 200\)/);
    assert.equal(dead.connections(), 3);
  });

  test('a silent server: postOnce is sent once', async (t) => {
    const dead = await startDeadEndpoint(t, 'silent');
    const client = clientOf(dead.endpoint, { DLRUN_NETWORK_TIMEOUT_MS: '200' });
    const error = await rejection(client.postOnce('/api/v2/jobs/', {}));
    assert.equal(error.message, 'POST /api/v2/jobs/: Rescale did not answer within 0.2 s');
    assert.equal(dead.connections(), 1);
  });

  test('a silent server: an upload is sent once, within the deadline', async (t) => {
    const dead = await startDeadEndpoint(t, 'silent');
    const file = path.join(tempDir(t), 'archive');
    writeFileSync(file, randomBytes(1024));
    const client = clientOf(dead.endpoint, { DLRUN_NETWORK_TIMEOUT_MS: '200' });
    const error = await rejection(client.upload('/api/v2/files/contents/', 'a.tgz', file));
    assert.equal(error.message, 'POST /api/v2/files/contents/: Rescale did not answer within 0.2 s');
    assert.equal(dead.connections(), 1);
  });

  test('a download that stops sending has the deadline between pieces', async (t) => {
    const server = await loopback(t, (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '1000' });
      response.write(Buffer.alloc(100));
    });
    const to = path.join(tempDir(t), 'out.bin');
    const client = clientOf(server.url, { DLRUN_NETWORK_TIMEOUT_MS: '200' });
    const error = await rejection(client.download('/api/v2/files/f1/contents/', to));
    assert.match(
      error.message,
      /GET \/api\/v2\/files\/f1\/contents\/: Rescale did not answer within 0\.2 s, 3 attempts/,
    );
    assert.equal(server.requests.length, 3);
    assert.equal(existsSync(to), false);
  });
});

describe('error messages', () => {
  test('401: the key was rejected; keys belong to one platform, named, and where to get one', async (t) => {
    const server = await loopback(t, (_request, response) => json(response, 401, { detail: 'Invalid token.' }));
    const error = (await rejection(clientOf(server.url).get('/api/v2/users/me/'))) as RescaleApiError;
    assert.equal(error.message, 'GET /api/v2/users/me/: Rescale rejected the API key (401: Invalid token.)');
    assert.match(error.hint ?? '', /RESCALE_API_KEY/);
    assert.match(error.hint ?? '', new RegExp(`this one is ${server.url.replace(/\./g, '\\.')}`));
    assert.match(error.hint ?? '', /from RESCALE_PLATFORM_URL in your shell/);
    assert.match(error.hint ?? '', /Settings > API Key/);
    assert.equal(error.isRetryable, false);
  });

  test("400: DRF's field errors, flattened, cleaned of control characters", async (t) => {
    const server = await loopback(t, (_request, response) =>
      json(response, 400, {
        name: ['This field is required.'],
        jobanalyses: [{ hardware: { coreType: ['Invalid core type "x\u001b[31m".'] } }],
      }),
    );
    const error = await rejection(clientOf(server.url).postOnce('/api/v2/jobs/', {}));
    assert.equal(
      error.message,
      'POST /api/v2/jobs/: Rescale refused the request (400: name: This field is required.; ' +
        'jobanalyses[0].hardware.coreType: Invalid core type "x [31m".)',
    );
  });

  test('404 and 403 say what they mean; a long answer is cut to 300 characters', async (t) => {
    const server = await loopback(t, (request, response) =>
      request.url.includes('secret')
        ? json(response, 403, { detail: 'You do not have permission to perform this action.' })
        : json(response, 404, { detail: 'x'.repeat(5000) }),
    );
    const missing = (await rejection(clientOf(server.url).get('/api/v2/jobs/abc/'))) as RescaleApiError;
    assert.match(missing.message, /^GET \/api\/v2\/jobs\/abc\/: Rescale has no such resource \(404: x+…\)$/);
    assert.ok(missing.message.length < 400);
    assert.match(missing.hint ?? '', /jobs and files belong to one platform/);
    const denied = await rejection(clientOf(server.url).get('/api/v2/secret/'));
    assert.match(denied.message, /Rescale does not let this API key do that \(403: You do not have permission/);
  });

  test('nothing listening names the platform URL and the setting it came from', async () => {
    const port = await freePort();
    const error = (await rejection(clientOf(`http://127.0.0.1:${port}`).get('/api/v2/jobs/'))) as RescaleApiError;
    assert.equal(
      error.message,
      `GET /api/v2/jobs/: nothing accepts connections at http://127.0.0.1:${port} ` +
        '(from RESCALE_PLATFORM_URL in your shell) (ECONNREFUSED)',
    );
    assert.match(error.hint ?? '', /check RESCALE_PLATFORM_URL in your shell/);
  });
});

/** A port nothing listens on: one the system just gave out and took back. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

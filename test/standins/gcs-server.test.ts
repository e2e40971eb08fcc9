import { ApiError, type Storage } from '@google-cloud/storage';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test, type TestContext } from 'vitest';
import { defer } from '../support/cleanup.js';
import { testStorage } from './gcs-client.js';
import { gcsServerFor, type GcsServer, type GcsServerOptions } from './gcs-server.js';

const BUCKET = 'dlrun-staging';

async function standIn(
  t: TestContext,
  options: GcsServerOptions = {},
): Promise<{ server: GcsServer; storage: Storage }> {
  const server = await gcsServerFor(t, options);
  server.createBucket(BUCKET);
  return { server, storage: testStorage(server.endpoint, options.requireToken ? { token: options.requireToken } : {}) };
}

/** What the client reports for an error answer: its ApiError, with the status and the API's reason. */
function apiError(code: number, reason: string): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof ApiError, `an ApiError, not ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.errors?.[0]?.reason, reason);
    return true;
  };
}

/**
 * What the client reports when a resumable upload's session POST fails: the HTTP client's GaxiosError, with the
 * status and the API's error body.
 */
function sessionError(status: number, reason: string): (error: unknown) => true {
  return (error) => {
    const failure = error as { status?: number; response?: { data?: { error?: { errors?: { reason?: string }[] } } } };
    assert.equal(failure.status, status, String(error));
    assert.equal(failure.response?.data?.error?.errors?.[0]?.reason, reason);
    return true;
  };
}

const md5 = (bytes: Buffer): string => createHash('md5').update(bytes).digest('base64');

describe('uploads', () => {
  test('a multipart upload (resumable: false) stores the bytes, the content type and custom metadata', async (t) => {
    const { server, storage } = await standIn(t);
    const file = storage.bucket(BUCKET).file('jobs/job-1/workdir.tar.gz');
    await file.save(Buffer.from('the workdir'), {
      resumable: false,
      contentType: 'application/gzip',
      metadata: { metadata: { 'dlrun-job-id': 'job-1', attempt: '2' } },
    });

    const stored = server.object(BUCKET, 'jobs/job-1/workdir.tar.gz');
    assert.equal(stored?.bytes.toString(), 'the workdir');
    assert.equal(stored?.fields.contentType, 'application/gzip');
    assert.deepEqual(stored?.metadata, { 'dlrun-job-id': 'job-1', attempt: '2' });
    const [upload] = server.requests({ method: 'POST' });
    assert.equal(upload?.path, `/upload/storage/v1/b/${BUCKET}/o`);
    assert.equal(upload?.query.uploadType, 'multipart');
    assert.match(String(upload?.headers['content-type']), /^multipart\/related; boundary=/);
    // The object resource the client kept comes from the answer, with the API's field names and string numbers.
    assert.equal(file.metadata.size, '11');
    assert.equal(file.metadata.md5Hash, md5(Buffer.from('the workdir')));
    assert.equal(file.metadata.generation, stored?.generation);
    assert.equal(file.metadata.kind, 'storage#object');
  });

  test('a resumable upload in one request: a session URI, then one PUT of every byte', async (t) => {
    const { server, storage } = await standIn(t);
    const bytes = randomBytes(40_000);
    await storage.bucket(BUCKET).file('outputs/model.bin').save(bytes, { contentType: 'application/octet-stream' });

    assert.deepEqual(server.object(BUCKET, 'outputs/model.bin')?.bytes, bytes);
    const calls = server.requests().map((request) => [request.method, request.query.uploadType, request.status]);
    assert.deepEqual(calls, [
      ['POST', 'resumable', 200],
      ['PUT', 'resumable', 200],
    ]);
    const put = server.requests({ method: 'PUT' })[0];
    assert.ok(put?.query.upload_id, 'the PUT goes to the session URI the POST answered in Location');
    assert.equal(put?.headers['content-range'], 'bytes 0-*/*');
    assert.equal(put?.bodyLength, bytes.length);
  });

  test('a resumable upload in 256 KiB chunks: 308 with Range after each chunk but the last', async (t) => {
    const { server, storage } = await standIn(t);
    const chunk = 256 * 1024;
    const bytes = randomBytes(2 * chunk + 123_456);
    await storage.bucket(BUCKET).file('outputs/checkpoint.pt').save(bytes, { chunkSize: chunk });

    assert.ok(server.object(BUCKET, 'outputs/checkpoint.pt')?.bytes.equals(bytes));
    const puts = server.requests({ method: 'PUT' });
    assert.deepEqual(
      puts.map((put) => [put.headers['content-range'], put.status]),
      [
        [`bytes 0-${chunk - 1}/*`, 308],
        [`bytes ${chunk}-${2 * chunk - 1}/*`, 308],
        [`bytes ${2 * chunk}-${bytes.length - 1}/${bytes.length}`, 200],
      ],
    );
  });

  test('the object name comes from ?name= or from the metadata part, and a name with / travels as %2F', async (t) => {
    const { server, storage } = await standIn(t);
    const name = 'runs/2026 11/ünïcode+%.txt';
    await storage.bucket(BUCKET).file(name).save('odd name', { resumable: false });
    const [metadata] = await storage.bucket(BUCKET).file(name).getMetadata();
    assert.equal(metadata.name, name);
    const get = server.requests({ method: 'GET' })[0];
    assert.equal(get?.path, `/storage/v1/b/${BUCKET}/o/${encodeURIComponent(name)}`);
    assert.ok(get?.path.includes('runs%2F2026%2011%2F'));

    // Without ?name=, the name in the metadata part is the object's.
    const boundary = 'xyz';
    const body = [
      `--${boundary}`,
      'Content-Type: application/json; charset=UTF-8',
      '',
      JSON.stringify({ name: 'from-metadata.txt', contentType: 'text/plain' }),
      `--${boundary}`,
      'Content-Type: application/octet-stream',
      '',
      'named by its metadata',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const answer = await fetch(`${server.endpoint}/upload/storage/v1/b/${BUCKET}/o?uploadType=multipart`, {
      method: 'POST',
      headers: { 'content-type': `multipart/related; boundary=${boundary}` },
      body,
    });
    assert.equal(answer.status, 200);
    assert.equal(server.object(BUCKET, 'from-metadata.txt')?.bytes.toString(), 'named by its metadata');
    assert.equal(server.object(BUCKET, 'from-metadata.txt')?.fields.contentType, 'text/plain');

    // A name with a bare / in the path is no object path of the API.
    const bare = await fetch(`${server.endpoint}/storage/v1/b/${BUCKET}/o/runs/x.txt`);
    assert.equal(bare.status, 404);
  });

  test('ifGenerationMatch=0 creates only: 412 conditionNotMet when the object exists, by either upload', async (t) => {
    const { server, storage } = await standIn(t);
    server.putObject(BUCKET, 'jobs/job-1/lock', 'first');
    const file = storage.bucket(BUCKET).file('jobs/job-1/lock');
    const onlyNew = { preconditionOpts: { ifGenerationMatch: 0 } };
    await assert.rejects(file.save('second', { resumable: false, ...onlyNew }), apiError(412, 'conditionNotMet'));
    await assert.rejects(file.save('second', onlyNew), sessionError(412, 'conditionNotMet'));
    assert.equal(server.object(BUCKET, 'jobs/job-1/lock')?.bytes.toString(), 'first');

    await storage
      .bucket(BUCKET)
      .file('jobs/job-2/lock')
      .save('new', { resumable: false, ...onlyNew });
    assert.equal(server.object(BUCKET, 'jobs/job-2/lock')?.bytes.toString(), 'new');
  });

  test('a read-only bucket: reads work, every change is 403 forbidden', async (t) => {
    const { server, storage } = await standIn(t);
    server.createBucket('shared-datasets', { writable: false });
    server.putObject('shared-datasets', 'mnist.npz', 'digits');
    const bucket = storage.bucket('shared-datasets');

    const [bytes] = await bucket.file('mnist.npz').download();
    assert.equal(bytes.toString(), 'digits');
    await assert.rejects(bucket.file('mine.txt').save('x', { resumable: false }), apiError(403, 'forbidden'));
    await assert.rejects(bucket.file('mnist.npz').delete(), apiError(403, 'forbidden'));
    await assert.rejects(bucket.file('mnist.npz').setMetadata({ metadata: { a: 'b' } }), apiError(403, 'forbidden'));
    await assert.rejects(bucket.file('mine.txt').save('x'), sessionError(403, 'forbidden'));
    assert.deepEqual(
      server.objects('shared-datasets').map((stored) => stored.name),
      ['mnist.npz'],
    );
  });

  test('the session protocol by hand: status requests, overlapping chunks, the last one, then cancel', async (t) => {
    const { server } = await standIn(t);
    const opened = await fetch(`${server.endpoint}/upload/storage/v1/b/${BUCKET}/o?uploadType=resumable&name=s.bin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-upload-content-type': 'text/plain' },
      body: JSON.stringify({ metadata: { step: 'one' } }),
    });
    assert.equal(opened.status, 200);
    const session = String(opened.headers.get('location'));
    assert.ok(session.startsWith(`${server.endpoint}/upload/storage/v1/b/${BUCKET}/o?`));
    const put = (range: string | undefined, body: string) =>
      fetch(session, { method: 'PUT', headers: range === undefined ? {} : { 'content-range': range }, body });

    const nothingYet = await put('bytes */*', '');
    assert.deepEqual([nothingYet.status, nothingYet.headers.get('range')], [308, null]);
    const first = await put('bytes 0-4/*', 'hello');
    assert.deepEqual([first.status, first.headers.get('range')], [308, 'bytes=0-4']);
    // A chunk that starts inside what was persisted is taken from the first new byte.
    const overlapping = await put('bytes 3-7/*', 'lo, w');
    assert.deepEqual([overlapping.status, overlapping.headers.get('range')], [308, 'bytes=0-7']);
    // A chunk that leaves a gap is refused.
    assert.equal((await put('bytes 20-21/*', 'no')).status, 400);
    const last = await put('bytes 8-11/12', 'orld');
    assert.equal(last.status, 200);
    const resource = (await last.json()) as { name: string; size: string; contentType: string; metadata: object };
    assert.deepEqual(
      [resource.name, resource.size, resource.contentType, resource.metadata],
      ['s.bin', '12', 'text/plain', { step: 'one' }],
    );
    assert.equal(server.object(BUCKET, 's.bin')?.bytes.toString(), 'hello, world');
    // The last request again (a retry after a lost answer) gets the same object, and stores nothing new.
    assert.equal((await put('bytes 8-11/12', 'orld')).status, 200);
    assert.equal(server.objects(BUCKET).length, 1);

    const another = await fetch(`${server.endpoint}/upload/storage/v1/b/${BUCKET}/o?uploadType=resumable&name=t`, {
      method: 'POST',
    });
    const anotherSession = String(another.headers.get('location'));
    assert.equal((await fetch(anotherSession, { method: 'DELETE' })).status, 499);
    assert.equal((await fetch(anotherSession, { method: 'PUT', body: 'late' })).status, 404);
  });

  test('uploadType=media: the name from ?name=, the type from Content-Type; no uploadType is 400', async (t) => {
    const { server } = await standIn(t);
    const media = await fetch(`${server.endpoint}/upload/storage/v1/b/${BUCKET}/o?uploadType=media&name=m.txt`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'plain bytes',
    });
    assert.equal(media.status, 200);
    assert.equal(server.object(BUCKET, 'm.txt')?.bytes.toString(), 'plain bytes');
    assert.equal(server.object(BUCKET, 'm.txt')?.fields.contentType, 'text/plain');
    const nameless = await fetch(`${server.endpoint}/upload/storage/v1/b/${BUCKET}/o?uploadType=media`, {
      method: 'POST',
      body: 'x',
    });
    assert.equal(nameless.status, 400);
    const untyped = await fetch(`${server.endpoint}/upload/storage/v1/b/${BUCKET}/o?name=u.txt`, {
      method: 'POST',
      body: 'x',
    });
    assert.equal(untyped.status, 400);
    assert.deepEqual(
      server.objects(BUCKET).map((stored) => stored.name),
      ['m.txt'],
    );
  });

  test('an upload whose bytes do not match the md5Hash it declares is refused with 400', async (t) => {
    const { server } = await standIn(t);
    const body = [
      '--b',
      'Content-Type: application/json',
      '',
      JSON.stringify({ md5Hash: md5(Buffer.from('something else')) }),
      '--b',
      'Content-Type: text/plain',
      '',
      'these bytes',
      '--b--',
    ].join('\r\n');
    const answer = await fetch(`${server.endpoint}/upload/storage/v1/b/${BUCKET}/o?uploadType=multipart&name=x`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/related; boundary=b' },
      body,
    });
    assert.equal(answer.status, 400);
    assert.equal(
      ((await answer.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason,
      'invalid',
    );
    assert.equal(server.object(BUCKET, 'x'), undefined);
  });
});

describe('downloads and metadata', () => {
  test('a download is validated against the stand-in hashes: intact bytes pass, a flipped bit fails', async (t) => {
    const { server, storage } = await standIn(t);
    const bytes = randomBytes(100_000);
    server.putObject(BUCKET, 'logs/job-1.log', bytes, { contentType: 'text/plain' });
    const file = storage.bucket(BUCKET).file('logs/job-1.log');

    const [crcChecked] = await file.download();
    assert.ok(crcChecked.equals(bytes));
    const [md5Checked] = await file.download({ validation: 'md5' });
    assert.ok(md5Checked.equals(bytes));

    server.corruptObject(BUCKET, 'logs/job-1.log');
    await assert.rejects(file.download(), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'CONTENT_DOWNLOAD_MISMATCH');
      return true;
    });
    // Without validation the corrupted bytes come through, which is what the check is for.
    const [unchecked] = await file.download({ validation: false });
    assert.equal(unchecked.length, bytes.length);
    assert.ok(!unchecked.equals(bytes));
  });

  test('a range download gets 206 and the bytes asked for, the tail of a log included', async (t) => {
    const { server, storage } = await standIn(t);
    server.putObject(BUCKET, 'logs/job-1.log', '0123456789');
    const file = storage.bucket(BUCKET).file('logs/job-1.log');
    assert.equal((await file.download({ start: 2, end: 5 }))[0].toString(), '2345');
    assert.equal((await file.download({ start: 7 }))[0].toString(), '789');
    assert.equal((await file.download({ end: -3 }))[0].toString(), '789');
    assert.deepEqual(
      server.requests().map((request) => [request.headers.range, request.status]),
      [
        ['bytes=2-5', 206],
        ['bytes=7-', 206],
        ['bytes=-3', 206],
      ],
    );
  });

  test('exists, getMetadata, setMetadata (merged, null removes a key) and delete', async (t) => {
    const { server, storage } = await standIn(t);
    server.putObject(BUCKET, 'jobs/job-1/state.json', '{}', {
      contentType: 'application/json',
      metadata: { phase: 'running', owner: 'ada' },
    });
    const file = storage.bucket(BUCKET).file('jobs/job-1/state.json');
    assert.deepEqual(await file.exists(), [true]);
    assert.deepEqual(await storage.bucket(BUCKET).file('jobs/job-9/state.json').exists(), [false]);
    assert.deepEqual(await storage.bucket(BUCKET).exists(), [true]);
    assert.deepEqual(await storage.bucket('no-such-bucket').exists(), [false]);

    const [before] = await file.getMetadata();
    assert.equal(before.contentType, 'application/json');
    assert.equal(before.metageneration, '1');
    assert.deepEqual(before.metadata, { phase: 'running', owner: 'ada' });

    const [after] = await file.setMetadata({ metadata: { phase: 'done', owner: null } });
    assert.deepEqual(after.metadata, { phase: 'done' });
    assert.equal(after.metageneration, '2');
    assert.equal(after.generation, before.generation);
    assert.deepEqual(server.object(BUCKET, 'jobs/job-1/state.json')?.metadata, { phase: 'done' });

    await file.delete();
    assert.equal(server.object(BUCKET, 'jobs/job-1/state.json'), undefined);
    assert.deepEqual(await file.exists(), [false]);
    assert.equal(server.requests({ method: 'DELETE' })[0]?.status, 204);
  });

  test('missing objects and buckets are ApiError 404 notFound, for metadata, downloads and deletes', async (t) => {
    const { storage } = await standIn(t);
    const missing = storage.bucket(BUCKET).file('nothing-here');
    await assert.rejects(missing.getMetadata(), apiError(404, 'notFound'));
    await assert.rejects(missing.delete(), apiError(404, 'notFound'));
    await assert.rejects(missing.download(), (error: Error & { code?: number }) => {
      assert.equal(error.code, 404);
      return true;
    });
    await assert.rejects(storage.bucket('no-such-bucket').getMetadata(), apiError(404, 'notFound'));
    await assert.rejects(storage.bucket('no-such-bucket').getFiles(), apiError(404, 'notFound'));
  });

  test('errors come in the JSON API layout: code, message and errors[] with domain, reason and message', async (t) => {
    const { server } = await standIn(t);
    const answer = await fetch(`${server.endpoint}/storage/v1/b/${BUCKET}/o/nothing-here`);
    assert.equal(answer.status, 404);
    assert.match(String(answer.headers.get('content-type')), /^application\/json/);
    const body = (await answer.json()) as { error: { code: number; message: string; errors: unknown[] } };
    assert.equal(body.error.code, 404);
    assert.deepEqual(body.error.errors, [{ domain: 'global', reason: 'notFound', message: body.error.message }]);
  });

  test('buckets: insert with ?project=, metadata, 409 conflict for a name taken', async (t) => {
    const { server, storage } = await standIn(t);
    const [bucket] = await storage.createBucket('dlrun-new-bucket');
    assert.equal(bucket.name, 'dlrun-new-bucket');
    const insert = server.requests({ method: 'POST' })[0];
    assert.equal(insert?.path, '/storage/v1/b');
    assert.equal(insert?.query.project, 'test');
    const [metadata] = await storage.bucket('dlrun-new-bucket').getMetadata();
    assert.equal(metadata.kind, 'storage#bucket');
    assert.equal(metadata.name, 'dlrun-new-bucket');
    await assert.rejects(storage.createBucket('dlrun-new-bucket'), apiError(409, 'conflict'));
  });
});

describe('listing', () => {
  test('getFiles without autoPaginate follows nextQuery page by page, and every object comes once', async (t) => {
    const { server, storage } = await standIn(t);
    const names = Array.from({ length: 7 }, (_, index) => `runs/job-1/out-${index}.txt`);
    for (const name of names) server.putObject(BUCKET, name, name);
    server.putObject(BUCKET, 'runs/job-2/other.txt', 'not under the prefix');

    const seen: string[] = [];
    let query: object | null = { prefix: 'runs/job-1/', maxResults: 3, autoPaginate: false };
    let pages = 0;
    // A bound, so that a token that never ends fails the test instead of hanging it.
    while (query && pages < 10) {
      const [files, next]: [{ name: string }[], object | null, unknown] = await storage.bucket(BUCKET).getFiles(query);
      pages += 1;
      seen.push(...files.map((file) => file.name));
      query = next;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, names);
    const tokens = server.requests({ method: 'GET' }).map((request) => request.query.pageToken);
    assert.equal(tokens[0], undefined);
    assert.ok(tokens[1] && tokens[2] && tokens[1] !== tokens[2]);
  });

  test('getFiles with autoPaginate reads every page of 1,000 (2,500 objects: three requests)', async (t) => {
    const { server, storage } = await standIn(t);
    for (let index = 0; index < 2_500; index += 1)
      server.putObject(BUCKET, `many/${String(index).padStart(4, '0')}`, '');
    const [files] = await storage.bucket(BUCKET).getFiles({ prefix: 'many/' });
    assert.equal(files.length, 2_500);
    assert.equal(new Set(files.map((file) => file.name)).size, 2_500);
    assert.equal(server.requests({ method: 'GET' }).length, 3);
  });

  test('a delimiter folds names into prefixes; a page holds at most maxResults items and prefixes', async (t) => {
    const { server, storage } = await standIn(t);
    for (const name of ['runs/a/1', 'runs/a/2', 'runs/b/1', 'runs/top.txt', 'runs/z/deep/1', 'other/1'])
      server.putObject(BUCKET, name, name);
    const [files, , response] = (await storage
      .bucket(BUCKET)
      .getFiles({ prefix: 'runs/', delimiter: '/', autoPaginate: false })) as unknown as [
      { name: string }[],
      unknown,
      { prefixes?: string[]; items?: unknown[]; nextPageToken?: string },
    ];
    assert.deepEqual(
      files.map((file) => file.name),
      ['runs/top.txt'],
    );
    assert.deepEqual(response.prefixes, ['runs/a/', 'runs/b/', 'runs/z/']);
    assert.equal(response.nextPageToken, undefined);

    // Pages of two entries: items and prefixes count together, and no prefix comes twice.
    const entries: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      pages += 1;
      const answer = await fetch(
        `${server.endpoint}/storage/v1/b/${BUCKET}/o?prefix=runs%2F&delimiter=%2F&maxResults=2` +
          (pageToken ? `&pageToken=${pageToken}` : ''),
      );
      const page = (await answer.json()) as { items?: { name: string }[]; prefixes?: string[]; nextPageToken?: string };
      assert.ok((page.items?.length ?? 0) + (page.prefixes?.length ?? 0) <= 2);
      entries.push(...(page.prefixes ?? []), ...(page.items ?? []).map((item) => item.name));
      pageToken = page.nextPageToken;
    } while (pageToken && pages < 10);
    assert.equal(pages, 2);
    assert.deepEqual(entries.sort(), ['runs/a/', 'runs/b/', 'runs/top.txt', 'runs/z/']);
  });

  test('an empty listing has neither items nor prefixes, and the client gives no files', async (t) => {
    const { server, storage } = await standIn(t);
    const answer = await fetch(`${server.endpoint}/storage/v1/b/${BUCKET}/o?prefix=nothing%2F`);
    assert.deepEqual(await answer.json(), { kind: 'storage#objects' });
    assert.deepEqual((await storage.bucket(BUCKET).getFiles({ prefix: 'nothing/' }))[0], []);
  });
});

describe('credentials', () => {
  test('with requireToken, the bearer token reaches the stand-in on every call that needs one', async (t) => {
    const { server, storage } = await standIn(t, { requireToken: 'abc' });
    const file = storage.bucket(BUCKET).file('jobs/job-1/workdir.tar.gz');
    await file.save('multipart', { resumable: false });
    // The session URI comes from an authorized POST; the PUTs to it need no credentials, and the client sends none.
    const [uri] = await file.createResumableUpload();
    await file.save(randomBytes(300 * 1024), { uri, chunkSize: 256 * 1024 });
    await file.download();
    await storage.bucket(BUCKET).getFiles();
    await file.delete();

    const authorized = server.requests().filter((request) => request.query.upload_id === undefined);
    assert.deepEqual(
      authorized.map((request) => [request.method, request.query.uploadType, request.headers.authorization]),
      [
        ['POST', 'multipart', 'Bearer abc'],
        ['POST', 'resumable', 'Bearer abc'],
        ['GET', undefined, 'Bearer abc'],
        ['GET', undefined, 'Bearer abc'],
        ['DELETE', undefined, 'Bearer abc'],
      ],
    );
    const chunks = server.requests({ method: 'PUT' });
    assert.ok(chunks.length >= 2);
    for (const chunk of chunks) {
      assert.ok(chunk.status === 308 || chunk.status === 200);
      assert.equal(chunk.headers.authorization, undefined);
    }
    assert.ok(server.requests().every((request) => request.status !== undefined && request.status < 400));
  });

  test('a custom endpoint gets no credentials on the session POST of save() (client 7.22): 401', async (t) => {
    // File#startResumableUpload_ does not pass useAuthWithCustomEndpoint to the resumable upload, which then talks
    // to any endpoint outside googleapis.com with plain gaxios; createResumableUpload() does pass it (above).
    const { server, storage } = await standIn(t, { requireToken: 'abc' });
    await assert.rejects(storage.bucket(BUCKET).file('a.bin').save(randomBytes(10)), sessionError(401, 'required'));
    const [post] = server.requests();
    assert.equal(post?.query.uploadType, 'resumable');
    assert.equal(post?.headers.authorization, undefined);
  });

  test('with requireToken, no token is 401 required and a wrong one 401 authError; nothing is stored', async (t) => {
    const { server } = await standIn(t, { requireToken: 'abc' });
    const anonymous = testStorage(server.endpoint).bucket(BUCKET).file('x.txt');
    await assert.rejects(anonymous.getMetadata(), apiError(401, 'required'));
    await assert.rejects(anonymous.save('x', { resumable: false }), apiError(401, 'required'));
    assert.equal(server.requests()[0]?.headers.authorization, undefined);

    const wrong = testStorage(server.endpoint, { token: 'not-abc' }).bucket(BUCKET).file('x.txt');
    await assert.rejects(wrong.getMetadata(), apiError(401, 'authError'));
    await assert.rejects(wrong.createResumableUpload(), sessionError(401, 'authError'));
    assert.deepEqual(server.objects(BUCKET), []);
  });
});

describe('faults', () => {
  test('a 503 backendError, then success: the client retries by itself', async (t) => {
    const { server, storage } = await standIn(t);
    server.putObject(BUCKET, 'a.txt', 'a');
    server.inject({ method: 'GET', path: `/storage/v1/b/${BUCKET}/o/a.txt`, kind: 503 });
    const [metadata] = await storage.bucket(BUCKET).file('a.txt').getMetadata();
    assert.equal(metadata.name, 'a.txt');
    assert.deepEqual(
      server.requests().map((request) => [request.fault, request.status]),
      [
        [503, 503],
        [undefined, 200],
      ],
    );
  });

  test('429 rateLimitExceeded on every attempt: the client gives up after its retries with the 429', async (t) => {
    const { server } = await standIn(t);
    server.putObject(BUCKET, 'a.txt', 'a');
    server.inject({ path: /\/o\/a\.txt$/, kind: 429, times: Infinity });
    const storage = testStorage(server.endpoint, { maxRetries: 2 });
    await assert.rejects(storage.bucket(BUCKET).file('a.txt').getMetadata(), apiError(429, 'rateLimitExceeded'));
    assert.equal(server.requests().length, 3);
  });

  test('a 503 on a chunk of a resumable upload: the client asks what was persisted and resumes', async (t) => {
    const { server, storage } = await standIn(t);
    const chunk = 256 * 1024;
    const bytes = randomBytes(3 * chunk);
    server.inject({ method: 'PUT', kind: 503, times: 1 });
    // The client retries an upload only when a precondition makes it idempotent (its RetryConditional default).
    const onlyNew = { preconditionOpts: { ifGenerationMatch: 0 } };
    await storage
      .bucket(BUCKET)
      .file('outputs/big.bin')
      .save(bytes, { chunkSize: chunk, ...onlyNew });
    assert.ok(server.object(BUCKET, 'outputs/big.bin')?.bytes.equals(bytes));
    const puts = server.requests({ method: 'PUT' }).map((put) => [put.headers['content-range'], put.status]);
    assert.deepEqual(puts[0], [`bytes 0-${chunk - 1}/*`, 503]);
    assert.deepEqual(puts[1], ['bytes */*', 308]);
    assert.deepEqual(puts.at(-1), [`bytes ${2 * chunk}-${3 * chunk - 1}/${3 * chunk}`, 200]);
  });

  test('a dropped connection: the client sees the reset and retries; the object was read once', async (t) => {
    const { server, storage } = await standIn(t);
    server.putObject(BUCKET, 'a.txt', 'alpha');
    server.inject({ method: 'GET', kind: 'drop' });
    const [bytes] = await storage.bucket(BUCKET).file('a.txt').download();
    assert.equal(bytes.toString(), 'alpha');
    assert.deepEqual(
      server.requests().map((request) => [request.fault, request.status]),
      [
        ['drop', undefined],
        [undefined, 200],
      ],
    );
  });

  test('drop-after: the delete happened, the client saw a failure and, with no precondition, no retry', async (t) => {
    const { server, storage } = await standIn(t);
    server.putObject(BUCKET, 'a.txt', 'alpha');
    server.inject({ method: 'DELETE', kind: 'drop-after' });
    await assert.rejects(storage.bucket(BUCKET).file('a.txt').delete());
    assert.equal(server.object(BUCKET, 'a.txt'), undefined);
    assert.equal(server.requests({ method: 'DELETE' }).length, 1);
  });

  test('a delay past the client timeout: the request is retried and the late answer ignored', async (t) => {
    const { server } = await standIn(t);
    server.putObject(BUCKET, 'a.txt', 'alpha');
    server.inject({ method: 'GET', kind: 'delay', delayMs: 2_000 });
    const storage = testStorage(server.endpoint, { timeout: 300 });
    const [metadata] = await storage.bucket(BUCKET).file('a.txt').getMetadata();
    assert.equal(metadata.name, 'a.txt');
    assert.equal(server.requests().length, 2);
  });
});

describe('STORAGE_EMULATOR_HOST', () => {
  test('the client sends JSON calls to /b/... and uploads to /upload/storage/v1/...: both are served', async (t) => {
    const server = await gcsServerFor(t);
    server.createBucket(BUCKET);
    const previous = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = server.endpoint;
    defer(t, () => {
      if (previous === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = previous;
    });
    const file = testStorage(server.endpoint).bucket(BUCKET).file('dir/a.txt');
    await file.save('via the emulator variable', { resumable: false });
    assert.equal((await file.download())[0].toString(), 'via the emulator variable');
    await file.getMetadata();
    const paths = server.requests().map((request) => `${request.method} ${request.path}`);
    assert.deepEqual(paths, [
      `POST /upload/storage/v1/b/${BUCKET}/o`,
      `GET /b/${BUCKET}/o/dir%2Fa.txt`,
      `GET /b/${BUCKET}/o/dir%2Fa.txt`,
    ]);
  });
});

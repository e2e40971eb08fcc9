// The Rescale stand-in's absolute links (a page's `next`) name the Host the request came through, as Django's do,
// when that is a loopback address: a proxy in front of it that keeps the client's Host is then followed through.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'vitest';
import { rescaleServerFor } from './rescale-server.js';

function getWithHost(url: string, host: string, apiKey: string): Promise<{ next: string | null }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { host, authorization: `Token ${apiKey}` } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(JSON.parse(body) as { next: string | null }));
    });
    request.on('error', reject);
  });
}

test('next names a loopback Host the request came through, and never another host', async (t) => {
  const rescale = await rescaleServerFor(t);
  const list = `${rescale.url}/api/v2/coretypes/?page_size=1`;
  const proxied = await getWithHost(list, 'localhost:4567', rescale.apiKey);
  assert.equal(proxied.next, 'http://localhost:4567/api/v2/coretypes/?page_size=1&page=2');
  const elsewhere = await getWithHost(list, 'platform.example.com', rescale.apiKey);
  assert.equal(elsewhere.next, `${rescale.url}/api/v2/coretypes/?page_size=1&page=2`);
});

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { assertNoStack } from '../support/local-jobs.js';
import { postgresForThisFile } from '../support/postgres-server.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

// sslmode against a server that serves TLS with a self-signed certificate for localhost: as psql reads it.
const postgres = postgresForThisFile({ tls: true });

test('sslmode=require encrypts unchecked; verify-full checks the certificate, and its host name', async (t) => {
  const cluster = postgres(t);
  if (!cluster) return;
  const database = (await cluster.createDatabase()).split('/').at(-1)!;
  const home = tempDir(t, 'dlrun-home-');
  const status = (url: string) =>
    runCli(['status'], { cwd: home, home, env: { DLRUN_DB_URL: url }, timeoutMs: 60_000 });
  const at = (host: string, query: string) => `postgres://dlrun@${host}:${cluster.port}/${database}?${query}`;
  const encrypted = await status(at('127.0.0.1', 'sslmode=require'));
  assert.equal(encrypted.code, 0, encrypted.stderr);
  const untrusted = await status(at('localhost', 'sslmode=verify-full'));
  assert.equal(untrusted.code, 1);
  assert.match(untrusted.stderr, /could not set up TLS with the ledger database \(self[- ]signed certificate/);
  assertNoStack(untrusted);
  const trusted = await status(at('localhost', `sslmode=verify-full&sslrootcert=${cluster.certificate}`));
  assert.equal(trusted.code, 0, trusted.stderr);
  const otherName = await status(at('127.0.0.1', `sslmode=verify-full&sslrootcert=${cluster.certificate}`));
  assert.equal(otherName.code, 1, 'the certificate names localhost, not 127.0.0.1');
  assert.match(otherName.stderr, /could not set up TLS/);
  const unchecked = await status(at('127.0.0.1', `sslmode=verify-ca&sslrootcert=${cluster.certificate}`));
  assert.equal(unchecked.code, 0, `verify-ca checks the chain, not the name: ${unchecked.stderr}`);
  const plain = await status(at('127.0.0.1', 'sslmode=disable'));
  assert.equal(plain.code, 0, plain.stderr);
});

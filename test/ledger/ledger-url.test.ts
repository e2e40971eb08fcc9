import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { test } from 'vitest';
import { DlrunError } from '../../src/base/errors.js';
import { loadConfig } from '../../src/config.js';
import { checkDbUrl, passwordScrubber, redact, withLibpqSslModes } from '../../src/ledger/db-url.js';
import { ledgerUrl } from '../../src/ledger/ledger-url.js';
import { tempDir } from '../support/temp-dir.js';

const URL = 'postgres://team:pa%40ss:w0rd@db.example:5432/dlrun';

test('only postgres:// and postgresql:// URLs are taken; others are refused, redacted', () => {
  checkDbUrl(URL, 'DLRUN_DB_URL');
  checkDbUrl('postgresql://db.example/dlrun?sslmode=verify-full', 'DLRUN_DB_URL');
  for (const url of ['mysql://u:hunter2@h/db', 'sqlite:///tmp/x.db', 'db.example:5432', 'https://u:hunter2@h/']) {
    assert.throws(
      () => checkDbUrl(url, 'DLRUN_DB_URL'),
      (error: DlrunError) => /not a PostgreSQL URL/.test(error.message) && !error.message.includes('hunter2'),
    );
  }
  assert.throws(() => checkDbUrl(`${URL}?sslmode=strict`, 'DLRUN_DB_URL'), /unknown sslmode 'strict'/);
});

test('redact and the scrubber take the password out, as written and decoded, and a password= parameter', () => {
  assert.equal(redact(URL), 'postgres://team:***@db.example:5432/dlrun');
  assert.equal(redact('postgres://h/db?user=u&password=hunter2&x=1'), 'postgres://h/db?user=u&password=***&x=1');
  const scrub = passwordScrubber(URL);
  assert.equal(scrub(`failed for ${URL}: pa@ss:w0rd and pa%40ss:w0rd`), `failed for ${redact(URL)}: *** and ***`);
});

test("sslmode reaches pg's ssl option as psql reads it: require encrypts unchecked, verify-full checks", () => {
  const ssl = (url: string): unknown =>
    (
      new pg.Client({ connectionString: withLibpqSslModes(url) }) as unknown as {
        connectionParameters: { ssl: unknown };
      }
    ).connectionParameters.ssl;
  assert.equal(ssl('postgres://h/db?sslmode=disable'), false);
  assert.deepEqual(ssl('postgres://h/db?sslmode=require'), { rejectUnauthorized: false });
  assert.deepEqual(ssl('postgres://h/db?sslmode=verify-full'), {});
  assert.equal(ssl('postgres://h/db'), false, 'no sslmode: no TLS, as before');
  assert.equal(withLibpqSslModes('postgres://h/db'), 'postgres://h/db');
  assert.equal(
    withLibpqSslModes('postgres://h/db?sslmode=require&uselibpqcompat=true'),
    'postgres://h/db?sslmode=require&uselibpqcompat=true',
  );
});

test('DLRUN_DB_URL wins over ledger.url in $DLRUN_HOME/config.yaml; neither means SQLite', async (t) => {
  const home = tempDir(t);
  const config = (env: Record<string, string> = {}) => loadConfig({ DLRUN_HOME: home, ...env }, home);
  assert.equal(await ledgerUrl(config()), undefined);
  writeFileSync(path.join(home, 'config.yaml'), '# team ledger\nledger:\n  url: postgres://team@db.example/dlrun\n');
  assert.deepEqual(await ledgerUrl(config()), {
    url: 'postgres://team@db.example/dlrun',
    source: `ledger.url in ${path.join(home, 'config.yaml')} line 3`,
  });
  assert.equal((await ledgerUrl(config({ DLRUN_DB_URL: 'postgres://other/db' })))?.url, 'postgres://other/db');
  writeFileSync(path.join(home, 'config.yaml'), 'other: 1\n');
  assert.equal(await ledgerUrl(config()), undefined);
});

test('a broken config.yaml is a clear error naming the file and the line', async (t) => {
  const home = tempDir(t);
  mkdirSync(home, { recursive: true });
  const file = path.join(home, 'config.yaml');
  const config = loadConfig({ DLRUN_HOME: home }, home);
  const cases: [string, RegExp][] = [
    ['ledger:\n  url: [unclosed\n', / line \d:/],
    ['ledger:\n  url: 42\n', / line 2: 'ledger.url' must be a postgres:\/\/ URL/],
    ['ledger: postgres://x/y\n', / line 1: 'ledger' must be a mapping/],
    [
      'ledger:\n  url: mysql://u:hunter2@h/db\n',
      /ledger.url in .* line 2 \(mysql:\/\/u:\*\*\*@h\/db\) is not a PostgreSQL/,
    ],
  ];
  for (const [text, expected] of cases) {
    writeFileSync(file, text);
    await assert.rejects(
      () => ledgerUrl(config),
      (error: DlrunError) =>
        error instanceof DlrunError && error.message.includes(file) && expected.test(error.message),
      text,
    );
  }
});

test('passwords are found however the URL is written: no user, unencoded / : @ in the password', () => {
  const cases: [string, string][] = [
    ['postgres://:hunter2@h/db', 'postgres://:***@h/db'],
    ['postgres://u:hun/ter@2@h:5432/db?sslmode=require', 'postgres://u:***@h:5432/db?sslmode=require'],
    ['postgres://u:a:b@h/db', 'postgres://u:***@h/db'],
    ['postgres://h:5432/db', 'postgres://h:5432/db'],
    ['postgres://u@h/db?application_name=x@y', 'postgres://u@h/db?application_name=x@y'],
  ];
  for (const [url, redacted] of cases) {
    assert.equal(redact(url), redacted);
    assert.equal(passwordScrubber(url)(`said ${url}`), `said ${redacted}`);
  }
  assert.equal(
    passwordScrubber('postgres://u:hun/ter@2@h/db')('password hun/ter@2 was wrong'),
    'password *** was wrong',
  );
});

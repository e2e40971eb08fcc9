import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'vitest';
import { loadConfig } from '../src/config.js';
import { readDotenvFile } from '../src/trust/read-dotenv.js';
import { writeTrustList } from '../src/trust/trust-list.js';
import { tempDir } from './support/temp-dir.js';

test('DLRUN_HOME defaults to ~/.dlrun and is resolved against the working folder', (t) => {
  const cwd = tempDir(t);
  assert.equal(loadConfig({}, cwd).home, path.join(os.homedir(), '.dlrun'));
  assert.equal(loadConfig({ DLRUN_HOME: 'relative/home' }, cwd).home, path.join(cwd, 'relative', 'home'));
});

/** Allow `folder`'s .env as it is now in the trust list under `home`, as `dlrun allow` does. */
function allow(folder: string, home: string): void {
  const dotenv = readDotenvFile(folder);
  assert.equal(dotenv.kind, 'present');
  writeTrustList(path.join(home, 'allowed-folders.json'), [
    { folder, dotenv_sha256: dotenv.kind === 'present' ? dotenv.sha256 : '', allowed_at: new Date().toISOString() },
  ]);
}

test('.env in an allowed folder is read, and the shell wins over it', (t) => {
  const cwd = tempDir(t);
  const home = tempDir(t);
  writeFileSync(
    path.join(cwd, '.env'),
    'DLRUN_HOME=/from/dotenv\nWANDB_API_KEY=from-dotenv\nDLRUN_LEDGER_TIMEOUT_MS=250\n',
  );
  allow(cwd, home);
  assert.equal(
    loadConfig({}, cwd).dotenv.trust,
    'not-allowed',
    'the trust list is in the shell DLRUN_HOME (here ~/.dlrun), not this one',
  );
  const allowed = loadConfig({ DLRUN_HOME: home }, cwd);
  assert.equal(allowed.dotenv.trust, 'allowed');
  assert.equal(allowed.env.WANDB_API_KEY, 'from-dotenv');
  assert.equal(allowed.ledgerTimeoutMs, 250);
  const shellWins = loadConfig({ DLRUN_HOME: home, WANDB_API_KEY: 'from-shell' }, cwd);
  assert.equal(shellWins.home, home);
  assert.equal(shellWins.env.WANDB_API_KEY, 'from-shell');
});

test(
  '.env in a folder nobody allowed gives harmless settings only; the rest is ignored and named, ' + 'never its values',
  (t) => {
    const cwd = tempDir(t);
    const home = tempDir(t);
    writeFileSync(
      path.join(cwd, '.env'),
      [
        'DLRUN_HOME=/from/dotenv',
        'DLRUN_LEDGER_TIMEOUT_MS=250',
        'NO_COLOR=1',
        'AWS_REGION=eu-west-1',
        'AWS_DEFAULT_REGION=evil.example.com#',
        'AWS_ENDPOINT_URL=http://127.0.0.1:1/',
        'AWS_CONFIG_FILE=./aws-config',
        'PATH=/tmp/evil',
        'WANDB_API_KEY=secret-value',
        '',
      ].join('\n'),
    );
    const config = loadConfig({ DLRUN_HOME: home }, cwd);
    assert.equal(config.dotenv.trust, 'not-allowed');
    assert.equal(config.home, home, 'the shell wins anyway');
    assert.equal(config.ledgerTimeoutMs, 250);
    assert.equal(config.noColor, true);
    assert.equal(config.env.AWS_REGION, 'eu-west-1', 'a region name is harmless');
    for (const name of ['AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_CONFIG_FILE', 'PATH', 'WANDB_API_KEY'])
      assert.equal(config.env[name], undefined, name);
    // DLRUN_HOME is not named: the shell sets it, so .env's would not count in an allowed folder either.
    assert.deepEqual(config.dotenv.ignored, ['AWS_CONFIG_FILE', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'PATH']);
    assert.equal(config.dotenv.values.WANDB_API_KEY, 'secret-value', 'kept for a job that declares it a secret');
  },
);

test('NO_COLOR with any value turns colour off; a bad timeout falls back to 10 s', (t) => {
  const cwd = tempDir(t);
  assert.equal(loadConfig({ NO_COLOR: '1' }, cwd).noColor, true);
  assert.equal(loadConfig({ NO_COLOR: '' }, cwd).noColor, false);
  assert.equal(loadConfig({}, cwd).noColor, false);
  assert.equal(loadConfig({ DLRUN_LEDGER_TIMEOUT_MS: 'soon' }, cwd).ledgerTimeoutMs, 10_000);
  assert.equal(loadConfig({ DLRUN_DB_URL: '' }, cwd).dbUrl, undefined);
});

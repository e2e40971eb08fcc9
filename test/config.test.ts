import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { tempDir } from './support/temp-dir.js';

test('DLRUN_HOME defaults to ~/.dlrun and is resolved against the working folder', (t) => {
  const cwd = tempDir(t);
  assert.equal(loadConfig({}, cwd).home, path.join(os.homedir(), '.dlrun'));
  assert.equal(loadConfig({ DLRUN_HOME: 'relative/home' }, cwd).home, path.join(cwd, 'relative', 'home'));
});

test('.env in the working folder is read, and the shell wins over it', (t) => {
  const cwd = tempDir(t);
  writeFileSync(path.join(cwd, '.env'), 'DLRUN_HOME=/from/dotenv\nWANDB_API_KEY=from-dotenv\nDLRUN_LEDGER_TIMEOUT_MS=250\n');
  const fromFile = loadConfig({}, cwd);
  assert.equal(fromFile.home, '/from/dotenv');
  assert.equal(fromFile.env['WANDB_API_KEY'], 'from-dotenv');
  assert.equal(fromFile.ledgerTimeoutMs, 250);
  const shellWins = loadConfig({ DLRUN_HOME: '/from/shell', WANDB_API_KEY: 'from-shell' }, cwd);
  assert.equal(shellWins.home, '/from/shell');
  assert.equal(shellWins.env['WANDB_API_KEY'], 'from-shell');
});

test('NO_COLOR with any value turns colour off; a bad timeout falls back to 10 s', (t) => {
  const cwd = tempDir(t);
  assert.equal(loadConfig({ NO_COLOR: '1' }, cwd).noColor, true);
  assert.equal(loadConfig({ NO_COLOR: '' }, cwd).noColor, false);
  assert.equal(loadConfig({}, cwd).noColor, false);
  assert.equal(loadConfig({ DLRUN_LEDGER_TIMEOUT_MS: 'soon' }, cwd).ledgerTimeoutMs, 10_000);
  assert.equal(loadConfig({ DLRUN_DB_URL: '' }, cwd).dbUrl, undefined);
});

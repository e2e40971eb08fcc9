import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { sensitiveReason } from '../../src/util/sensitive-files.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import { tempDir } from '../support/temp-dir.js';

function files(root: string, contents: Readonly<Record<string, string>>): string {
  for (const [name, content] of Object.entries(contents)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

test('which names hold secrets: files by name, folders by name, templates and public halves are not', () => {
  const table: [string, 'file' | 'folder' | 'link', string | undefined][] = [
    ['.env', 'file', 'secrets'],
    ['config/.env', 'file', 'secrets'],
    ['.env.production', 'file', 'secrets'],
    ['.env.local', 'file', 'secrets'],
    ['.env.example', 'file', undefined],
    ['.env.sample', 'file', undefined],
    ['.env.template', 'file', undefined],
    ['.env', 'folder', undefined], // a virtualenv called .env is no secrets file
    ['.envrc', 'file', 'secrets'],
    ['keys/id_rsa', 'file', 'a private key'],
    ['keys/id_rsa.pub', 'file', undefined],
    ['id_ed25519', 'file', 'a private key'],
    ['id_ed25519.pub', 'file', undefined],
    ['certs/server.pem', 'file', 'a private key'],
    ['tls.key', 'file', 'a private key'],
    ['SERVER.PEM', 'file', 'a private key'],
    ['.ENV', 'file', 'secrets'],
    ['.ENV.Example', 'file', undefined],
    ['store.p12', 'file', 'a private key'],
    ['.netrc', 'file', 'passwords'],
    ['.pgpass', 'file', 'passwords'],
    ['.git-credentials', 'file', 'passwords'],
    ['.pypirc', 'file', 'package index tokens'],
    ['.npmrc', 'file', 'package index tokens'],
    ['.aws', 'folder', 'credentials'],
    ['home/.ssh', 'folder', 'credentials'],
    ['.ssh', 'link', 'credentials'], // a link named .ssh stays home whatever it points at
    ['.config/gcloud', 'folder', 'credentials'],
    ['.config', 'folder', undefined],
    ['.docker', 'folder', undefined], // often a project's Dockerfiles
    ['.docker/config.json', 'file', 'credentials'],
    ['.kube', 'folder', 'credentials'],
    ['credentials.json', 'file', 'credentials'],
    ['client_secret_123.apps.googleusercontent.com.json', 'file', 'credentials'],
    ['service-account.json', 'file', 'credentials'],
    ['kaggle.json', 'file', 'credentials'],
    ['train.py', 'file', undefined],
    ['data/keys.csv', 'file', undefined],
    ['config.json', 'file', undefined],
  ];
  for (const [relative, type, why] of table)
    assert.equal(sensitiveReason(relative, type), why, `${relative} (${type})`);
});

test('sensitive files stay home unless .dlrunignore re-includes them with a ! rule that names them', (t) => {
  const root = files(tempDir(t), {
    'train.py': '',
    '.env': 'TOKEN=1\n',
    '.env.example': 'TOKEN=\n',
    'keys/id_rsa': 'key',
    'keys/id_rsa.pub': 'public',
    '.aws/credentials': '[default]\n',
    '.aws/config': '[default]\n',
  });
  const bare = listWorkdir(root);
  assert.deepEqual(
    bare.files.map((file) => file.path),
    ['.env.example', 'keys/id_rsa.pub', 'train.py'],
  );
  assert.deepEqual(bare.keptHome, [
    { path: '.aws/', why: 'credentials' },
    { path: '.env', why: 'secrets' },
    { path: 'keys/id_rsa', why: 'a private key' },
  ]);
  assert.deepEqual(bare.leftOut, [], 'kept home by dlrun, not by an ignore file');
  assert.deepEqual(bare.reincluded, []);

  // A .gitignore speaks to git: its `!.env` never ships a secret.
  writeFileSync(path.join(root, '.gitignore'), '!.env\n!.aws/\n');
  assert.deepEqual(
    listWorkdir(root).keptHome.map((kept) => kept.path),
    ['.aws/', '.env', 'keys/id_rsa'],
  );

  // .dlrunignore: only a negation that matches the path ships it; a folder re-included ships what it holds.
  writeFileSync(path.join(root, '.dlrunignore'), '# ship the env file on purpose\n*.log\n!.env\n!.aws/\n');
  const chosen = listWorkdir(root);
  assert.deepEqual(
    chosen.files.map((file) => file.path),
    [
      '.aws/config',
      '.aws/credentials',
      '.dlrunignore',
      '.env',
      '.env.example',
      '.gitignore',
      'keys/id_rsa.pub',
      'train.py',
    ],
  );
  assert.deepEqual(chosen.keptHome, [{ path: 'keys/id_rsa', why: 'a private key' }]);
  assert.deepEqual(chosen.reincluded, [
    { path: '.aws/', why: 'credentials', line: 4, rule: '!.aws/' },
    { path: '.env', why: 'secrets', line: 3, rule: '!.env' },
  ]);

  // A rule that leaves a sensitive file out and a later one that brings it back: the last word wins, as in git.
  writeFileSync(path.join(root, '.dlrunignore'), '!keys/id_rsa\nkeys/\n');
  const ignored = listWorkdir(root);
  assert.deepEqual(ignored.leftOut, ['keys/']);
  assert.deepEqual(ignored.reincluded, []);
});

test('FIFOs, sockets and devices in a workdir are never shipped, and listing one never waits on it', (t) => {
  const root = files(tempDir(t), { 'train.py': '' });
  execFileSync('mkfifo', [path.join(root, 'pipe'), path.join(root, '.dlrunignore.d')]);
  symlinkSync('/dev/zero', path.join(root, 'zero'));
  const manifest = listWorkdir(root);
  assert.deepEqual(
    manifest.files.map((file) => [file.path, file.symlink]),
    [
      ['train.py', false],
      ['zero', true],
    ],
    'a link is shipped as a link, never read',
  );
  assert.deepEqual(manifest.notShipped, [
    { path: '.dlrunignore.d', kind: 'a named pipe (FIFO)' },
    { path: 'pipe', kind: 'a named pipe (FIFO)' },
  ]);
});

test(
  'an ignore file that is a FIFO or a link to /dev/zero is a clear error, ' + 'never a hang nor silently no rules',
  (t) => {
    const fifo = files(tempDir(t), { 'train.py': '' });
    execFileSync('mkfifo', [path.join(fifo, '.dlrunignore')]);
    assert.throws(() => listWorkdir(fifo), /\.dlrunignore cannot be read as a list of rules: a named pipe \(FIFO\)/);
    const zero = files(tempDir(t), { 'train.py': '' });
    symlinkSync('/dev/zero', path.join(zero, '.gitignore'));
    assert.throws(
      () => listWorkdir(zero),
      /\.gitignore cannot be read as a list of rules: a link to \/dev\/zero, a character device/,
    );
    const dangling = files(tempDir(t), { 'train.py': '', '.gitignore': 'train.py\n' });
    symlinkSync('nowhere', path.join(dangling, '.dlrunignore'));
    assert.equal(listWorkdir(dangling).ignoreFile, '.gitignore', 'a dangling link is no ignore file');
  },
);

import assert from 'node:assert/strict';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { actedOnByDlrun, takenFromAnyDotenv } from '../../src/trust/dotenv-rules.js';
import { dotenvNotice, useDotenv } from '../../src/trust/dotenv-use.js';
import { readDotenvFile } from '../../src/trust/read-dotenv.js';
import { readTrustList, writeTrustList } from '../../src/trust/trust-list.js';
import { tempDir } from '../support/temp-dir.js';

test(
  'from a folder nobody allowed, ' + '.env gives harmless dlrun settings and well-formed region and project names only',
  () => {
    for (const [name, value] of [
      ['NO_COLOR', '1'],
      ['DLRUN_LEDGER_TIMEOUT_MS', '250'],
      ['DLRUN_WATCH_INTERVAL_MS', '500'],
      ['DLRUN_LOCAL_LOG_LIMIT_BYTES', '1000000'],
      ['DLRUN_LOCAL_STOP_GRACE_MS', '0'],
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_DEFAULT_REGION', 'us-gov-west-1'],
      ['GOOGLE_CLOUD_PROJECT', 'my-project-123'],
    ]) {
      assert.equal(takenFromAnyDotenv(name!, value!), true, name);
    }
    for (const [name, value] of [
      ['AWS_REGION', 'evil.example.com#'],
      ['AWS_REGION', 'us-east-1.attacker.net/x'],
      ['GOOGLE_CLOUD_PROJECT', '../../other'],
      ['AWS_ACCESS_KEY_ID', 'AKIA...'],
      ['AWS_SECRET_ACCESS_KEY', 'x'],
      ['AWS_SESSION_TOKEN', 'x'],
      ['AWS_PROFILE', 'prod'],
      ['AWS_CONFIG_FILE', './config'],
      ['AWS_SHARED_CREDENTIALS_FILE', './credentials'],
      ['AWS_ENDPOINT_URL', 'http://127.0.0.1:1'],
      ['AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:1'],
      ['DLRUN_HOME', '/tmp/x'],
      ['DLRUN_DB_URL', 'postgres://x'],
      ['DLRUN_VERTEX_URL', 'http://x'],
      ['DLRUN_GCS_URL', 'http://x'],
      ['GOOGLE_OAUTH_ACCESS_TOKEN', 'ya29.x'],
      ['DLRUN_EC2_DEFAULT_IMAGE', 'ami-0123'],
      ['GOOGLE_APPLICATION_CREDENTIALS', './key.json'],
      ['RESCALE_API_KEY', 'x'],
      ['RESCALE_PLATFORM_URL', 'http://x'],
      ['HTTPS_PROXY', 'http://x'],
      ['PATH', '/tmp'],
      ['NODE_OPTIONS', '--require x'],
      ['LD_PRELOAD', 'x.so'],
      ['BASH_ENV', 'x.sh'],
      ['SOMETHING_NEW', 'x'],
      ['constructor', 'x'],
    ]) {
      assert.equal(takenFromAnyDotenv(name!, value!), false, `${name}=${value}`);
    }
  },
);

test('the settings named when ignored are those dlrun or its SDKs act on; a job-only value is not named', () => {
  for (const name of [
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_SERVICE_QUOTAS',
    'MLFLOW_S3_ENDPOINT_URL',
    'AWS_CONFIG_FILE',
    'DLRUN_HOME',
    'DLRUN_GCS_URL',
    'DLRUN_VERTEX_URL',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'GOOGLE_OAUTH_ACCESS_TOKEN',
    'CLOUDSDK_CONFIG',
    'RESCALE_PLATFORM_URL',
    'https_proxy',
    'NO_PROXY',
    'NODE_EXTRA_CA_CERTS',
    'PATH',
    'HOME',
    'BASH_ENV',
    'NODE_OPTIONS',
    'LD_PRELOAD',
    'PYTHONSTARTUP',
  ]) {
    assert.equal(actedOnByDlrun(name), true, name);
  }
  for (const name of ['WANDB_API_KEY', 'HF_TOKEN', 'EPOCHS', 'MY_PATH_PREFIX'])
    assert.equal(actedOnByDlrun(name), false, name);
});

test(
  'a folder is allowed with the .env it had; a changed one is not, ' +
    'and the notice says which names and the fix, never values',
  (t) => {
    const folder = tempDir(t);
    const list = path.join(tempDir(t), 'allowed-folders.json');
    writeFileSync(path.join(folder, '.env'), 'AWS_PROFILE=prod\nHF_TOKEN=hf-secret\nAWS_REGION=eu-west-1\n');
    const before = useDotenv(folder, {}, list);
    assert.equal(before.trust, 'not-allowed');
    assert.deepEqual(before.taken, { AWS_REGION: 'eu-west-1' });
    assert.deepEqual(before.ignored, ['AWS_PROFILE']);
    const notice = dotenvNotice(before) ?? '';
    assert.match(notice, /^dlrun: ignored from \.env: AWS_PROFILE; .*'dlrun allow'/);
    assert.doesNotMatch(notice, /prod|hf-secret|HF_TOKEN/);

    const dotenv = readDotenvFile(folder);
    assert.equal(dotenv.kind, 'present');
    writeTrustList(list, [
      { folder, dotenv_sha256: dotenv.kind === 'present' ? dotenv.sha256 : '', allowed_at: '2026-01-01T00:00:00Z' },
    ]);
    assert.equal(statSync(list).mode & 0o777, 0o600);
    const allowed = useDotenv(folder, { AWS_REGION: 'us-east-1' }, list);
    assert.equal(allowed.trust, 'allowed');
    assert.deepEqual(
      allowed.taken,
      { AWS_PROFILE: 'prod', HF_TOKEN: 'hf-secret' },
      'all of it, where the shell did not set the name',
    );
    assert.equal(dotenvNotice(allowed), undefined);

    writeFileSync(path.join(folder, '.env'), 'AWS_PROFILE=attacker\n');
    const changed = useDotenv(folder, {}, list);
    assert.equal(changed.trust, 'changed');
    assert.deepEqual(changed.taken, {});
    assert.match(
      dotenvNotice(changed) ?? '',
      /ignored from \.env: AWS_PROFILE; \.env changed since you allowed this folder/,
    );
  },
);

test('a .env with thousands of names gets a notice of a dozen names and a count', (t) => {
  const folder = tempDir(t);
  writeFileSync(path.join(folder, '.env'), Array.from({ length: 5000 }, (_, index) => `AWS_X${index}=1`).join('\n'));
  const notice = dotenvNotice(useDotenv(folder, {}, path.join(folder, 'none.json'))) ?? '';
  assert.match(notice, /and 4988 more;/);
  assert.ok(notice.length < 600, notice);
});

test("the trust list: missing is empty; not dlrun's, or writable by others, allows nothing", (t) => {
  const dir = tempDir(t);
  const list = path.join(dir, 'allowed-folders.json');
  assert.deepEqual(readTrustList(list), { folders: [] });
  writeFileSync(list, 'not json', { mode: 0o600 });
  assert.match(readTrustList(list).problem ?? '', /it is not a list dlrun wrote/);
  writeFileSync(list, JSON.stringify({ folders: [{ folder: '/x' }] }));
  assert.match(readTrustList(list).problem ?? '', /it is not a list dlrun wrote/);
  writeTrustList(list, [{ folder: '/x', dotenv_sha256: 'a', allowed_at: 'b' }]);
  assert.deepEqual(
    readTrustList(list).folders.map((entry) => entry.folder),
    ['/x'],
  );
  writeTrustList(list, []);
  chmodSync(list, 0o620);
  assert.match(readTrustList(list).problem ?? '', /others can write it/);
});

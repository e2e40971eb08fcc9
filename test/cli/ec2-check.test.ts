import assert from 'node:assert/strict';
import { test } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { motoForThisFile, TEST_REGION } from '../standins/moto-server.js';
import { ec2Env } from '../support/ec2-cli.js';

const motoFor = motoForThisFile();

interface CheckJson {
  readonly backends: readonly {
    backend: string;
    usable: boolean;
    checks: { check: string; ok: boolean; detail: string; required: boolean }[];
  }[];
}

function checksOf(stdout: string): CheckJson['backends'][number] {
  const answer = JSON.parse(stdout) as CheckJson;
  assert.equal(answer.backends.length, 1);
  assert.equal(answer.backends[0]!.backend, 'ec2');
  return answer.backends[0]!;
}

const itemNamed = (result: CheckJson['backends'][number], name: RegExp) => {
  const item = result.checks.find((check) => name.test(check.check));
  assert.ok(item, `a ${name} item in ${JSON.stringify(result.checks)}`);
  return item;
};

test('check --backend ec2: credentials, region, launch permission (DryRun) and the GPU quotas, each a clear item', {
  timeout: 60_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const home = tempDir(t);
  const env = ec2Env(moto.endpoint);
  const checked = await runCli(['check', '--backend', 'ec2', '--json'], { cwd: home, home, env });
  assert.equal(checked.code, 0, checked.stderr);
  const result = checksOf(checked.stdout);
  assert.equal(result.usable, true);
  const credentials = itemNamed(result, /^credentials$/);
  assert.equal(credentials.ok, true);
  // moto's identity: account 123456789012; long-lived keys say so.
  assert.match(credentials.detail, /123456789012.*long-lived/);
  assert.deepEqual(itemNamed(result, /^region$/), { check: 'region', ok: true, detail: TEST_REGION, required: true });
  const launch = itemNamed(result, /^launch permission$/);
  assert.equal(launch.ok, true);
  assert.match(launch.detail, /DryRun/);
  // Service Quotas: moto may answer with a figure or not at all; either way a note, never a failure or a crash.
  const quotas = result.checks.filter((check) => /vCPU quota/.test(check.check));
  assert.deepEqual(
    quotas.map((quota) => quota.check),
    ['G and VT vCPU quota', 'P vCPU quota'],
  );
  for (const quota of quotas) {
    assert.equal(quota.required, false, 'a quota never makes the backend unusable');
    // A figure read is an ok (or a note when it is 0); one that could not be read is a note saying so.
    if (quota.ok) assert.match(quota.detail, /^\d+ vCPUs of on-demand/);
    else
      assert.match(
        quota.detail,
        /^0 vCPUs: .* cannot launch|^not readable here \(\w+\); a launch will say if it is too small$/,
      );
  }

  const text = await runCli(['check', '--backend', 'ec2'], { cwd: home, home, env });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /ec2: usable/);
  assert.match(text.stdout, /ok {3}credentials: .*long-lived/);
  assert.match(text.stdout, /(ok {2}|note) G and VT vCPU quota: /);
});

test('check --backend ec2 says when temporary credentials expire', { timeout: 60_000 }, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const home = tempDir(t);
  const expiry = '2030-01-02T03:04:05.000Z';
  const env = ec2Env(moto.endpoint, { AWS_SESSION_TOKEN: 'session-token', AWS_CREDENTIAL_EXPIRATION: expiry });
  const checked = await runCli(['check', '--backend', 'ec2', '--json'], { cwd: home, home, env });
  assert.equal(checked.code, 0, checked.stderr);
  const credentials = itemNamed(checksOf(checked.stdout), /^credentials$/);
  assert.equal(credentials.ok, true);
  assert.match(credentials.detail, new RegExp(`temporary, they expire at ${expiry.replaceAll('.', '\\.')}`));
});

test('check --backend ec2 with credentials AWS rejects: a failing credentials item and a non-zero exit', {
  timeout: 60_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  await moto.failAuth();
  const home = tempDir(t);
  const env = ec2Env(moto.endpoint);
  const checked = await runCli(['check', '--backend', 'ec2', '--json'], { cwd: home, home, env });
  assert.equal(checked.code, 1, checked.stderr);
  const result = checksOf(checked.stdout);
  assert.equal(result.usable, false);
  const credentials = itemNamed(result, /^credentials$/);
  assert.equal(credentials.ok, false);
  assert.equal(credentials.required, true);
  assert.match(credentials.detail, /AWS did not accept the credentials/);

  const text = await runCli(['check', '--backend', 'ec2'], { cwd: home, home, env });
  assert.equal(text.code, 1);
  assert.match(text.stdout, /ec2: not usable/);
  assert.match(text.stdout, /FAIL credentials: AWS did not accept the credentials/);
});

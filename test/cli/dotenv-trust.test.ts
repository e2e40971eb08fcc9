import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'vitest';
import { readDotenvFile } from '../../src/trust/read-dotenv.js';
import { writeTrustList } from '../../src/trust/trust-list.js';
import { startFaultProxy, type FaultProxy } from '../standins/fault-proxy.js';
import { motoForThisFile, TEST_REGION } from '../standins/moto-server.js';
import { TEST_IMAGE } from '../standins/test-clients.js';
import { defer } from '../support/cleanup.js';
import { ec2Env, ec2Job, type JobRecordJson } from '../support/ec2-cli.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const motoFor = motoForThisFile();

/**
 * A shell with a region and nothing else of AWS: no keys, no endpoint, no config file (HOME is a fresh folder, so
 * there is no ~/.aws), and no instance metadata lookups. Whatever credentials or endpoint a command uses come from
 * the `.env` under test.
 */
const BARE_SHELL = {
  AWS_REGION: TEST_REGION,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  DLRUN_EC2_DEFAULT_IMAGE: TEST_IMAGE,
};

interface CheckItemJson {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly required: boolean;
}

function ec2ChecksOf(result: CliResult): CheckItemJson[] {
  return (JSON.parse(result.stdout) as { backends: { checks: CheckItemJson[] }[] }).backends[0]!.checks;
}

function credentialsItem(result: CliResult): CheckItemJson {
  const item = ec2ChecksOf(result).find((check) => check.check === 'credentials');
  assert.ok(item, result.stdout);
  return item;
}

/** moto with the recording proxy in front of it: every request that reaches "AWS" is counted there. */
async function recordingStand(t: TestContext): Promise<FaultProxy | undefined> {
  const moto = motoFor(t);
  if (!moto) return undefined;
  const proxy = await startFaultProxy(moto.endpoint);
  defer(t, () => proxy.close());
  return proxy;
}

const check = (cwd: string, home: string, extra: Partial<Parameters<typeof runCli>[1]> = {}): Promise<CliResult> =>
  runCli(['check', '--backend', 'ec2', '--json'], { cwd, home, env: BARE_SHELL, timeoutMs: 60_000, ...extra });

test('AWS_ENDPOINT_URL and keys in the .env of a folder nobody allowed are not used; ' +
  'after dlrun allow they are, and shown; after an edit not again', {
  timeout: 120_000,
}, async (t) => {
  const proxy = await recordingStand(t);
  if (!proxy) return;
  const home = tempDir(t);
  const project = tempDir(t);
  const jobPath = ec2Job(t);
  writeFileSync(
    path.join(project, '.env'),
    [
      `AWS_ENDPOINT_URL=${proxy.endpoint}`,
      'AWS_ACCESS_KEY_ID=testing',
      'AWS_SECRET_ACCESS_KEY=testing',
      'WANDB_API_KEY=not-named',
      '',
    ].join('\n'),
  );

  const refused = await check(project, home);
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(credentialsItem(refused).detail, /^no credentials found/);
  assert.equal(proxy.requests(), 0, 'the server named in .env heard nothing');
  assert.match(
    refused.stderr,
    /^dlrun: ignored from \.env: AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL, AWS_SECRET_ACCESS_KEY; .*'dlrun allow'/m,
  );
  assert.equal(refused.stderr.match(/ignored from \.env/g)?.length, 1, 'said once');
  assert.doesNotMatch(
    refused.stderr,
    new RegExp(`testing|${proxy.endpoint}|WANDB_API_KEY`),
    'names only, and only those dlrun would act on',
  );
  const plan = await runCli(['submit', '--backend', 'ec2', '--dry-run', '--json', jobPath], {
    cwd: project,
    home,
    env: BARE_SHELL,
  });
  assert.equal(plan.code, 0, plan.stderr);
  assert.deepEqual((JSON.parse(plan.stdout) as { endpoints: unknown[] }).endpoints, []);

  const allowed = await runCli(['allow', '--json'], { cwd: project, home, env: BARE_SHELL });
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.deepEqual(JSON.parse(allowed.stdout), {
    folder: realpathSync(project),
    allowed: true,
    dotenv_sha256: createHash('sha256')
      .update(readFileSync(path.join(project, '.env')))
      .digest('hex'),
    settings: ['AWS_ACCESS_KEY_ID', 'AWS_ENDPOINT_URL', 'AWS_SECRET_ACCESS_KEY'],
    trust_list: path.join(home, 'allowed-folders.json'),
  });
  const used = await check(project, home);
  assert.equal(used.code, 0, used.stdout);
  assert.equal(credentialsItem(used).ok, true);
  assert.ok(proxy.requests('GetCallerIdentity') >= 1, 'the allowed endpoint was used');
  const shown = `AWS requests go to ${proxy.endpoint} (AWS_ENDPOINT_URL from .env), not AWS's own endpoints`;
  assert.deepEqual(
    ec2ChecksOf(used).find((item) => item.check === 'endpoint'),
    { check: 'endpoint', ok: false, detail: shown, required: false },
  );
  assert.doesNotMatch(used.stderr, /ignored/);
  const planJson = await runCli(['submit', '--backend', 'ec2', '--dry-run', '--json', jobPath], {
    cwd: project,
    home,
    env: BARE_SHELL,
  });
  assert.deepEqual((JSON.parse(planJson.stdout) as { endpoints: unknown[] }).endpoints, [
    { provider: 'AWS', url: proxy.endpoint, setting: 'AWS_ENDPOINT_URL', source: '.env' },
  ]);
  const planText = await runCli(['submit', '--backend', 'ec2', '--dry-run', jobPath], {
    cwd: project,
    home,
    env: BARE_SHELL,
  });
  assert.match(planText.stdout, new RegExp(`^note: ${shown.replace(/[.()]/g, '\\$&')}$`, 'm'));

  appendFileSync(path.join(project, '.env'), '# one more line\n');
  proxy.clear();
  const changed = await check(project, home);
  assert.equal(changed.code, 1);
  assert.match(credentialsItem(changed).detail, /^no credentials found/);
  assert.equal(proxy.requests(), 0, 'a changed .env is not allowed');
  assert.match(
    changed.stderr,
    new RegExp(
      /ignored from \.env: AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL, AWS_SECRET_ACCESS_KEY; /.source +
        /\.env changed since you allowed this folder.*'dlrun allow' again/.source,
    ),
  );

  const denied = await runCli(['deny', '--json'], { cwd: project, home, env: BARE_SHELL });
  assert.deepEqual(JSON.parse(denied.stdout), {
    folder: realpathSync(project),
    allowed: false,
    was_allowed: true,
    trust_list: path.join(home, 'allowed-folders.json'),
  });
  const afterDeny = await check(project, home);
  assert.match(
    afterDeny.stderr,
    /settings that choose credentials, endpoints or programs are read from \.env only in folders you allow/,
  );
});

test('an AWS_CONFIG_FILE in .env whose profile has a credential_process never runs it, until the folder is allowed', {
  timeout: 120_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const home = tempDir(t);
  const project = tempDir(t);
  const marker = path.join(project, 'credential-process-ran');
  writeFileSync(
    path.join(project, 'creds.sh'),
    `touch '${marker}'\nprintf '{"Version": 1, "AccessKeyId": "testing", "SecretAccessKey": "testing"}'\n`,
  );
  const credentialProcess = `credential_process = /bin/sh ${path.join(project, 'creds.sh')}`;
  writeFileSync(
    path.join(project, 'aws-config'),
    `[default]\n${credentialProcess}\n\n[profile evil]\n${credentialProcess}\n`,
  );
  writeFileSync(path.join(project, '.env'), `AWS_CONFIG_FILE=${path.join(project, 'aws-config')}\nAWS_PROFILE=evil\n`);
  // The shell sends AWS requests to moto, so nothing can reach AWS whatever the chain finds.
  const shell = { ...BARE_SHELL, AWS_ENDPOINT_URL: moto.endpoint };

  const checked = await check(project, home, { env: shell });
  assert.equal(checked.code, 1, checked.stdout);
  assert.match(credentialsItem(checked).detail, /^no credentials found/);
  assert.match(checked.stderr, /ignored from \.env: AWS_CONFIG_FILE, AWS_PROFILE;/);
  const planned = await runCli(['submit', '--backend', 'ec2', '--dry-run', ec2Job(t)], {
    cwd: project,
    home,
    env: shell,
  });
  assert.equal(planned.code, 0, planned.stderr);
  const status = await runCli(['status'], { cwd: project, home, env: shell });
  assert.equal(status.code, 0, status.stderr);
  assert.equal(existsSync(marker), false, 'the credential_process never ran');

  // Allowed, the config file is the user's own setup: its process runs, as the AWS CLI would run it.
  assert.equal((await runCli(['allow'], { cwd: project, home, env: shell })).code, 0);
  const allowed = await check(project, home, { env: shell });
  assert.equal(credentialsItem(allowed).ok, true, allowed.stdout);
  assert.equal(existsSync(marker), true);
});

test('a .env that sets DLRUN_HOME to a folder holding a trust list that allows it is still not allowed', {
  timeout: 120_000,
}, async (t) => {
  const proxy = await recordingStand(t);
  if (!proxy) return;
  const home = tempDir(t);
  const project = realpathSync(tempDir(t));
  const planted = path.join(project, 'planted-home');
  writeFileSync(
    path.join(project, '.env'),
    [
      `DLRUN_HOME=${planted}`,
      `AWS_ENDPOINT_URL=${proxy.endpoint}`,
      'AWS_ACCESS_KEY_ID=testing',
      'AWS_SECRET_ACCESS_KEY=testing',
      '',
    ].join('\n'),
  );
  const dotenv = readDotenvFile(project);
  assert.equal(dotenv.kind, 'present');
  mkdirSync(planted, { mode: 0o700 });
  writeTrustList(path.join(planted, 'allowed-folders.json'), [
    {
      folder: project,
      dotenv_sha256: dotenv.kind === 'present' ? dotenv.sha256 : '',
      allowed_at: new Date().toISOString(),
    },
  ]);

  // No DLRUN_HOME in the shell: the trust list is the default one, in ~/.dlrun.
  const checked = await check(project, home, { unset: ['DLRUN_HOME'] });
  assert.equal(checked.code, 1, checked.stdout);
  assert.equal(proxy.requests(), 0);
  assert.match(
    checked.stderr,
    /ignored from \.env: AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL, AWS_SECRET_ACCESS_KEY, DLRUN_HOME;/,
  );
  const allowed = await runCli(['allow', '--json'], { cwd: project, home, env: BARE_SHELL, unset: ['DLRUN_HOME'] });
  assert.equal(
    (JSON.parse(allowed.stdout) as { trust_list: string }).trust_list,
    path.join(home, '.dlrun', 'allowed-folders.json'),
    "allow writes the shell's list too",
  );
});

test('an endpoint from the shell is shown by submit before it launches, by --dry-run (text and json) and by check', {
  timeout: 120_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const home = tempDir(t);
  const env = ec2Env(moto.endpoint);
  const jobPath = ec2Job(t);
  const shown = `note: AWS requests go to ${moto.endpoint} (AWS_ENDPOINT_URL from your shell), not AWS's own endpoints`;

  const submitted = await runCli(['submit', '--backend', 'ec2', jobPath], { cwd: home, home, env, timeoutMs: 60_000 });
  assert.equal(submitted.code, 0, submitted.stderr);
  const jobId = submitted.stdout.trim();
  defer(t, () => runCli(['cancel', jobId], { cwd: home, home, env, timeoutMs: 60_000 }));
  const lines = submitted.stderr.split('\n');
  assert.ok(lines.includes(shown), submitted.stderr);
  assert.ok(
    lines.indexOf(shown) < lines.findIndex((line) => line.startsWith('submitted ')),
    'said before the launch was reported',
  );

  const quiet = await runCli(['submit', '--backend', 'ec2', '--json', jobPath], {
    cwd: home,
    home,
    env,
    timeoutMs: 60_000,
  });
  assert.equal(quiet.code, 0, quiet.stderr);
  defer(t, () =>
    runCli(['cancel', (JSON.parse(quiet.stdout) as JobRecordJson).job_id], { cwd: home, home, env, timeoutMs: 60_000 }),
  );
  assert.ok(quiet.stderr.split('\n').includes(shown), `--json too, on stderr: ${quiet.stderr}`);

  const planText = await runCli(['submit', '--backend', 'ec2', '--dry-run', jobPath], { cwd: home, home, env });
  assert.ok(planText.stdout.split('\n').includes(shown), planText.stdout);
  const planJson = await runCli(['submit', '--backend', 'ec2', '--dry-run', '--json', jobPath], {
    cwd: home,
    home,
    env,
  });
  assert.deepEqual((JSON.parse(planJson.stdout) as { endpoints: unknown[] }).endpoints, [
    { provider: 'AWS', url: moto.endpoint, setting: 'AWS_ENDPOINT_URL', source: 'your shell' },
  ]);

  const checked = await runCli(['check', '--backend', 'ec2'], { cwd: home, home, env, timeoutMs: 60_000 });
  assert.equal(checked.code, 0, checked.stdout);
  assert.match(
    checked.stdout,
    new RegExp(
      `^ {2}note endpoint: AWS requests go to ${moto.endpoint.replace(/[.]/g, '\\.')} ` +
        "\\(AWS_ENDPOINT_URL from your shell\\), not AWS's own endpoints$",
      'm',
    ),
  );
});

test('endpoints in the AWS config file are shown, and used: dlrun resolves them itself and hands them to the SDK', {
  timeout: 120_000,
}, async (t) => {
  const proxy = await recordingStand(t);
  if (!proxy) return;
  const home = tempDir(t);
  const config = path.join(tempDir(t), 'config');
  writeFileSync(
    config,
    [
      '[profile lab]',
      `region = ${TEST_REGION}`,
      `endpoint_url = ${proxy.endpoint}`,
      'services = lab-endpoints',
      '',
      '[services lab-endpoints]',
      'sts =',
      `  endpoint_url = ${proxy.endpoint}/`,
      '',
    ].join('\n'),
  );
  const env = {
    ...BARE_SHELL,
    AWS_CONFIG_FILE: config,
    AWS_PROFILE: 'lab',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  };
  const checked = await check(home, home, { env });
  assert.deepEqual(
    ec2ChecksOf(checked)
      .filter((item) => item.check === 'endpoint')
      .map((item) => item.detail),
    [
      `AWS EC2, S3, SSM, Service Quotas, Cost Explorer, Pricing requests go to ${proxy.endpoint} ` +
        `(endpoint_url of profile lab from ${config}), not AWS's own endpoints`,
      `AWS STS requests go to ${proxy.endpoint}/ ` +
        `(sts.endpoint_url in [services lab-endpoints] of profile lab from ${config}), not AWS's own endpoints`,
    ],
  );
  assert.equal(credentialsItem(checked).ok, true, checked.stdout);
  assert.ok(proxy.requests('GetCallerIdentity') >= 1);
  assert.ok(proxy.requests('RunInstances') >= 1);
});

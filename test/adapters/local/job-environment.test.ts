import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { ended, jobFolder, stopWhenDone, submitted, supervisorOf } from '../../support/local-jobs.js';
import { waitFor } from '../../support/wait-for.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';
import { writeJob } from '../../support/job-files.js';
import { environmentFrom } from '../../support/env-dump.js';

const ENV_JOB = `name: env-check
framework: tensorflow==2.15.0
resources:
  gpu: T4:2
env:
  EPOCHS: 10
  RATE: 0.10
  FLAG: yes
  EMPTY: ""
  SPACED: "  two  spaces  "
  QUOTES: 'it''s "quoted"'
  DOLLAR: $HOME and \${USER} and $(whoami)
  UNICODE: naïve ☃
  BIG: 1e3
  HEX: 0x1F
  MULTI: "line one\\nline two"
setup: |
  test -d "$DLRUN_OUTPUT_DIR"
  env -0 > "$DLRUN_OUTPUT_DIR/setup.env"
run: |
  env -0 > "$DLRUN_OUTPUT_DIR/run.env"
  pwd > "$DLRUN_OUTPUT_DIR/pwd"
`;

const AS_WRITTEN = {
  EPOCHS: '10',
  RATE: '0.10',
  FLAG: 'yes',
  EMPTY: '',
  SPACED: '  two  spaces  ',
  QUOTES: 'it\'s "quoted"',
  DOLLAR: '$HOME and ${USER} and $(whoami)',
  UNICODE: 'naïve ☃',
  BIG: '1e3',
  HEX: '0x1F',
  MULTI: 'line one\nline two',
};

test(
  'setup and run both get every DLRUN_* variable, TF_CONFIG for TensorFlow, and env: ' + 'exactly as written',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(tempDir(t), ENV_JOB);
    const jobId = await submitted(t, jobPath, home);
    const record = await ended(jobId, home);
    assert.equal(record.state, 'succeeded', 'setup found $DLRUN_OUTPUT_DIR already made');
    const workdir = path.join(jobFolder(home, jobId), 'workdir');
    const outputs = path.join(workdir, 'outputs');
    const expected = {
      ...AS_WRITTEN,
      DLRUN_JOB_ID: jobId,
      DLRUN_BACKEND: 'local',
      DLRUN_WORKDIR: workdir,
      DLRUN_OUTPUT_DIR: outputs,
      DLRUN_NUM_NODES: '1',
      DLRUN_NODE_RANK: '0',
      DLRUN_MASTER_ADDR: '127.0.0.1',
      DLRUN_MASTER_PORT: '29500',
      DLRUN_GPUS_PER_NODE: '2',
    };
    for (const script of ['setup', 'run']) {
      const seen = environmentFrom(readFileSync(path.join(outputs, `${script}.env`), 'utf8'));
      for (const [name, value] of Object.entries(expected)) assert.equal(seen[name], value, `${script}: ${name}`);
      assert.deepEqual(
        JSON.parse(seen.TF_CONFIG ?? 'null'),
        { cluster: { worker: ['127.0.0.1:29500'] }, task: { type: 'worker', index: 0 } },
        `${script}: TF_CONFIG`,
      );
    }
    assert.equal(readFileSync(path.join(outputs, 'pwd'), 'utf8'), `${workdir}\n`, 'run runs in the shipped workdir');
  },
);

test('a job without a framework gets no TF_CONFIG, and no GPU means DLRUN_GPUS_PER_NODE=0', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: plain-env\nrun: env -0 > "$DLRUN_OUTPUT_DIR/run.env"\n');
  const jobId = await submitted(t, jobPath, home);
  assert.equal((await ended(jobId, home)).state, 'succeeded');
  const seen = environmentFrom(
    readFileSync(path.join(jobFolder(home, jobId), 'workdir', 'outputs', 'run.env'), 'utf8'),
  );
  assert.equal(seen.TF_CONFIG, undefined);
  assert.equal(seen.DLRUN_GPUS_PER_NODE, '0');
  assert.equal(seen.DLRUN_MASTER_PORT, '29500');
});

/** Every file under `root` that holds `needle`, by its path. */
function filesHolding(root: string, needle: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(root, { recursive: true }).map(String)) {
    const file = path.join(root, entry);
    if (statSync(file).isFile() && readFileSync(file).includes(needle)) found.push(entry);
  }
  return found;
}

test('a secret reaches setup and run, from the shell or from .env, and is in no file under DLRUN_HOME', async (t) => {
  const home = tempDir(t);
  const fromShell = 'tok-3f9a7c1e-from-the-shell';
  const fromDotenv = 'tok-8d2b6e04-from-dotenv';
  const job = (name: string): string =>
    [
      `name: ${name}`,
      'secrets: [API_TOKEN]',
      'setup: printf %s "$API_TOKEN" | sha256sum > "$DLRUN_OUTPUT_DIR/setup.sha256"',
      'run: printf %s "$API_TOKEN" | sha256sum > "$DLRUN_OUTPUT_DIR/run.sha256"',
      '',
    ].join('\n');
  const sha256 = (text: string): string => `${createHash('sha256').update(text).digest('hex')}  -\n`;

  const { jobPath: shellJob } = writeJob(tempDir(t), job('secret-shell'));
  const first = await submitted(t, shellJob, home, { API_TOKEN: fromShell });
  // .env is read from the folder dlrun runs in (not the workdir, which would ship it).
  const cwd = tempDir(t);
  writeFileSync(path.join(cwd, '.env'), `API_TOKEN=${fromDotenv}\n`);
  const { jobPath: dotenvJob } = writeJob(tempDir(t), job('secret-dotenv'));
  const second = await runCli(['submit', dotenvJob], { cwd, home });
  assert.equal(second.code, 0, second.stderr);
  const secondId = second.stdout.trim();

  for (const [jobId, value] of [
    [first, fromShell],
    [secondId, fromDotenv],
  ] as const) {
    assert.equal((await ended(jobId, home)).state, 'succeeded');
    const outputs = path.join(jobFolder(home, jobId), 'workdir', 'outputs');
    assert.equal(readFileSync(path.join(outputs, 'setup.sha256'), 'utf8'), sha256(value), 'setup saw the value');
    assert.equal(readFileSync(path.join(outputs, 'run.sha256'), 'utf8'), sha256(value), 'run saw the value');
  }
  // Every file of DLRUN_HOME: the ledger (closed, so everything is in ledger.db), job folders, logs, outputs.
  assert.ok(readdirSync(home).includes('ledger.db'));
  for (const value of [fromShell, fromDotenv])
    assert.deepEqual(filesHolding(home, value), [], `no file under DLRUN_HOME holds ${value}`);
  const status = await runCli(['status', '--all', '--json'], { cwd, home });
  assert.doesNotMatch(status.stdout, /tok-/, 'nor does the ledger give it back');
});

/** What bash sets in every script's environment by itself. */
const BASH_OWN = new Set(['PWD', 'OLDPWD', 'SHLVL', '_']);

test("a local job's environment is exactly the shell's base, its env:, its secrets and the DLRUN_* variables; " +
  "the supervisor's is the base alone", {
  timeout: 60_000,
}, async (t) => {
  const home = tempDir(t);
  // An allowed folder: even then a job gets nothing of .env but the secrets it declares.
  const project = realpathSync(tempDir(t));
  const bashEnvMarker = path.join(project, 'bash-env-ran');
  const nodeMarker = path.join(project, 'node-options-ran');
  writeFileSync(path.join(project, 'bash-env.sh'), `touch '${bashEnvMarker}'\n`);
  writeFileSync(
    path.join(project, 'preload.cjs'),
    `require('node:fs').writeFileSync(${JSON.stringify(nodeMarker)}, '');\n`,
  );
  writeFileSync(
    path.join(project, '.env'),
    [
      'API_TOKEN=tok-from-dotenv',
      `NODE_OPTIONS=--require=${path.join(project, 'preload.cjs')}`,
      'DOTENV_ONLY=1',
      'NO_COLOR=1',
      `BASH_ENV=${path.join(project, 'bash-env.sh')}`,
      'AWS_PROFILE=lab',
      '',
    ].join('\n'),
  );
  assert.equal((await runCli(['allow'], { cwd: project, home })).code, 0);
  const shell = {
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    http_proxy: 'http://proxy.invalid:3128',
    NO_PROXY: 'localhost',
    SHELL_ONLY_VARIABLE: 'exported by the user for something else',
    AWS_SECRET_ACCESS_KEY: 'shell-key',
    DLRUN_WATCH_INTERVAL_MS: '100',
  };
  // NODE_OPTIONS is a declared secret: the job gets it, the supervisor (a node process) must not.
  const { jobPath } = writeJob(
    tempDir(t),
    [
      'name: exact-env',
      'secrets: [API_TOKEN, NODE_OPTIONS]',
      'env:',
      '  EPOCHS: 3',
      'run: |',
      '  env -0 > "$DLRUN_OUTPUT_DIR/run.env"',
      '  n=0; while [ ! -e "$DLRUN_OUTPUT_DIR/go" ] && [ "$n" -lt 600 ]; do sleep 0.1; n=$((n + 1)); done',
      '',
    ].join('\n'),
  );
  const result = await runCli(['submit', jobPath], { cwd: project, home, env: shell });
  assert.equal(result.code, 0, result.stderr);
  const jobId = result.stdout.trim();
  stopWhenDone(t, jobId, home);
  const outputs = path.join(jobFolder(home, jobId), 'workdir', 'outputs');
  await waitFor(
    'the job to dump its environment',
    () => (existsSync(path.join(outputs, 'run.env')) ? true : undefined),
    30_000,
  );

  const base = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'http_proxy', 'NO_PROXY'];
  const supervisor = supervisorOf(home, jobId);
  assert.ok(supervisor !== undefined);
  const supervisorEnvironment = environmentFrom(readFileSync(`/proc/${supervisor}/environ`, 'utf8'));
  assert.deepEqual(
    Object.keys(supervisorEnvironment).sort(),
    [...base].sort(),
    'the supervisor carries the base alone: no secret, no .env, no rest of the shell',
  );

  writeFileSync(path.join(outputs, 'go'), '');
  assert.equal((await ended(jobId, home)).state, 'succeeded');
  const seen = environmentFrom(readFileSync(path.join(outputs, 'run.env'), 'utf8'));
  const dlrun = [
    'DLRUN_JOB_ID',
    'DLRUN_BACKEND',
    'DLRUN_WORKDIR',
    'DLRUN_OUTPUT_DIR',
    'DLRUN_NUM_NODES',
    'DLRUN_NODE_RANK',
    'DLRUN_MASTER_ADDR',
    'DLRUN_MASTER_PORT',
    'DLRUN_GPUS_PER_NODE',
    'DLRUN_JOB_DIR',
  ];
  const expected = [...base, 'EPOCHS', 'API_TOKEN', 'NODE_OPTIONS', ...dlrun].sort();
  assert.deepEqual(
    Object.keys(seen)
      .filter((name) => !BASH_OWN.has(name))
      .sort(),
    expected,
  );
  assert.equal(seen.API_TOKEN, 'tok-from-dotenv');
  assert.equal(seen.http_proxy, shell.http_proxy);
  assert.equal(seen.HOME, home);
  assert.equal(existsSync(bashEnvMarker), false, "BASH_ENV from .env never reached the job's bash");
  assert.equal(existsSync(nodeMarker), false, 'NODE_OPTIONS never reached a node process of dlrun');
});

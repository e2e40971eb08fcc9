// The Vertex AI bootstrap executed for real: bash runs it as a container would, with the environment the adapter
// gives it, against the Cloud Storage stand-in and a loopback metadata server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'vitest';
import { oneNodeVariables } from '../../support/bootstrap-child.js';
import { vertexClients } from '../../../adapters/vertex/vertex-clients.js';
import { jobObjects as adapterObjects } from '../../../adapters/vertex/vertex-details.js';
import { stageSecrets } from '../../../adapters/vertex/vertex-secrets.js';
import { asJobId, asLedgerId } from '../../../src/backend/job-id.js';
import { type GcsServer, gcsServerFor } from '../../standins/gcs-server.js';
import { environmentFrom } from '../../support/env-dump.js';
import { tempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';
import {
  BUCKET,
  type BootstrapOptions,
  jobObjects,
  markerEvents,
  metadataServerFor,
  objectText,
  resultOf,
  runBootstrap,
  stageWorkdir,
  unpackedOutputs,
} from '../../support/vertex-bootstrap-run.js';

const TOKEN = 'ya29.test-access-token-5b1e';
const SECRET = 's3cr3t-9d2a-value';
const LONG = { timeout: 90_000 };
const SECRETS_LEDGER = asLedgerId('vertex-secrets-ledger');

/** Everything the bucket holds, as text: the secret and the access token must be in none of it. */
function assertNothingSecretStored(gcs: GcsServer, texts: readonly string[]): void {
  for (const stored of gcs.objects(BUCKET)) {
    const text = stored.bytes.toString('latin1');
    for (const secret of texts) assert.ok(!text.includes(secret), `${stored.name} holds ${secret}`);
  }
}

interface LaunchOptions extends Omit<BootstrapOptions, 'run'> {
  /** The run script, or a function of the stand-in that writes it. */
  readonly run: string | ((gcs: GcsServer) => string);
  /** What the metadata server hands out (by default TOKEN, for an hour). */
  readonly tokens?: Parameters<typeof metadataServerFor>[1];
}

async function launch(t: TestContext, options: LaunchOptions, gcsReady?: (gcs: GcsServer) => void | Promise<void>) {
  const gcs = await gcsServerFor(t, { requireToken: TOKEN });
  gcs.createBucket(BUCKET);
  const metadata = await metadataServerFor(t, options.tokens ?? (() => ({ token: TOKEN, expiresIn: 3599 })));
  stageWorkdir(t, gcs, options.jobId, { 'data/input.txt': 'the training data\n' });
  await gcsReady?.(gcs);
  const run = await runBootstrap(t, gcs, metadata, {
    ...options,
    run: typeof options.run === 'string' ? options.run : options.run(gcs),
  });
  return { gcs, metadata, run, objects: jobObjects(options.jobId) };
}

/** A script line that waits (at most 30 s) until the bucket's object `name` holds `text`. */
function untilStored(gcs: GcsServer, name: string, text: string): string {
  const url = `${gcs.endpoint}/storage/v1/b/${BUCKET}/o/${encodeURIComponent(name)}?alt=media`;
  return (
    `for _ in $(seq 150); do curl -fsS -H "Authorization: Bearer $TEST_TOKEN" '${url}' 2>/dev/null ` +
    `| grep -q '${text}' && break; sleep 0.2; done`
  );
}

test('a job that succeeds: log and markers uploaded while it runs, then outputs and the result', LONG, async (t) => {
  const jobId = 'train-ok-20261206-0001-abcd';
  const objects = jobObjects(jobId);
  const { gcs, metadata, run } = await launch(t, {
    jobId,
    env: { EPOCHS: '10', API_TOKEN: SECRET, TEST_TOKEN: TOKEN, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    setup: 'echo "setting up"\n',
    run: (server) =>
      [
        'echo "first line of the job"',
        // Proof without timing: the job goes on once the bootstrap has uploaded its log and markers.
        untilStored(server, objects.log, 'first line of the job'),
        untilStored(server, objects.markers, 'phase run'),
        `curl -fsS -H "Authorization: Bearer $TEST_TOKEN" '${server.endpoint}/storage/v1/b/${BUCKET}/o/` +
          `${encodeURIComponent(objects.log)}?alt=media' > "$DLRUN_OUTPUT_DIR/log-while-running.txt"`,
        'cat data/input.txt',
        'printf weights > "$DLRUN_OUTPUT_DIR/model.bin"',
        `env -0 | grep -zv '^API_TOKEN=' > "$DLRUN_OUTPUT_DIR/job.env"`,
        `[ "$API_TOKEN" = '${SECRET}' ] && echo "the secret is there"`,
        '',
      ].join('\n'),
  });
  assert.equal(run.exitCode, 0, run.console);
  const result = resultOf(gcs, objects.result);
  assert.deepEqual(
    { ...result, ended_at: undefined },
    { state: 'succeeded', exit_code: '0', reason: 'the job finished', ended_at: undefined },
  );
  assert.deepEqual(markerEvents(gcs, objects.markers), [
    'phase setup',
    'setup-exit 0',
    'phase run',
    'run-exit 0',
    'phase teardown',
  ]);
  const log = objectText(gcs, objects.log);
  for (const line of ['setting up', 'first line of the job', 'the training data', 'the secret is there']) {
    assert.ok(log.includes(line), `the log holds '${line}':\n${log}`);
  }
  assert.ok(log.includes('dlrun: the job finished'), log);
  // The result comes last: when dlrun sees it, everything else is there.
  const uploads = gcs.requests({ method: 'POST' }).map((request) => request.query.name);
  assert.equal(uploads.lastIndexOf(objects.result), uploads.length - 1);
  assert.ok(uploads.includes(objects.outputs));

  const outputs = unpackedOutputs(t, gcs, objects.outputs);
  assert.equal(readFileSync(path.join(outputs, 'model.bin'), 'utf8'), 'weights');
  assert.ok(readFileSync(path.join(outputs, 'log-while-running.txt'), 'utf8').includes('first line of the job'));
  const seen = environmentFrom(readFileSync(path.join(outputs, 'job.env'), 'utf8'));
  assert.deepEqual(
    Object.fromEntries(Object.entries(seen).filter(([name]) => /^(DLRUN_|EPOCHS$)/.test(name))),
    { ...oneNodeVariables('vertex', jobId, run.root), EPOCHS: '10' },
    'the DLRUN_* variables, the job env, and none of the bootstrap inputs',
  );
  assert.deepEqual(metadata.issued, [TOKEN], 'one token, reused while it is fresh');
  for (const request of gcs.requests()) assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
  assertNothingSecretStored(gcs, [SECRET, TOKEN]);
});

test(
  'a run that fails (exit 3): the result says 3, the outputs still uploaded, the container exits 3',
  LONG,
  async (t) => {
    const { gcs, run, objects } = await launch(t, {
      jobId: 'train-fail-20261206-0002-abcd',
      run: 'echo "about to fail"\nprintf partial > "$DLRUN_OUTPUT_DIR/partial.txt"\nexit 3\n',
    });
    assert.equal(run.exitCode, 3, run.console);
    assert.deepEqual(
      { ...resultOf(gcs, objects.result), ended_at: '' },
      { state: 'failed', exit_code: '3', reason: 'the job exited with status 3', ended_at: '' },
    );
    assert.deepEqual(markerEvents(gcs, objects.markers), ['phase run', 'run-exit 3', 'phase teardown']);
    assert.ok(objectText(gcs, objects.log).includes('about to fail'));
    const outputs = unpackedOutputs(t, gcs, objects.outputs);
    assert.equal(readFileSync(path.join(outputs, 'partial.txt'), 'utf8'), 'partial');
  },
);

test('a setup that fails: the run never starts, the result names the setup', LONG, async (t) => {
  const { gcs, run, objects } = await launch(t, {
    jobId: 'train-setup-20261206-0003-abcd',
    setup: 'echo "installing"\nfalse\necho "never printed"\n',
    run: 'echo "never run"\n',
  });
  assert.equal(run.exitCode, 1, run.console);
  assert.deepEqual(
    { ...resultOf(gcs, objects.result), ended_at: '' },
    { state: 'failed', exit_code: '1', reason: 'setup exited with status 1', ended_at: '' },
  );
  assert.deepEqual(markerEvents(gcs, objects.markers), ['phase setup', 'setup-exit 1', 'phase teardown']);
  const log = objectText(gcs, objects.log);
  assert.ok(log.includes('installing') && !log.includes('never'), log);
});

test(
  'node 1 of 2: runs the job as rank 1, uploads its log and markers, never the result or outputs',
  LONG,
  async (t) => {
    const jobId = 'train-two-20261206-0004-abcd';
    const { gcs, run } = await launch(t, {
      jobId,
      clusterSpec: {
        cluster: { workerpool0: ['chief.internal:2222'], workerpool1: ['worker.internal:2222'] },
        task: { type: 'workerpool1', index: 0 },
      },
      run:
        'echo "rank $DLRUN_NODE_RANK of $DLRUN_NUM_NODES, master $DLRUN_MASTER_ADDR:$DLRUN_MASTER_PORT"\n' +
        'printf x > "$DLRUN_OUTPUT_DIR/worker.txt"\n',
    });
    assert.equal(run.exitCode, 0, run.console);
    const worker = jobObjects(jobId, 1);
    assert.ok(objectText(gcs, worker.log).includes('rank 1 of 2, master chief.internal:2222'), run.console);
    assert.deepEqual(markerEvents(gcs, worker.markers), ['phase run', 'run-exit 0', 'phase teardown']);
    const names = gcs.objects(BUCKET).map((stored) => stored.name);
    assert.deepEqual(
      names.filter((name) => /\/(result|outputs\.tar\.gz)$/.test(name)),
      [],
    );
    assert.deepEqual(
      names.filter((name) => name.includes('/nodes/0/')),
      [],
      'nothing in node 0s objects',
    );
  },
);

test('a token that expires is replaced from the metadata server before it does', LONG, async (t) => {
  const jobId = 'train-token-20261206-0005-abcd';
  // No fixed token here: the stand-in records which one each request carried.
  const gcs = await gcsServerFor(t);
  gcs.createBucket(BUCKET);
  // 301 s left, under the bootstrap's 300 s margin within about a second: each fetch is soon stale.
  const metadata = await metadataServerFor(t, (index) => ({ token: `ya29.short-${index}`, expiresIn: 301 }));
  stageWorkdir(t, gcs, jobId, { 'README.md': 'a workdir\n' });
  const run = await runBootstrap(t, gcs, metadata, { jobId, run: 'echo start\nsleep 4\necho done\n' });
  assert.equal(run.exitCode, 0, run.console);
  assert.ok(metadata.issued.length >= 3, `tokens fetched: ${metadata.issued.join(', ')}`);
  const used = new Set(gcs.requests().map((request) => request.headers.authorization));
  assert.ok(used.size >= 2, `tokens used: ${[...used].join(', ')}`);
  for (const bearer of used)
    assert.ok(
      metadata.issued.some((token) => bearer === `Bearer ${token}`),
      bearer,
    );
  assert.equal(resultOf(gcs, jobObjects(jobId).result).state, 'succeeded');
});

test('a token refused (401) is replaced once from the metadata server, and the request made again', LONG, async (t) => {
  const { gcs, metadata, run, objects } = await launch(t, {
    jobId: 'train-revoked-20261206-0008-abcd',
    run: 'echo ok\n',
    tokens: (index) => ({ token: index === 0 ? 'ya29.revoked' : TOKEN, expiresIn: 3599 }),
  });
  assert.equal(run.exitCode, 0, run.console);
  // (The periodic uploader may have met the revoked token too, and renewed it on its own.)
  assert.equal(metadata.issued[0], 'ya29.revoked');
  assert.ok(metadata.issued.length >= 2 && metadata.issued.slice(1).every((token) => token === TOKEN));
  const statuses = gcs.requests().map((request) => request.status);
  assert.ok(statuses.includes(401) && statuses.at(-1) === 200, statuses.join(' '));
  assert.equal(resultOf(gcs, objects.result).state, 'succeeded');
});

test('a 503 from Cloud Storage is retried: the workdir download and an upload', LONG, async (t) => {
  const { gcs, run, objects } = await launch(
    t,
    { jobId: 'train-retry-20261206-0006-abcd', run: 'echo ok\n' },
    (server) => {
      server.inject({ method: 'GET', kind: 503, times: 1 });
      server.inject({ method: 'POST', kind: 503, times: 2 });
    },
  );
  assert.equal(run.exitCode, 0, run.console);
  assert.equal(resultOf(gcs, objects.result).state, 'succeeded');
  const downloads = gcs.requests({ method: 'GET' });
  assert.deepEqual(
    downloads.map((request) => request.status),
    [503, 200],
  );
  assert.equal(gcs.requests({ method: 'POST' }).filter((request) => request.status === 503).length, 2);
});

test('a workdir that cannot be fetched: a failed result, no job run', LONG, async (t) => {
  const { gcs, run, objects } = await launch(
    t,
    { jobId: 'train-noworkdir-20261206-0007-abcd', run: 'echo ran\n' },
    (server) => {
      server.inject({ method: 'GET', kind: 503, times: Infinity });
    },
  );
  assert.equal(run.exitCode, 1, run.console);
  const result = resultOf(gcs, objects.result);
  assert.equal(result.state, 'failed');
  assert.match(result.reason ?? '', /could not download the workdir: HTTP 503, 7 attempts/);
  assert.ok(!objectText(gcs, objects.log).includes('ran\n'));
});

test("a CLUSTER_SPEC that is not dlrun's: exit 1, the reason on the console, no object uploaded", LONG, async (t) => {
  const { gcs, run } = await launch(t, {
    jobId: 'train-badspec-20261206-0010-abcd',
    clusterSpec: { cluster: { workerpool0: [] }, task: { type: 'workerpool0', index: 0 } },
    run: 'echo ran\n',
  });
  assert.equal(run.exitCode, 1, run.console);
  assert.match(run.console, /cannot tell its rank: dlrun: CLUSTER_SPEC from Vertex AI is not usable: workerpool0/);
  assert.deepEqual(gcs.requests({ method: 'POST' }), []);
});

test('a job env that is not a JSON object: a failed result, no job run', LONG, async (t) => {
  const { gcs, run, objects } = await launch(t, {
    jobId: 'train-badenv-20261206-0011-abcd',
    run: 'echo ran\n',
    env: ['not', 'an object'] as unknown as Record<string, string>,
  });
  assert.equal(run.exitCode, 1, run.console);
  assert.deepEqual(
    { ...resultOf(gcs, objects.result), ended_at: '' },
    {
      state: 'failed',
      exit_code: '',
      reason: 'DLRUN_BOOT_JOB_ENV is not a JSON object of names and values',
      ended_at: '',
    },
  );
  assert.ok(!objectText(gcs, objects.log).includes('ran\n'));
});

test(
  'a SIGTERM (a cancel) stops the job, uploads the log, outputs and a stopped result, exits 143',
  LONG,
  async (t) => {
    const jobId = 'train-stop-20261206-0009-abcd';
    const objects = jobObjects(jobId);
    let gcsOf: GcsServer | undefined;
    const started = Date.now();
    const { gcs, run } = await launch(
      t,
      {
        jobId,
        // The job ignores nothing: the TERM must reach the sleep, a grandchild of the bootstrap.
        run: 'echo "job started"\nprintf part > "$DLRUN_OUTPUT_DIR/part.txt"\nsleep 60\necho "never printed"\n',
        whileRunning: async (pid) => {
          await waitFor('the log uploaded', () => objectText(gcsOf!, objects.log).includes('job started') || undefined);
          process.kill(pid, 'SIGTERM');
        },
      },
      (server) => {
        gcsOf = server;
      },
    );
    assert.equal(run.exitCode, 143, run.console);
    assert.ok(Date.now() - started < 40_000, 'the sleep was stopped, not waited for');
    const result = resultOf(gcs, objects.result);
    assert.equal(result.state, 'stopped');
    assert.equal(result.exit_code, '143');
    assert.match(result.reason ?? '', /SIGTERM/);
    assert.deepEqual(markerEvents(gcs, objects.markers).slice(0, 1), ['phase run']);
    assert.equal(markerEvents(gcs, objects.markers).at(-1), 'phase teardown');
    assert.ok(!objectText(gcs, objects.log).includes('never printed'));
    const outputs = unpackedOutputs(t, gcs, objects.outputs);
    assert.equal(readFileSync(path.join(outputs, 'part.txt'), 'utf8'), 'part');
  },
);

test('shellcheck finds nothing in the bootstrap', { skip: spawnSync('shellcheck', ['--version']).status !== 0 }, () => {
  const check = spawnSync('shellcheck', [path.resolve('templates/bootstrap/vertex-bootstrap.sh')], {
    encoding: 'utf8',
  });
  assert.equal(check.status, 0, check.stdout);
});

test(
  "the job's secrets: read from their object before the job starts, given to it verbatim, in no log and no file",
  LONG,
  async (t) => {
    const jobId = asJobId('train-secrets-20261206-0012-abcd');
    const folder = tempDir(t, 'dlrun-vertex-secrets-');
    const evaluated = path.join(folder, 'evaluated');
    const values = {
      API_KEY: SECRET,
      TRICKY: `it's "quoted" $(touch ${evaluated}) \`touch ${evaluated}\` $HOME \\ ; done`,
      MULTI: 'first line\nsecond line\n\nlast=line with = signs ünïcödé',
    };
    // Where the adapter puts it, written by the adapter's own stageSecrets.
    const place = { bucket: BUCKET, prefix: 'team' };
    const secretsObject = adapterObjects(place, SECRETS_LEDGER, jobId).secrets;
    const { gcs, run, objects } = await launch(
      t,
      {
        jobId,
        env: { EPOCHS: '3' },
        run: [
          'for name in API_KEY TRICKY MULTI; do printf "%s" "${!name}" > "$DLRUN_JOB_DIR/../seen-$name"; done',
          'printf "%s" "${DLRUN_BOOT_SECRETS_OBJECT-unset}" > "$DLRUN_JOB_DIR/../seen-object"',
          'echo "the job ran with EPOCHS=$EPOCHS"',
          '',
        ].join('\n'),
        bootEnv: { DLRUN_BOOT_SECRETS_OBJECT: secretsObject },
      },
      async (server) => {
        const env = { GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN, DLRUN_GCS_URL: server.endpoint };
        const clients = vertexClients('us-central1', { ledgerId: SECRETS_LEDGER, home: folder, env }, { project: 'p' });
        assert.equal(await stageSecrets(clients, place, SECRETS_LEDGER, jobId, values), secretsObject);
      },
    );
    assert.equal(run.exitCode, 0, run.console);
    for (const [name, value] of Object.entries(values))
      assert.equal(readFileSync(path.join(run.root, `seen-${name}`), 'utf8'), value, name);
    assert.equal(readFileSync(path.join(run.root, 'seen-object'), 'utf8'), 'unset', 'the object name is not the job’s');
    assert.ok(!existsSync(evaluated), 'no value was run by a shell');
    assert.ok(objectText(gcs, objects.log).includes('the job ran with EPOCHS=3'));
    assert.deepEqual(
      readdirSync(path.join(run.root, 'job')).filter((name) => /secret/i.test(name)),
      [],
    );
    const texts = [SECRET, 'second line', '"quoted"'];
    for (const text of texts) {
      assert.ok(!run.console.includes(text), `the console holds ${text}`);
      assert.ok(!objectText(gcs, objects.log).includes(text), `the log holds ${text}`);
    }
    // Only the secrets object itself holds them (the adapter deletes it once the job has ended).
    const others = gcs.objects(BUCKET).filter((stored) => stored.name !== secretsObject);
    for (const stored of others)
      for (const text of texts) assert.ok(!stored.bytes.toString('latin1').includes(text), stored.name);
  },
);

test(
  'secrets that cannot be read: a failed result that says so, the job never run, no value logged',
  LONG,
  async (t) => {
    const { gcs, run, objects } = await launch(t, {
      jobId: 'train-nosecrets-20261206-0013-abcd',
      run: 'echo ran\n',
      bootEnv: { DLRUN_BOOT_SECRETS_OBJECT: 'staging/jobs/train-nosecrets-20261206-0013-abcd/secrets.json' },
    });
    assert.equal(run.exitCode, 1, run.console);
    const result = resultOf(gcs, objects.result);
    assert.equal(result.state, 'failed');
    assert.match(
      result.reason ?? '',
      /^could not read the job's secrets \(gs:\/\/dlrun-staging\/staging\/jobs\/.*\/secrets\.json\): HTTP 404$/,
    );
    assert.ok(!objectText(gcs, objects.log).includes('ran\n'));
  },
);

test('a secrets object that is not names and values: a failed result, the job never run', LONG, async (t) => {
  const name = 'staging/jobs/train-badsecrets-20261206-0014-abcd/secrets.json';
  const { gcs, run, objects } = await launch(
    t,
    { jobId: 'train-badsecrets-20261206-0014-abcd', run: 'echo ran\n', bootEnv: { DLRUN_BOOT_SECRETS_OBJECT: name } },
    (server) => void server.putObject(BUCKET, name, JSON.stringify({ 'NOT-A-NAME': SECRET })),
  );
  assert.equal(run.exitCode, 1, run.console);
  assert.equal(
    resultOf(gcs, objects.result).reason,
    'the secrets object is not a JSON object of variable names and values',
  );
  assert.ok(!objectText(gcs, objects.log).includes('ran\n'));
  assert.ok(!objectText(gcs, objects.log).includes(SECRET) && !run.console.includes(SECRET));
});

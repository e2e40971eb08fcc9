import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { aiplatform, auth, type aiplatform_v1 } from 'googleapis/build/src/apis/aiplatform/index.js';
import { test } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { type VertexServer, vertexServerFor } from './vertex-server.js';

type CustomJob = aiplatform_v1.Schema$GoogleCloudAiplatformV1CustomJob;
type Jobs = aiplatform_v1.Resource$Projects$Locations$Customjobs;

const TOKEN = 'ya29.vertex-stand-in-token';
const PARENT = 'projects/dlrun-test/locations/us-central1';
const IMAGE = 'us-docker.pkg.dev/vertex-ai/training/pytorch-gpu.2-4.py310:latest';
const NAME = /^projects\/123456789012\/locations\/us-central1\/customJobs\/\d{19}$/;
const RFC3339_NANOS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3}|\.\d{6}|\.\d{9})?Z$/;

/**
 * The real googleapis aiplatform v1 client, loaded from its own submodule, with an OAuth2 client built from the
 * copy of google-auth-library googleapis itself uses (the submodule's `auth`), so that the Bearer token is sent.
 */
function customJobs(server: VertexServer, credentials: 'token' | 'none' | string = 'token'): Jobs {
  let clientAuth: aiplatform_v1.Options['auth'];
  if (credentials !== 'none') {
    const oauth = new auth.OAuth2();
    oauth.setCredentials({
      access_token: credentials === 'token' ? TOKEN : credentials,
      expiry_date: Date.now() + 3.6e6,
    });
    clientAuth = oauth;
  }
  return aiplatform({ version: 'v1', rootUrl: `${server.url}/`, auth: clientAuth }).projects.locations.customJobs;
}

function bashJob(script: string, more: Partial<CustomJob> = {}): CustomJob {
  return {
    displayName: 'dlrun-stand-in-job',
    labels: { dlrun_job: 'job-1' },
    jobSpec: {
      workerPoolSpecs: [
        {
          machineSpec: { machineType: 'n1-standard-4' },
          replicaCount: '1',
          containerSpec: { imageUri: IMAGE, command: ['bash', '-c', script] },
        },
      ],
    },
    ...more,
  };
}

async function untilState(jobs: Jobs, name: string, ...states: string[]): Promise<CustomJob> {
  return waitFor(`${name} in ${states.join(' or ')}`, async () => {
    const { data } = await jobs.get({ name });
    return states.includes(data.state ?? '') ? data : undefined;
  });
}

/** The shape googleapis rejects with: a GaxiosError carrying the google.rpc.Status body in response.data. */
interface ApiError {
  readonly status?: number;
  readonly code?: unknown;
  readonly response?: { readonly data?: { readonly error?: Record<string, unknown> } };
}

function rpcError(httpStatus: number, status: string, check: (error: Record<string, unknown>) => void = () => {}) {
  return (thrown: unknown): true => {
    const error = thrown as ApiError;
    assert.equal((thrown as object).constructor.name, 'GaxiosError');
    assert.equal(error.status, httpStatus);
    const body = error.response?.data?.error;
    assert.ok(body, 'the answer carries a google.rpc.Status');
    assert.equal(body.code, httpStatus);
    assert.equal(body.status, status);
    assert.equal(typeof body.message, 'string');
    check(body);
    return true;
  };
}

const lines = (server: VertexServer, name: string, replica?: string, severity = 'INFO'): string[] =>
  server
    .output(name, replica)
    .filter((entry) => entry.severity === severity)
    .map((entry) => entry.textPayload);

/** Whether a process is dead: gone, or a zombie its new parent (init) has not reaped yet. */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    // /proc/PID/stat: "pid (comm) state ...".
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}

test('create, get, run: the bash command runs with its environment and the job SUCCEEDS', async (t) => {
  const bin = path.join(tempDir(t), 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'dlrun-fake-tool'), '#!/bin/bash\necho "fake tool ran with $1"\n');
  chmodSync(path.join(bin, 'dlrun-fake-tool'), 0o755);
  const server = await vertexServerFor(t, {
    requireToken: TOKEN,
    path: `${bin}:/usr/bin:/bin`,
    env: { STORAGE_EMULATOR_HOST: 'http://127.0.0.1:9', GCS_ACCESS_TOKEN: 'gcs-token' },
  });
  const jobs = customJobs(server);
  const script = [
    'echo "in $(pwd) as $HOME"',
    'echo "storage $STORAGE_EMULATOR_HOST $GCS_ACCESS_TOKEN job-var $JOB_VAR"',
    'echo "model $AIP_MODEL_DIR checkpoints $AIP_CHECKPOINT_DIR logs $AIP_TENSORBOARD_LOG_DIR"',
    'dlrun-fake-tool one',
    'echo "to stderr" >&2',
  ].join('\n');
  const body = bashJob(script, {
    labels: { dlrun_job: 'job-1', dlrun_user: 'ada' },
    jobSpec: {
      workerPoolSpecs: [
        {
          machineSpec: { machineType: 'n1-standard-4', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1 },
          replicaCount: '1',
          containerSpec: {
            imageUri: IMAGE,
            command: ['bash', '-c'],
            args: [script],
            env: [{ name: 'JOB_VAR', value: 'x' }],
          },
        },
      ],
      scheduling: { timeout: '3600s', strategy: 'SPOT' },
      baseOutputDirectory: { outputUriPrefix: 'gs://dlrun-bucket/runs/1/' },
    },
  });
  const created = (await jobs.create({ parent: PARENT, requestBody: body })).data;

  assert.match(created.name ?? '', NAME);
  assert.equal(created.state, 'JOB_STATE_QUEUED');
  assert.match(created.createTime ?? '', RFC3339_NANOS);
  assert.equal(created.updateTime, created.createTime);
  assert.equal(created.startTime, undefined);
  assert.deepEqual(created.labels, { dlrun_job: 'job-1', dlrun_user: 'ada' });
  const pool = created.jobSpec?.workerPoolSpecs?.[0];
  assert.equal(pool?.replicaCount, '1');
  assert.deepEqual(pool?.machineSpec, {
    machineType: 'n1-standard-4',
    acceleratorType: 'NVIDIA_TESLA_T4',
    acceleratorCount: 1,
  });
  assert.deepEqual(pool?.diskSpec, { bootDiskType: 'pd-ssd', bootDiskSizeGb: 100 });
  assert.deepEqual(created.jobSpec?.scheduling, { timeout: '3600s', strategy: 'SPOT' });
  const create = server.requests('create')[0]!;
  assert.equal(create.method, 'POST');
  assert.equal(create.path, `/v1/${PARENT}/customJobs`);
  assert.equal(create.headers.authorization, `Bearer ${TOKEN}`);

  const name = created.name!;
  const done = await untilState(jobs, name, 'JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED');
  assert.equal(done.state, 'JOB_STATE_SUCCEEDED', JSON.stringify(done.error));
  assert.equal(done.error, undefined);
  assert.match(done.startTime ?? '', RFC3339_NANOS);
  assert.match(done.endTime ?? '', RFC3339_NANOS);
  assert.ok(Date.parse(done.createTime!) <= Date.parse(done.startTime!));
  assert.ok(Date.parse(done.startTime!) <= Date.parse(done.endTime!));
  assert.deepEqual(done, server.job(name));

  const dir = server.replicaDir(name);
  assert.deepEqual(lines(server, name), [
    `in ${dir} as ${dir}`,
    'storage http://127.0.0.1:9 gcs-token job-var x',
    'model gs://dlrun-bucket/runs/1/model/ checkpoints gs://dlrun-bucket/runs/1/checkpoints/ ' +
      'logs gs://dlrun-bucket/runs/1/logs/',
    'fake tool ran with one',
  ]);
  assert.deepEqual(lines(server, name, 'workerpool0-0', 'ERROR'), ['to stderr']);
  const entry = server.output(name)[0]!;
  assert.deepEqual(entry.resource, {
    type: 'ml_job',
    labels: { job_id: name.split('/').pop(), project_id: '123456789012', task_name: 'workerpool0-0' },
  });
  assert.match(entry.timestamp, RFC3339_NANOS);
});

test(
  'a replica that exits 3 FAILS the job with a google.rpc.Status' + ' that names the replica and the status',
  async (t) => {
    const server = await vertexServerFor(t);
    const jobs = customJobs(server);
    const { data } = await jobs.create({ parent: PARENT, requestBody: bashJob('echo "about to fail"; exit 3') });
    const failed = await untilState(jobs, data.name!, 'JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED');
    assert.equal(failed.state, 'JOB_STATE_FAILED');
    assert.equal(failed.error?.code, 3);
    assert.equal(
      failed.error?.message,
      'The replica workerpool0-0 exited with a non-zero status of 3. Termination reason: Error.',
    );
    assert.match(failed.endTime ?? '', RFC3339_NANOS);
    assert.deepEqual(lines(server, data.name!), ['about to fail']);
  },
);

test(
  'list by label: several pages through nextPageToken, newest first,' + ' and no customJobs field when none match',
  async (t) => {
    // Held in the queue: listing does not depend on the jobs running.
    const server = await vertexServerFor(t, { queuedMs: Number.POSITIVE_INFINITY });
    const jobs = customJobs(server);
    const batch: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const body = bashJob('true', { displayName: `batch-${index}`, labels: { dlrun_job: 'batch-1' } });
      batch.push((await jobs.create({ parent: PARENT, requestBody: body })).data.name!);
      await jobs.create({ parent: PARENT, requestBody: bashJob('true', { labels: { dlrun_job: `other-${index}` } }) });
    }

    const pages: CustomJob[][] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await jobs.list({
        parent: PARENT,
        filter: 'labels.dlrun_job="batch-1"',
        pageSize: 2,
        pageToken,
      });
      pages.push(data.customJobs ?? []);
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    assert.deepEqual(
      pages.map((page) => page.length),
      [2, 2, 1],
    );
    assert.deepEqual(
      pages.flat().map((job) => job.name),
      [...batch].reverse(),
    );
    const listed = server.requests('list');
    assert.equal(listed.length, 3);
    assert.equal(listed[0]!.query.filter, 'labels.dlrun_job="batch-1"');
    assert.equal(listed[0]!.query.pageSize, '2');
    assert.equal(listed[0]!.query.pageToken, undefined);
    assert.equal(typeof listed[1]!.query.pageToken, 'string');

    const none = await jobs.list({ parent: PARENT, filter: 'labels.dlrun_job="nobody"' });
    assert.equal('customJobs' in none.data, false);
    assert.equal('nextPageToken' in none.data, false);
    const everything = await jobs.list({ parent: PARENT });
    assert.equal(everything.data.customJobs?.length, 10);

    await assert.rejects(
      jobs.list({ parent: PARENT, filter: 'labels.dlrun_job="batch-1"', pageSize: 2, pageToken: 'not-a-token' }),
      rpcError(400, 'INVALID_ARGUMENT'),
    );
  },
);

test('list filters: state, display_name, labels, AND, OR, NOT, parentheses; other syntax is a 400', async (t) => {
  const server = await vertexServerFor(t, { queuedMs: Number.POSITIVE_INFINITY });
  const jobs = customJobs(server);
  const create = async (displayName: string, labels: Record<string, string>, script = 'true'): Promise<string> =>
    (await jobs.create({ parent: PARENT, requestBody: bashJob(script, { displayName, labels }) })).data.name!;
  const first = await create('first', { dlrun_job: 'a', team: 'x' }, 'sleep 30');
  const second = await create('second', { dlrun_job: 'b' });
  const third = await create('third-run', { dlrun_job: 'c', team: 'y' });
  server.setState(first, 'JOB_STATE_RUNNING');
  await untilState(jobs, first, 'JOB_STATE_RUNNING');

  const names = async (filter: string): Promise<string[]> =>
    ((await jobs.list({ parent: PARENT, filter })).data.customJobs ?? []).map((job) => job.name!).sort();
  assert.deepEqual(await names('state="JOB_STATE_RUNNING"'), [first]);
  assert.deepEqual(await names('state!="JOB_STATE_RUNNING"'), [second, third].sort());
  assert.deepEqual(await names('display_name="second"'), [second]);
  assert.deepEqual(await names('display_name:"third-*"'), [third]);
  assert.deepEqual(await names('labels.team:*'), [first, third].sort());
  assert.deepEqual(await names('labels.dlrun_job=c'), [third]);
  assert.deepEqual(await names('state="JOB_STATE_QUEUED" AND labels.dlrun_job="b"'), [second]);
  assert.deepEqual(await names('labels.dlrun_job="a" OR labels.dlrun_job="c"'), [first, third].sort());
  assert.deepEqual(await names('NOT labels.team:*'), [second]);
  assert.deepEqual(await names('labels.team="y" AND (state="JOB_STATE_RUNNING" OR display_name:"third*")'), [third]);
  assert.deepEqual(await names(`create_time>="${server.job(second)!.createTime}"`), [second, third].sort());

  for (const filter of ['owner="ada"', 'state="RUNNING"', 'labels.team', 'state<"JOB_STATE_RUNNING"', '(state="x"']) {
    await assert.rejects(jobs.list({ parent: PARENT, filter }), rpcError(400, 'INVALID_ARGUMENT'), filter);
  }
});

test(
  'cancel: the answer is {}, the job goes CANCELLING,' + ' then CANCELLED with error code 1, its process killed',
  async (t) => {
    const server = await vertexServerFor(t, { cancellingMs: 400 });
    const jobs = customJobs(server);
    const { data } = await jobs.create({ parent: PARENT, requestBody: bashJob('echo $$ > pid; exec sleep 30') });
    const name = data.name!;
    await untilState(jobs, name, 'JOB_STATE_RUNNING');
    const pidFile = path.join(server.replicaDir(name), 'pid');
    const pid = await waitFor('the replica pid', () =>
      existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined,
    );

    const answer = await jobs.cancel({ name });
    assert.deepEqual(answer.data, {});
    assert.equal((await jobs.get({ name })).data.state, 'JOB_STATE_CANCELLING');
    const cancelled = await untilState(jobs, name, 'JOB_STATE_CANCELLED');
    assert.equal(cancelled.error?.code, 1);
    assert.match(cancelled.endTime ?? '', RFC3339_NANOS);
    assert.ok(processGone(pid), 'the replica process is gone');
    assert.equal(server.requests('cancel')[0]!.path, `/v1/${name}:cancel`);

    await assert.rejects(jobs.cancel({ name }), rpcError(400, 'FAILED_PRECONDITION'));
  },
);

test('two worker pools: every replica sees the shared cluster and its own task in CLUSTER_SPEC', async (t) => {
  const server = await vertexServerFor(t);
  const jobs = customJobs(server);
  const pool = (count: string, script: string): aiplatform_v1.Schema$GoogleCloudAiplatformV1WorkerPoolSpec => ({
    machineSpec: { machineType: 'n1-standard-8' },
    replicaCount: count,
    containerSpec: { imageUri: IMAGE, command: ['bash', '-c', script] },
  });
  // The primary waits for the test's go-ahead, so that the workers have written their CLUSTER_SPEC before it ends
  // the job (a job ends when its primary replica exits 0).
  const primary = pool('1', 'echo "$CLUSTER_SPEC"; until [ -e go ]; do sleep 0.05; done');
  const body = bashJob('', { jobSpec: { workerPoolSpecs: [primary, pool('2', 'echo "$CLUSTER_SPEC"')] } });
  const { data } = await jobs.create({ parent: PARENT, requestBody: body });
  const name = data.name!;
  const replicas = ['workerpool0-0', 'workerpool1-0', 'workerpool1-1'];
  const specs = await waitFor('every replica printed CLUSTER_SPEC', () => {
    const printed = replicas.map((replica) => lines(server, name, replica)[0]);
    return printed.every((line) => line !== undefined) ? printed.map((line) => JSON.parse(line!)) : undefined;
  });
  writeFileSync(path.join(server.replicaDir(name), 'go'), '');

  const cluster = specs[0].cluster as Record<string, string[]>;
  assert.deepEqual(Object.keys(cluster), ['workerpool0', 'workerpool1']);
  assert.equal(cluster.workerpool0!.length, 1);
  assert.equal(cluster.workerpool1!.length, 2);
  const addresses = [...cluster.workerpool0!, ...cluster.workerpool1!];
  for (const address of addresses) assert.match(address, /^127\.0\.0\.1:\d+$/);
  assert.equal(new Set(addresses).size, 3);
  assert.deepEqual(
    specs.map((spec) => spec.task),
    [
      { type: 'workerpool0', index: 0 },
      { type: 'workerpool1', index: 0 },
      { type: 'workerpool1', index: 1 },
    ],
  );
  for (const spec of specs) {
    assert.deepEqual(spec.cluster, cluster);
    assert.equal(spec.environment, 'cloud');
  }
  const done = await untilState(jobs, name, 'JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED');
  assert.equal(done.state, 'JOB_STATE_SUCCEEDED', JSON.stringify(done.error));
});

test('scheduling.timeout: the replica is killed and the job ends CANCELLED (or FAILED, when told so)', async (t) => {
  for (const timeoutEndsAs of ['JOB_STATE_CANCELLED', 'JOB_STATE_FAILED'] as const) {
    const server = await vertexServerFor(t, { timeoutEndsAs });
    const jobs = customJobs(server);
    const body = bashJob('echo $$ > pid; exec sleep 30');
    body.jobSpec!.scheduling = { timeout: '0.5s' };
    const { data } = await jobs.create({ parent: PARENT, requestBody: body });
    const name = data.name!;
    const pidFile = path.join(server.replicaDir(name), 'pid');
    const pid = await waitFor('the replica pid', () =>
      existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined,
    );
    const ended = await untilState(jobs, name, 'JOB_STATE_CANCELLED', 'JOB_STATE_FAILED', 'JOB_STATE_SUCCEEDED');
    assert.equal(ended.state, timeoutEndsAs);
    assert.equal(ended.error?.code, timeoutEndsAs === 'JOB_STATE_CANCELLED' ? 1 : 4);
    assert.match(ended.error?.message ?? '', /scheduling\.timeout of 0\.5s/);
    assert.ok(ended.endTime);
    await waitFor('the replica process is killed', () => (processGone(pid) ? true : undefined));
  }
});

test('invalid bodies are refused with 400 INVALID_ARGUMENT, google.rpc.BadRequest naming the field', async (t) => {
  const server = await vertexServerFor(t);
  const jobs = customJobs(server);
  const valid = bashJob('true');
  const pool = valid.jobSpec!.workerPoolSpecs![0]!;
  const withPool = (change: object): CustomJob => ({
    ...valid,
    jobSpec: { workerPoolSpecs: [{ ...pool, ...change }] },
  });
  const cases: [string, unknown, string][] = [
    ['no displayName', { ...valid, displayName: undefined }, 'display_name'],
    ['displayName too long', { ...valid, displayName: 'x'.repeat(129) }, 'display_name'],
    ['no jobSpec', { displayName: 'x' }, 'job_spec'],
    ['no worker pools', { ...valid, jobSpec: {} }, 'job_spec.worker_pool_specs'],
    ['pool 0 with 2 replicas', withPool({ replicaCount: '2' }), 'job_spec.worker_pool_specs[0].replica_count'],
    ['no machine type', withPool({ machineSpec: {} }), 'job_spec.worker_pool_specs[0].machine_spec.machine_type'],
    [
      'unknown accelerator',
      withPool({ machineSpec: { machineType: 'n1-standard-4', acceleratorType: 'NVIDIA_TESLA_T5' } }),
      'custom_job.job_spec.worker_pool_specs[0].machine_spec.accelerator_type',
    ],
    ['label key with capitals', { ...valid, labels: { DlrunJob: 'x' } }, 'labels["DlrunJob"]'],
    ['label value too long', { ...valid, labels: { dlrun_job: 'x'.repeat(65) } }, 'labels["dlrun_job"]'],
    ['timeout not a Duration', { ...valid, jobSpec: { ...valid.jobSpec, scheduling: { timeout: '1h' } } }, 'timeout'],
    ['unknown strategy', { ...valid, jobSpec: { ...valid.jobSpec, scheduling: { strategy: 'CHEAP' } } }, 'strategy'],
    [
      'container and python package',
      withPool({ pythonPackageSpec: { executorImageUri: IMAGE, packageUris: ['gs://b/p.tar.gz'], pythonModule: 'm' } }),
      'job_spec.worker_pool_specs[0]',
    ],
    ['neither container nor python package', withPool({ containerSpec: undefined }), 'job_spec.worker_pool_specs[0]'],
    [
      'baseOutputDirectory as a string',
      { ...valid, jobSpec: { ...valid.jobSpec, baseOutputDirectory: 'gs://b/out' } },
      'custom_job.job_spec.base_output_directory',
    ],
    ['unknown field', { ...valid, jobSpecs: {} }, 'custom_job'],
  ];
  for (const [what, requestBody, field] of cases) {
    await assert.rejects(
      jobs.create({ parent: PARENT, requestBody: requestBody as CustomJob }),
      rpcError(400, 'INVALID_ARGUMENT', (error) => {
        const details = error.details as { '@type': string; fieldViolations: { field: string }[] }[];
        assert.equal(details[0]?.['@type'], 'type.googleapis.com/google.rpc.BadRequest', what);
        assert.ok(
          details[0]!.fieldViolations.some((violation) => violation.field.includes(field)),
          `${what}: ${JSON.stringify(details)}`,
        );
      }),
      what,
    );
  }
  assert.deepEqual(server.jobs(), []);

  await assert.rejects(
    jobs.create({ parent: 'projects/dlrun-test/locations/europe-west4', requestBody: valid }),
    rpcError(400, 'INVALID_ARGUMENT', (error) => assert.match(String(error.message), /location ID/)),
  );
  await assert.rejects(
    jobs.create({ parent: 'projects/someone-else/locations/us-central1', requestBody: valid }),
    rpcError(403, 'PERMISSION_DENIED'),
  );
  assert.deepEqual(server.jobs(), []);
});

test(
  '404 NOT_FOUND for a job that is not there;' + ' delete is refused while the job runs, then answers an Operation',
  async (t) => {
    const server = await vertexServerFor(t);
    const jobs = customJobs(server);
    await assert.rejects(jobs.get({ name: `${PARENT}/customJobs/1234567890123456789` }), rpcError(404, 'NOT_FOUND'));
    const { data } = await jobs.create({
      parent: PARENT,
      requestBody: bashJob('until [ -e go ]; do sleep 0.05; done'),
    });
    const name = data.name!;
    await untilState(jobs, name, 'JOB_STATE_RUNNING');
    await assert.rejects(jobs.delete({ name }), rpcError(400, 'FAILED_PRECONDITION'));
    writeFileSync(path.join(server.replicaDir(name), 'go'), '');
    await untilState(jobs, name, 'JOB_STATE_SUCCEEDED');

    const operation = (await jobs.delete({ name })).data;
    assert.match(operation.name ?? '', /^projects\/123456789012\/locations\/us-central1\/operations\/\d+$/);
    assert.equal(operation.done, true);
    assert.equal(
      (operation.metadata as Record<string, unknown>)['@type'],
      'type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata',
    );
    await assert.rejects(jobs.get({ name }), rpcError(404, 'NOT_FOUND'));
    assert.equal(server.job(name), undefined);
  },
);

test('with requireToken, a request without the Bearer token (or with an API key) is 401 UNAUTHENTICATED', async (t) => {
  const server = await vertexServerFor(t, { requireToken: TOKEN });
  for (const credentials of ['none', 'ya29.wrong-token']) {
    await assert.rejects(
      customJobs(server, credentials).create({ parent: PARENT, requestBody: bashJob('true') }),
      rpcError(401, 'UNAUTHENTICATED'),
      credentials,
    );
  }
  const withKey = aiplatform({ version: 'v1', rootUrl: `${server.url}/`, auth: 'an-api-key' }).projects.locations;
  await assert.rejects(withKey.customJobs.list({ parent: PARENT }), rpcError(401, 'UNAUTHENTICATED'));
  const [none, wrong, key] = server.requests();
  assert.equal(none!.headers.authorization, undefined);
  assert.equal(wrong!.headers.authorization, 'Bearer ya29.wrong-token');
  assert.equal(key!.query.key, 'an-api-key');
  assert.deepEqual(server.jobs(), []);
  assert.equal((await customJobs(server).list({ parent: PARENT })).status, 200);
});

test(
  'faults: googleapis retries 503 and 429 on get and list by itself,' + ' not on create; 500 reaches the caller',
  async (t) => {
    const server = await vertexServerFor(t, { queuedMs: Number.POSITIVE_INFINITY });
    const jobs = customJobs(server);
    const { data } = await jobs.create({ parent: PARENT, requestBody: bashJob('true') });

    server.inject({ match: 'get', kind: 503, times: 2 });
    assert.equal((await jobs.get({ name: data.name! })).data.name, data.name);
    assert.deepEqual(
      server.requests('get').map((request) => request.fault),
      [503, 503, undefined],
    );

    server.inject({ match: 'list', kind: 429, times: 1 });
    assert.equal((await jobs.list({ parent: PARENT })).data.customJobs?.length, 1);
    assert.deepEqual(
      server.requests('list').map((request) => request.fault),
      [429, undefined],
    );

    server.inject({ match: 'create', kind: 503 });
    await assert.rejects(jobs.create({ parent: PARENT, requestBody: bashJob('true') }), rpcError(503, 'UNAVAILABLE'));
    server.inject({ match: { action: 'create', method: 'POST' }, kind: 500 });
    await assert.rejects(jobs.create({ parent: PARENT, requestBody: bashJob('true') }), rpcError(500, 'INTERNAL'));
    server.inject({ match: 'create', kind: 429 });
    await assert.rejects(
      jobs.create({ parent: PARENT, requestBody: bashJob('true') }),
      rpcError(429, 'RESOURCE_EXHAUSTED'),
    );
    assert.equal(server.requests('create').length, 4);
    assert.equal(server.jobs().length, 1);

    server.inject({ match: { path: /customJobs\/\d+$/ }, kind: 'delay', delayMs: 200 });
    assert.equal((await jobs.get({ name: data.name! })).data.state, 'JOB_STATE_QUEUED');
  },
);

test(
  'a create whose answer is dropped leaves a job that a list by label finds;' + ' one dropped before does not',
  async (t) => {
    const server = await vertexServerFor(t, { queuedMs: Number.POSITIVE_INFINITY });
    const jobs = customJobs(server);

    server.inject({ match: 'create', kind: 'drop-before' });
    await assert.rejects(
      jobs.create({ parent: PARENT, requestBody: bashJob('true', { labels: { dlrun_job: 'never' } }) }),
      (error: ApiError) => error.response === undefined,
    );
    assert.deepEqual(server.jobs(), []);

    server.inject({ match: 'create', kind: 'drop-after' });
    await assert.rejects(
      jobs.create({ parent: PARENT, requestBody: bashJob('true', { labels: { dlrun_job: 'lost-answer' } }) }),
      (error: ApiError) => error.response === undefined,
    );
    const found = await jobs.list({ parent: PARENT, filter: 'labels.dlrun_job="lost-answer"' });
    assert.equal(found.data.customJobs?.length, 1);
    assert.equal(found.data.customJobs?.[0]?.name, server.jobs()[0]!.name);
    assert.equal(server.requests('create').length, 2, 'googleapis does not retry a POST on a lost connection');
  },
);

test('close() kills the replicas that are still running', async (t) => {
  const server = await vertexServerFor(t);
  const jobs = customJobs(server);
  const { data } = await jobs.create({ parent: PARENT, requestBody: bashJob('sleep 30 & echo $! > child; wait') });
  const childFile = path.join(server.replicaDir(data.name!), 'child');
  const child = await waitFor('the background child', () =>
    existsSync(childFile) && readFileSync(childFile, 'utf8').trim()
      ? Number(readFileSync(childFile, 'utf8'))
      : undefined,
  );
  assert.equal(processGone(child), false);
  await server.close();
  assert.ok(processGone(child), 'the replica and what it started are gone');
});

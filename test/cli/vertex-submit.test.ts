// dlrun's commands on the Vertex AI backend, end to end: the built CLI in a child process, the real Google clients,
// the Vertex AI and Cloud Storage stand-ins, every replica running the real bootstrap with bash.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test, type TestContext } from 'vitest';
import { assertUserFailure, type JobRecordJson, statusJobs } from '../support/ec2-cli.js';
import { writeJob } from '../support/job-files.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import {
  cliSession,
  FAILING_JOB,
  failedRun,
  killSubmitOnce,
  refusedSubmit,
  SLEEPER_JOB,
  submitAndWait,
  submittedJobId,
  waitForLedgerState,
} from '../support/cli-session.js';
import { STAND_BUCKET, type VertexStand, vertexStandFor } from '../support/vertex-stand.js';

const LONG = { timeout: 120_000 };

const TRAIN = `
name: vertex-e2e
run: |
  echo "training on $DLRUN_BACKEND rank $DLRUN_NODE_RANK of $DLRUN_NUM_NODES"
  echo "token is $HF_TOKEN" > /dev/null
  mkdir -p "$DLRUN_OUTPUT_DIR/model" && echo weights > "$DLRUN_OUTPUT_DIR/model/final.txt"
secrets: [HF_TOKEN]
resources: { cpus: 4 }
limits: { max_runtime: 1h }
`;

async function stand(t: TestContext, options: Parameters<typeof vertexStandFor>[1] = {}) {
  return cliSession(t, await vertexStandFor(t, options), { HF_TOKEN: 'hf_e2e_secret_7f3a' });
}

function job(t: TestContext, yaml: string): string {
  return writeJob(tempDir(t, 'dlrun-vertex-job-'), yaml).jobPath;
}

describe('vertex end to end', () => {
  test('submit --backend gcp --wait runs the job, then status, logs, pull and bill tell its story', LONG, async (t) => {
    const { world, home, env, dlrun } = await stand(t);
    const { submitted, record } = await submitAndWait<JobRecordJson & { bill: { total_usd: number } }>(dlrun, [
      'submit',
      '--backend',
      'gcp',
      job(t, TRAIN),
    ]);
    assert.equal(record.state, 'succeeded');
    assert.equal(record.provider_state, 'JOB_STATE_SUCCEEDED');
    assert.match(record.external_id ?? '', /customJobs\/\d+$/);
    assert.ok(record.bill.total_usd >= 0);
    assert.equal(world.vertex.jobs().length, 1);

    const [listed] = await statusJobs(home, env);
    assert.equal(listed?.state, 'succeeded');

    const logs = await dlrun(['logs', record.job_id]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /training on vertex rank 0 of 1/);
    assert.doesNotMatch(logs.stdout + submitted.stdout + submitted.stderr, /hf_e2e_secret_7f3a/);

    const to = path.join(tempDir(t, 'dlrun-pulled-'), 'out');
    const pulled = await dlrun(['pull', record.job_id, '--to', to]);
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.equal(readFileSync(path.join(to, 'model', 'final.txt'), 'utf8'), 'weights\n');

    const bill = await dlrun(['bill', record.job_id]);
    assert.equal(bill.code, 0, bill.stderr);
    assert.match(bill.stdout, /n1-standard-4|e2-standard-4|n2-standard-4/);
    // The secrets object is gone once the job has ended; the job's own objects stay.
    await waitFor('the secrets object deleted', () =>
      world.gcs.objects(STAND_BUCKET).some((object) => object.name.endsWith('secrets.json')) ? undefined : true,
    );
    assert.ok(world.gcs.objects(STAND_BUCKET).some((object) => object.name.endsWith('/0/result')));
  });

  test('a run that fails is failed with its exit code, and its log says why', LONG, async (t) => {
    const { dlrun } = await stand(t);
    await failedRun(dlrun, ['submit', '--backend', 'vertex', job(t, FAILING_JOB)]);
  });

  test('cancel stops a running job at Vertex and it ends cancelled', LONG, async (t) => {
    const { world, dlrun } = await stand(t);
    const jobId = await submittedJobId(dlrun, ['submit', '--backend', 'vertex', job(t, SLEEPER_JOB)]);
    await waitFor('the job running', () => (world.vertex.jobs()[0]?.state === 'JOB_STATE_RUNNING' ? true : undefined));
    const cancelled = await dlrun(['cancel', jobId]);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(world.vertex.requests('cancel').length, 1);
    await waitForLedgerState(dlrun, jobId, 'cancelled');
    assert.equal(world.vertex.jobs()[0]?.state, 'JOB_STATE_CANCELLED');
  });

  test('submit --dry-run prints the exact CustomJob and the startup script, and sends nothing', LONG, async (t) => {
    const { world, dlrun } = await stand(t);
    const dry = await dlrun(['submit', '--backend', 'vertex', job(t, TRAIN), '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    const plan = JSON.parse(dry.stdout) as {
      requests: { operation: string; body: { requestBody?: { labels: Record<string, string> } } }[];
      startup_script: string;
    };
    const create = plan.requests.find((request) => request.operation.endsWith('customJobs.create'));
    assert.ok(create?.body.requestBody?.labels['dlrun-job-id']);
    assert.match(plan.startup_script, /vertex-bootstrap|CLUSTER_SPEC/);
    assert.doesNotMatch(dry.stdout, /hf_e2e_secret_7f3a/);
    assert.equal(world.vertex.requests().length, 0);
    assert.equal(world.gcs.requests().length, 0);
  });
});

describe('a submit killed at any moment is settled by status', () => {
  test('killed while Google had created the job but not yet answered: status finds it by label', LONG, async (t) => {
    const session = await stand(t, { vertex: { queuedMs: Number.POSITIVE_INFINITY } });
    const { world, home, env } = session;
    world.vertex.inject({ match: 'create', kind: 'delay', delayMs: 60_000 });
    const submitArgs = ['submit', '--backend', 'vertex', job(t, TRAIN)];
    await killSubmitOnce(session, submitArgs, 'the create request', () => world.vertex.requests('create').length === 1);
    const [listed] = await statusJobs(home, env);
    assert.equal(listed?.state, 'pending');
    assert.equal(listed?.provider_state, 'JOB_STATE_QUEUED');
    assert.equal(listed?.external_id, world.vertex.jobs()[0]!.name);
  });

  test('killed before anything was created: a re-run submit of the job is the one launch', LONG, async (t) => {
    const session = await stand(t, { vertex: { queuedMs: Number.POSITIVE_INFINITY } });
    const { world, dlrun } = session;
    world.vertex.inject({ match: 'list', kind: 'delay', delayMs: 60_000 });
    const jobPath = job(t, TRAIN);
    await killSubmitOnce(session, ['submit', '--backend', 'vertex', jobPath], 'the look-up', () => {
      return world.vertex.requests('list').length === 1;
    });
    const again = await dlrun(['submit', '--backend', 'vertex', jobPath]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(world.vertex.jobs().length, 1);
  });
});

describe('vertex refusals leave nothing behind', () => {
  async function refused(t: TestContext, change: (world: VertexStand, env: Record<string, string>) => void) {
    const submitArgs = () => ['submit', '--backend', 'vertex', job(t, TRAIN)];
    return refusedSubmit(await stand(t), change, submitArgs, (world) => {
      assert.equal(world.vertex.requests('create').length, 0);
      assert.equal(world.vertex.jobs().length, 0);
      assert.deepEqual(
        world.gcs.objects(STAND_BUCKET).map((object) => object.name),
        [],
      );
    });
  }

  test('no staging bucket', LONG, async (t) => {
    const result = await refused(t, (_world, env) => delete env.DLRUN_VERTEX_STAGING_BUCKET);
    assertUserFailure(result, /staging bucket/);
  });

  test('a staging bucket that does not exist', LONG, async (t) => {
    const result = await refused(t, (_world, env) => (env.DLRUN_VERTEX_STAGING_BUCKET = 'gs://nowhere-bucket/x'));
    assertUserFailure(result, /gs:\/\/nowhere-bucket does not exist/);
  });

  test('a staging bucket these credentials may not write', LONG, async (t) => {
    const result = await refused(t, (world) => world.gcs.setWritable(STAND_BUCKET, false));
    assertUserFailure(result, /may not write to the staging bucket/);
  });

  test('credentials Google rejects', LONG, async (t) => {
    const result = await refused(t, (_world, env) => (env.GOOGLE_OAUTH_ACCESS_TOKEN = 'ya29.expired'));
    assertUserFailure(result, /rejected the credentials/);
  });

  test('no project', LONG, async (t) => {
    const result = await refused(t, (_world, env) => delete env.GOOGLE_CLOUD_PROJECT);
    assertUserFailure(result, /no Google Cloud project/);
  });

  test('an accelerator the machine family cannot take', LONG, async (t) => {
    const { world, dlrun } = await stand(t);
    const vertex = '  vertex:\n    machine_type: e2-standard-4\n    accelerator_type: NVIDIA_TESLA_T4\n';
    const yaml = `${TRAIN}backends:\n${vertex}`;
    const result = await dlrun(['submit', '--backend', 'vertex', job(t, yaml.replace('{ cpus: 4 }', '{ gpu: T4 }'))]);
    assert.equal(result.code, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/);
    assert.equal(world.vertex.requests().length, 0);
  });
});

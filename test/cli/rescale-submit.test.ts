// dlrun's commands on the Rescale backend, end to end: the built CLI in a child process, axios over real HTTP, the
// Rescale stand-in stepping each job through Rescale's statuses and running the real bootstrap with bash.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test, type TestContext } from 'vitest';
import { assertUserFailure, type JobRecordJson, statusJobs } from '../support/ec2-cli.js';
import { writeJob } from '../support/job-files.js';
import { DEFAULT_CORE_TYPES } from '../standins/rescale-coretypes.js';
import { PRICED_CORE_TYPE, type RescaleStand, rescaleStandFor } from '../support/rescale-stand.js';
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

const LONG = { timeout: 120_000 };
const SECRET = 'hf_rescale_secret_5c1d';

const TRAIN = `
name: rescale-e2e
run: |
  echo "training on $DLRUN_BACKEND rank $DLRUN_NODE_RANK of $DLRUN_NUM_NODES"
  echo "token is $HF_TOKEN" > /dev/null
  test "\${HF_TOKEN#hf_rescale_}" = "${SECRET.slice('hf_rescale_'.length)}" && echo "the secret arrived"
  mkdir -p "$DLRUN_OUTPUT_DIR/model" && echo weights > "$DLRUN_OUTPUT_DIR/model/final.txt"
secrets: [HF_TOKEN]
resources: { cpus: 2 }
limits: { max_runtime: 1h }
`;

async function stand(t: TestContext, options: Parameters<typeof rescaleStandFor>[1] = {}) {
  return cliSession(t, await rescaleStandFor(t, options), { HF_TOKEN: SECRET });
}

function job(t: TestContext, yaml: string): string {
  return writeJob(tempDir(t, 'dlrun-rescale-job-'), yaml).jobPath;
}

/** A job file written as it is, not loaded first (writeJob refuses one with errors). */
function rawJob(t: TestContext, yaml: string): string {
  const jobPath = path.join(tempDir(t, 'dlrun-rescale-job-'), 'job.yaml');
  writeFileSync(jobPath, yaml);
  return jobPath;
}

/** Every file under `dir`, as text: the ledger and whatever else dlrun keeps in its home. */
function textUnder(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => readFileSync(file, 'utf8'))
    .filter((text) => !text.includes('\0'))
    .join('\n');
}

describe('rescale end to end', () => {
  test('submit --backend rescale --wait runs the job; status, logs, pull and bill tell its story', LONG, async (t) => {
    const { world, home, env, dlrun } = await stand(t);
    const { submitted, record } = await submitAndWait<JobRecordJson & { bill: { total_usd: number } }>(dlrun, [
      'submit',
      '--backend',
      'rescale',
      job(t, TRAIN),
    ]);
    assert.equal(record.state, 'succeeded');
    assert.equal(record.provider_state, 'Completed');
    const [made] = world.rescale.jobs();
    assert.equal(world.rescale.jobs().length, 1);
    assert.equal(record.external_id, made!.id);
    assert.equal(made!.name, `dlrun ${record.job_id}`);
    assert.equal(world.rescale.requests('submitJob').length, 1);
    assert.ok(record.bill.total_usd >= 0);

    const [listed] = await statusJobs(home, env);
    assert.equal(listed?.state, 'succeeded');
    assert.equal(listed?.provider_state, 'Completed');

    const logs = await dlrun(['logs', record.job_id]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /training on rescale rank 0 of 1/);
    assert.match(logs.stdout, /the secret arrived/);

    const to = path.join(tempDir(t, 'dlrun-pulled-'), 'out');
    const pulled = await dlrun(['pull', record.job_id, '--to', to]);
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.equal(readFileSync(path.join(to, 'model', 'final.txt'), 'utf8'), 'weights\n');

    const bill = await dlrun(['bill', record.job_id]);
    assert.equal(bill.code, 0, bill.stderr);
    assert.match(bill.stdout, /standard-plus/);

    const records = await dlrun(['status', '--all', '--json']);
    const printed = [submitted, listed, logs, pulled, bill, records].map((result) => JSON.stringify(result)).join('\n');
    assert.doesNotMatch(printed, new RegExp(SECRET));
    assert.doesNotMatch(textUnder(home), new RegExp(SECRET), 'the secret is nowhere in the ledger or dlrun home');
  });

  test('a run that fails is failed with its exit code, and its log says why', LONG, async (t) => {
    const { world, dlrun } = await stand(t);
    const { record, logs } = await failedRun(dlrun, ['submit', '--backend', 'rescale', job(t, FAILING_JOB)]);
    // Rescale's word is kept: the job is Completed there, the command in it failed.
    assert.equal(record.provider_state, 'Completed');
    assert.equal(world.rescale.jobs()[0]?.exitCode, 3);
    assert.equal(logs.code, 0, logs.stderr);
  });

  test('cancel stops a running job at Rescale and it ends cancelled', LONG, async (t) => {
    const { world, dlrun } = await stand(t);
    const jobId = await submittedJobId(dlrun, ['submit', '--backend', 'rescale', job(t, SLEEPER_JOB)]);
    await waitFor('the job executing', () => (world.rescale.jobs()[0]?.status === 'Executing' ? true : undefined));
    const cancelled = await dlrun(['cancel', jobId]);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(world.rescale.requests('stopJob').length, 1);
    await waitForLedgerState(dlrun, jobId, 'cancelled');
    assert.equal(world.rescale.jobs()[0]?.status, 'Stopped');
  });

  test(
    'submit --dry-run prints the exact requests, the create body with secrets as placeholders, and sends nothing',
    LONG,
    async (t) => {
      const { world, home, env, dlrun } = await stand(t);
      const dry = await dlrun(['submit', '--backend', 'rescale', job(t, TRAIN), '--dry-run', '--json']);
      assert.equal(dry.code, 0, dry.stderr);
      const plan = JSON.parse(dry.stdout) as {
        requests: { operation: string; body: Record<string, unknown> }[];
        startup_script: string;
      };
      const api = `${world.rescale.url}/api/v2`;
      assert.deepEqual(
        plan.requests.map((request) => request.operation),
        [
          `GET ${api}/jobs/`,
          `GET ${api}/files/`,
          `POST ${api}/files/contents/`,
          `POST ${api}/jobs/`,
          `POST ${api}/jobs/<the id Rescale gives the job>/submit/`,
        ],
      );
      const create = plan.requests[3]!.body as {
        name: string;
        description: string;
        jobanalyses: {
          command: string;
          hardware: { coreType: string; coresPerSlot: number; slots: number; walltime: number };
          envVars: Record<string, string>;
        }[];
      };
      assert.match(create.name, /^dlrun /);
      const [analysis] = create.jobanalyses;
      assert.equal(analysis?.hardware.coreType, 'standard-plus');
      assert.equal(analysis?.hardware.walltime, 1);
      assert.equal(analysis?.envVars.HF_TOKEN, '<the value of HF_TOKEN, read at submit, never shown>');
      assert.equal(analysis?.command, plan.startup_script);
      assert.doesNotMatch(dry.stdout + dry.stderr, new RegExp(SECRET));
      assert.deepEqual(world.rescale.requests(), []);
      assert.deepEqual(await statusJobs(home, env), []);
    },
  );
});

describe('rescale check', () => {
  test('check --backend rescale: the key works on the platform; a wrong one is said so', LONG, async (t) => {
    const { world, env, dlrun } = await stand(t);
    const ok = await dlrun(['check', '--backend', 'rescale']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^rescale: usable$/m);
    assert.match(
      ok.stdout,
      /^ {2}ok {3}Rescale API: http:\/\/127\.0\.0\.1:\d+ accepts the key; \d+ core types are available$/m,
    );
    env.RESCALE_API_KEY = 'not-the-key';
    const refused = await dlrun(['check', '--backend', 'rescale']);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stdout, /^ {2}FAIL Rescale API: .*Rescale rejected the API key \(401: Invalid token\.\)/m);
    assert.doesNotMatch(refused.stdout + refused.stderr, /not-the-key/);
    assert.deepEqual(
      world.rescale.requests().map((request) => request.method),
      ['GET', 'GET'],
      'check only reads',
    );
  });
});

describe('a submit killed at any moment is settled by status', () => {
  test('killed while Rescale had created the job but not yet answered: status finds it by name', LONG, async (t) => {
    const session = await stand(t, { queuedMs: Number.POSITIVE_INFINITY });
    const { world, home, env } = session;
    world.rescale.inject({ match: 'createJob', kind: 'delay', delayMs: 60_000 });
    const submitArgs = ['submit', '--backend', 'rescale', job(t, TRAIN)];
    await killSubmitOnce(
      session,
      submitArgs,
      'the create request',
      () => world.rescale.requests('createJob').length === 1,
    );
    const [made] = world.rescale.jobs();
    assert.equal(made?.submitted, false, 'the create was carried out, the submit never sent');
    const [listed] = await statusJobs(home, env);
    assert.equal(listed?.state, 'submitting', 'within the grace, a submit may be about to send it');
    assert.equal(listed?.provider_state, 'Pending');
    assert.equal(listed?.external_id, made!.id);
    assert.equal(world.rescale.jobs().length, 1, 'nothing deleted within the grace');
  });
  test(
    'killed between create and submit: status finds the unsubmitted job, and leaves it within the grace',
    LONG,
    async (t) => {
      const session = await stand(t);
      const { world, home, env } = session;
      // Every submit is lost on the way: the job stays created and unsubmitted, as after a kill between the two.
      world.rescale.inject({ match: 'submitJob', kind: 'drop-before', times: Number.POSITIVE_INFINITY });
      const submitArgs = ['submit', '--backend', 'rescale', job(t, TRAIN)];
      await killSubmitOnce(
        session,
        submitArgs,
        'the submit request',
        () => world.rescale.requests('submitJob').length >= 1,
      );
      const [made] = world.rescale.jobs();
      assert.equal(made?.submitted, false);
      assert.equal(made?.status, 'Pending');
      const [listed] = await statusJobs(home, env);
      assert.equal(listed?.state, 'submitting');
      assert.equal(listed?.provider_state, 'Pending');
      assert.equal(listed?.external_id, made!.id, 'the id found by name is recorded');
      // What happens after the 2-minute grace (the job deleted, and said so) is tested at the adapter level:
      // test/adapters/rescale/rescale-settle-unsubmitted.test.ts.
      assert.equal(world.rescale.jobs().length, 1);
      assert.equal(world.rescale.requests('deleteJob').length, 0);
    },
  );
});

describe('rescale refusals leave nothing behind', () => {
  async function refused(
    t: TestContext,
    change: (world: RescaleStand, env: Record<string, string>) => void,
    yaml = TRAIN,
    options: Parameters<typeof rescaleStandFor>[1] = {},
  ) {
    const session = await stand(t, options);
    const submitArgs = () => ['submit', '--backend', 'rescale', rawJob(t, yaml)];
    const result = await refusedSubmit(session, change, submitArgs, (world) => {
      assert.deepEqual(
        world.rescale.requests({ method: 'POST' }).map((request) => request.path),
        [],
      );
      assert.deepEqual(world.rescale.jobs(), []);
      assert.deepEqual(world.rescale.files(), []);
    });
    return { result, world: session.world };
  }

  test('no RESCALE_API_KEY: asks nothing of Rescale', LONG, async (t) => {
    const { result, world } = await refused(t, (_world, env) => delete env.RESCALE_API_KEY);
    assertUserFailure(
      result,
      /RESCALE_API_KEY is not set.*\n.*hint: get a key on http:\/\/127\.0\.0\.1:\d+ under Settings/,
    );
    assert.deepEqual(world.rescale.requests(), []);
  });

  test('a key the platform refuses (401)', LONG, async (t) => {
    const { result, world } = await refused(t, (_world, env) => (env.RESCALE_API_KEY = 'not-the-key'));
    assertUserFailure(result, /Rescale rejected the API key \(401: Invalid token\.\)\n.*hint: check RESCALE_API_KEY/);
    assert.doesNotMatch(result.stderr, /not-the-key/);
    assert.deepEqual(
      world.rescale.requests().map((request) => [request.action, request.status]),
      [['coreTypes', 401]],
    );
  });

  test('a core type with a typo: did you mean, from what dlrun knows, before any request', LONG, async (t) => {
    const yaml = `${TRAIN}backends:\n  rescale:\n    core_type: standard-plux\n`;
    const { result, world } = await refused(t, () => {}, yaml);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /'standard-plux' is not a Rescale core type; did you mean 'standard-plus'\?/);
    assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/);
    assert.deepEqual(world.rescale.requests(), []);
  });

  test('a core type this platform does not offer: did you mean, from its core types list', LONG, async (t) => {
    // dlrun's table knows standard-plus; this platform lists only a differently named type.
    const offered = { ...PRICED_CORE_TYPE, code: 'standard-plus-v2' };
    const yaml = `${TRAIN}backends:\n  rescale:\n    core_type: standard-plus\n`;
    const { result } = await refused(t, () => {}, yaml, { coreTypes: [...DEFAULT_CORE_TYPES, offered] });
    assertUserFailure(result, /has no core type 'standard-plus'; did you mean 'standard-plus-v2'\?/);
  });

  test('cores the core type does not take, from what dlrun knows', LONG, async (t) => {
    const yaml = `${TRAIN}backends:\n  rescale:\n    core_type: standard-plus\n    cores: 6\n`;
    const { result, world } = await refused(t, () => {}, yaml);
    assertUserFailure(result, /standard-plus has no node with 6 cores: it comes with 1, 2, 4 or 8 cores per node/);
    assert.deepEqual(world.rescale.requests(), []);
  });

  test('cores the core type does not take on this platform, from its core types list', LONG, async (t) => {
    const smaller = { ...PRICED_CORE_TYPE, cores: [1, 2] };
    const yaml = `${TRAIN}backends:\n  rescale:\n    core_type: standard-plus\n    cores: 4\n`;
    const { result } = await refused(t, () => {}, yaml, { coreTypes: [...DEFAULT_CORE_TYPES, smaller] });
    assertUserFailure(
      result,
      /the core type 'standard-plus' takes 1, 2 cores per node, not 4\n.*hint: set backends\.rescale\.cores/,
    );
  });

  test('a plain http:// platform that is not this machine', LONG, async (t) => {
    const { result, world } = await refused(
      t,
      (_world, env) => (env.RESCALE_PLATFORM_URL = 'http://platform.rescale.com'),
    );
    assertUserFailure(result, /http:\/\/platform\.rescale\.com: a Rescale platform URL must start with https:\/\//);
    assert.deepEqual(world.rescale.requests(), []);
  });

  test('a job file with a validation error sends nothing at all', LONG, async (t) => {
    const bad = TRAIN.replace('mkdir -p', 'if [ -d "$DLRUN_OUTPUT_DIR" ]; then echo ready\n  mkdir -p');
    const { result, world } = await refused(t, () => {}, bad);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /error shell-syntax this 'if' is never closed with 'fi'/);
    assert.match(result.stderr, /cannot run on rescale \(1 error\)/);
    assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/);
    assert.deepEqual(world.rescale.requests(), []);
  });
});

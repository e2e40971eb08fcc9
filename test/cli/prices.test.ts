// `dlrun prices refresh` and `dlrun prices show`, end to end: the built CLI in a child process, the real clients (AWS
// SDK, googleapis, axios) over HTTP against stand-ins of the three price APIs, and the quotes, submits and bills that
// read the snapshots it writes.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test, type TestContext } from 'vitest';
import type { Quote } from '../../src/cost/quote.js';
import { awsEnvironment } from '../standins/aws-client-config.js';
import { type PricingOffer, pricingServerFor } from '../standins/aws-pricing-server.js';
import { cloudBillingServerFor, type SkuOffer } from '../standins/cloudbilling-server.js';
import { DEFAULT_CORE_TYPES } from '../standins/rescale-coretypes.js';
import { cliSession, submitAndWait } from '../support/cli-session.js';
import type { JobRecordJson } from '../support/ec2-cli.js';
import { writeJob } from '../support/job-files.js';
import { assertNoStack } from '../support/local-jobs.js';
import { PRICED_CORE_TYPE, rescaleStandFor } from '../support/rescale-stand.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const LONG = { timeout: 120_000 };
const TOKEN = 'ya29.dlrun-prices-token';
const VERTEX_SERVICE = 'C7E2-9256-1C43';

/** g4dn.xlarge at a price unlike the repository's ($0.526), a Windows product the filters must leave out, gp3. */
const AWS_OFFERS: PricingOffer[] = [
  { regionCode: 'us-east-1', instanceType: 'g4dn.xlarge', usd: 0.9 },
  { regionCode: 'us-east-1', instanceType: 'g4dn.xlarge', usd: 5, attributes: { operatingSystem: 'Windows' } },
  { regionCode: 'us-east-1', instanceType: 'g4dn.2xlarge', usd: 1.1 },
  { regionCode: 'us-east-1', instanceType: 'g5.xlarge', usd: 1.2 },
  { regionCode: 'us-east-1', instanceType: 'not-a-type.large', usd: 0.01 },
  { regionCode: 'us-west-2', instanceType: 'g4dn.xlarge', usd: 0.7 },
  { regionCode: 'us-east-1', volumeApiName: 'gp3', usd: 0.09 },
];

/** N1 custom-training core and RAM in us-central1, a T4, a spot SKU (ignored) and an unrelated one (ignored). */
const VERTEX_SKUS: SkuOffer[] = [
  {
    description: 'Vertex AI: Training/Pipelines on N1 Predefined Instance Core running in Americas',
    regions: ['us-central1'],
    usd: 0.04,
    usageUnit: 'h',
  },
  {
    description: 'Vertex AI: Training/Pipelines on N1 Predefined Instance Ram running in Americas',
    regions: ['us-central1'],
    usd: 0.005,
    usageUnit: 'GiBy.h',
  },
  {
    description: 'Vertex AI: Training/Pipelines on Nvidia Tesla T4 GPU running in Americas',
    regions: ['us-central1'],
    usd: 0.45,
    usageUnit: 'h',
  },
  {
    description: 'Vertex AI: Training/Pipelines on Spot Preemptible Nvidia Tesla T4 GPU running in Americas',
    regions: ['us-central1'],
    usd: 0.1,
    usageUnit: 'h',
  },
  { description: 'Gemini 2.5 Pro Text Input', regions: ['global'], usd: 0.000001, usageUnit: 'count' },
];

function job(t: TestContext, yaml: string): string {
  return writeJob(tempDir(t, 'dlrun-prices-job-'), yaml).jobPath;
}

const EC2_JOB = [
  'name: ec2-t4',
  'run: python train.py',
  'resources: { gpu: T4, disk: 100GB }',
  'limits: { max_runtime: 1h }',
  'backends:',
  '  ec2: { instance_type: g4dn.xlarge, region: us-east-1 }',
].join('\n');

const VERTEX_JOB = [
  'name: vertex-t4',
  'run: python train.py',
  'resources: { gpu: T4 }',
  'limits: { max_runtime: 1h }',
  'backends:',
  '  vertex: { machine_type: n1-standard-4, region: us-central1 }',
].join('\n');

const RESCALE_JOB = [
  'name: rescale-cpu',
  'run: echo trained',
  'resources: { cpus: 2 }',
  'limits: { max_runtime: 1h }',
  'backends:',
  '  rescale: { core_type: standard-plus, cores: 4 }',
].join('\n');

async function awsWorld(t: TestContext, pageSize = 2) {
  const pricing = await pricingServerFor(t, { offers: AWS_OFFERS, pageSize });
  const { AWS_ENDPOINT_URL: _moto, ...aws } = awsEnvironment('http://127.0.0.1:9');
  const env: Record<string, string> = { ...aws, AWS_ENDPOINT_URL_PRICING: pricing.url };
  return { pricing, env };
}

async function googleWorld(t: TestContext, pageSize = 2) {
  const billing = await cloudBillingServerFor(t, {
    serviceId: VERTEX_SERVICE,
    skus: VERTEX_SKUS,
    requireToken: TOKEN,
    pageSize,
  });
  return {
    billing,
    env: { GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN, GOOGLE_CLOUD_PROJECT: 'dlrun-test', DLRUN_CLOUDBILLING_URL: billing.url },
  };
}

function quoteOf(stdout: string): Quote {
  return (JSON.parse(stdout) as { quotes: Quote[] }).quotes[0]!;
}

describe('prices refresh against the AWS Price List stand-in', () => {
  test('GetProducts over AWS JSON 1.1, pages followed; the next quote uses the snapshot', LONG, async (t) => {
    const { pricing, env } = await awsWorld(t);
    const home = tempDir(t, 'dlrun-home-');
    const before = await runCli(['quote', job(t, EC2_JOB), '--backend', 'ec2', '--json'], { cwd: home, home, env });
    assert.equal(before.code, 0, before.stderr);
    assert.equal(quoteOf(before.stdout).prices?.from, 'repo catalog');

    const refreshed = await runCli(['prices', 'refresh', '--backend', 'ec2', '--json'], { cwd: home, home, env });
    assert.equal(refreshed.code, 0, refreshed.stderr);
    const answer = JSON.parse(refreshed.stdout) as { refreshed: { backend: string; rows: number; file: string }[] };
    assert.equal(answer.refreshed[0]!.backend, 'ec2');
    // g4dn.xlarge, g4dn.2xlarge and g5.xlarge in us-east-1, g4dn.xlarge in us-west-2, gp3 in us-east-1.
    assert.equal(answer.refreshed[0]!.rows, 5);
    assert.match(refreshed.stderr, /ec2: us-east-1: instance types/);
    for (const request of pricing.requests) {
      assert.equal(request.target, 'AWSPriceListService.GetProducts');
      assert.equal(request.contentType, 'application/x-amz-json-1.1');
      assert.equal(request.signed, true);
      assert.equal(request.body.ServiceCode, 'AmazonEC2');
      assert.equal(request.body.FormatVersion, 'aws_v1');
    }
    assert.ok(
      pricing.requests.some((request) => typeof request.body.NextToken === 'string'),
      'a second page was asked for',
    );
    const anyOf = pricing.requests.flatMap((request) =>
      (request.body.Filters as { Type: string; Value: string }[]).filter((filter) => filter.Type === 'ANY_OF'),
    );
    assert.ok(anyOf.length > 0 && anyOf.every((filter) => filter.Value.length <= 1024));

    const after = await runCli(['quote', job(t, EC2_JOB), '--backend', 'ec2', '--json'], { cwd: home, home, env });
    assert.equal(after.code, 0, after.stderr);
    const quoted = quoteOf(after.stdout);
    assert.equal(quoted.prices?.from, 'snapshot');
    assert.equal(quoted.prices?.from === 'snapshot' && quoted.prices.file, answer.refreshed[0]!.file);
    // 0.9 an hour for the instance and 100 GB of gp3 at 0.09 a GB-month.
    assert.match(quoted.price_source, /g4dn\.xlarge \$0\.9\/h/);
    assert.match(quoted.price_source, /\$0\.09\/GB-month/);
    assert.ok(quoted.rate_per_hour_usd > 0.9 && quoted.rate_per_hour_usd < 0.92, String(quoted.rate_per_hour_usd));

    const text = await runCli(['quote', job(t, EC2_JOB), '--backend', 'ec2'], { cwd: home, home, env });
    assert.match(text.stderr, /ec2 prices: snapshot fetched \S+ \(just now\) from AWS Price List Query API/);
  });

  test('an error answer is one clear line, exit 1, and no snapshot is written', LONG, async (t) => {
    const { pricing, env } = await awsWorld(t);
    pricing.fail('AccessDeniedException', 400, 'User is not authorized to perform: pricing:GetProducts', 10);
    const home = tempDir(t, 'dlrun-home-');
    const result = await runCli(['prices', 'refresh', '--backend', 'ec2'], { cwd: home, home, env });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /ec2: prices not refreshed: .*AWS Price List API.*not authorized/);
    assertNoStack(result);
    assert.throws(() => readdirSync(path.join(home, 'prices', 'ec2')));
  });

  test('no credentials: said, exit 1', LONG, async (t) => {
    const { env } = await awsWorld(t);
    const { AWS_ACCESS_KEY_ID: _key, AWS_SECRET_ACCESS_KEY: _secret, ...noKeys } = env;
    const home = tempDir(t, 'dlrun-home-');
    const result = await runCli(['prices', 'refresh', '--backend', 'ec2'], { cwd: home, home, env: noKeys });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /ec2: prices not refreshed: .*no AWS credentials/);
    assertNoStack(result);
  });
});

describe('prices refresh against the Cloud Billing Catalog stand-in', () => {
  test('SKUs of every page mapped onto the Vertex catalog; the next quote uses them', LONG, async (t) => {
    const { billing, env } = await googleWorld(t);
    const home = tempDir(t, 'dlrun-home-');
    const refreshed = await runCli(['prices', 'refresh', '--backend', 'vertex', '--json'], { cwd: home, home, env });
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.ok(billing.requests.length >= 3, 'five SKUs, two a page: three pages');
    for (const request of billing.requests) {
      assert.equal(request.path, `/v1/services/${VERTEX_SERVICE}/skus`);
      assert.equal(request.auth, `Bearer ${TOKEN}`);
    }
    assert.ok(billing.requests.some((request) => request.query.pageToken));
    const quoted = await runCli(['quote', job(t, VERTEX_JOB), '--backend', 'vertex', '--json'], {
      cwd: home,
      home,
      env,
    });
    assert.equal(quoted.code, 0, quoted.stderr);
    const quote = quoteOf(quoted.stdout);
    // n1-standard-4: 4 x 0.04 + 15 GiB x 0.005 = 0.235; one T4 at 0.45 (the spot SKU is not read).
    assert.equal(quote.rate_per_hour_usd, 0.685);
    assert.equal(quote.prices?.from, 'snapshot');
  });

  test('a refused token is one clear line and exit 1', LONG, async (t) => {
    const { env } = await googleWorld(t);
    const home = tempDir(t, 'dlrun-home-');
    const result = await runCli(['prices', 'refresh', '--backend', 'vertex'], {
      cwd: home,
      home,
      env: { ...env, GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.wrong' },
    });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /vertex: prices not refreshed: .*Cloud Billing Catalog API.*credentials/);
    assertNoStack(result);
  });
});

describe('prices refresh against the Rescale stand-in, and the bill of a job launched before', () => {
  test('a refresh changes the next quote; a job submitted earlier keeps its launch price', LONG, async (t) => {
    const priced = { ...PRICED_CORE_TYPE };
    const world = await rescaleStandFor(t, { coreTypes: [...DEFAULT_CORE_TYPES, priced] });
    const { dlrun, home } = cliSession(t, world);
    const first = await dlrun(['prices', 'refresh', '--backend', 'rescale']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /rescale: refreshed/);
    const jobPath = job(t, RESCALE_JOB);
    const { record } = await submitAndWait<JobRecordJson>(dlrun, ['submit', '--backend', 'rescale', jobPath]);
    const launched = await dlrun(['bill', record.job_id, '--json']);
    assert.equal(launched.code, 0, launched.stderr);
    assert.equal((JSON.parse(launched.stdout) as { rate_per_hour_usd: number }).rate_per_hour_usd, 0.4);

    (priced as { price: number }).price = 0.3;
    const second = await dlrun(['prices', 'refresh', '--backend', 'rescale']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(readdirSync(path.join(home, 'prices', 'rescale')).length, 2, 'one dated file per refresh');
    const quoted = await dlrun(['quote', jobPath, '--backend', 'rescale', '--json']);
    assert.equal(quoteOf(quoted.stdout).rate_per_hour_usd, 1.2);
    assert.match(quoteOf(quoted.stdout).price_source, /price snapshot of the platform's core types list/);

    const billed = await dlrun(['bill', record.job_id, '--json']);
    assert.equal((JSON.parse(billed.stdout) as { rate_per_hour_usd: number }).rate_per_hour_usd, 0.4);
  });
});

describe('prices refresh of every backend, prices show, and a snapshot that cannot be trusted', () => {
  test('one backend failing leaves the others refreshed, exit 1; show in text and JSON', LONG, async (t) => {
    const aws = await awsWorld(t, 100);
    const google = await googleWorld(t, 100);
    const home = tempDir(t, 'dlrun-home-');
    // No RESCALE_API_KEY: Rescale fails, EC2 and Vertex refresh.
    const env = { ...aws.env, ...google.env, RESCALE_PLATFORM_URL: 'http://127.0.0.1:9' };
    const result = await runCli(['prices', 'refresh', '--json'], { cwd: home, home, env });
    assert.equal(result.code, 1, result.stderr);
    const answer = JSON.parse(result.stdout) as {
      refreshed: { backend: string }[];
      failed: { backend: string; message: string }[];
    };
    assert.deepEqual(
      answer.refreshed.map((entry) => entry.backend),
      ['ec2', 'vertex'],
    );
    assert.deepEqual(
      answer.failed.map((entry) => entry.backend),
      ['rescale'],
    );
    assert.match(answer.failed[0]!.message, /RESCALE_API_KEY is not set/);
    assert.match(result.stderr, /^rescale: prices not refreshed: RESCALE_API_KEY is not set/m);

    const shown = await runCli(['prices', 'show', '--json'], { cwd: home, home, env: { NO_COLOR: '1' } });
    assert.equal(shown.code, 0, shown.stderr);
    const backends = (JSON.parse(shown.stdout) as { backends: Record<string, unknown>[] }).backends;
    const byName = Object.fromEntries(backends.map((entry) => [entry.backend, entry]));
    assert.equal(byName.ec2!.from, 'snapshot');
    assert.equal(byName.ec2!.rows, 5);
    assert.equal(typeof byName.ec2!.age_s, 'number');
    assert.equal(byName.vertex!.from, 'snapshot');
    assert.equal(byName.rescale!.from, 'repo catalog');
    assert.equal(byName.local!.refreshable, false);

    const text = await runCli(['prices', 'show'], { cwd: home, home, env: { NO_COLOR: '1' } });
    assert.match(text.stdout, /^ec2: snapshot of \S+ \(just now\), 5 rows, from AWS Price List Query API/m);
    assert.match(text.stdout, /^rescale: the repository's dated catalog/m);
    assert.match(text.stdout, /^local: no price API/m);
  });

  test('a corrupt newer snapshot is reported and ignored; never a crash', LONG, async (t) => {
    const home = tempDir(t, 'dlrun-home-');
    const folder = path.join(home, 'prices', 'ec2');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, '2026-12-01T00-00-00-000Z.json'), '{"format": "dlrun-price-snap');
    const hacked = {
      format: 'dlrun-price-snapshot/1',
      backend: 'ec2',
      fetched_at: '2026-12-02T00:00:00.000Z',
      source: 'hand-edited',
      endpoint: 'https://example.invalid',
      rows: [{ kind: 'instance', region: 'us-east-1', instance_type: 'g4dn.xlarge', usd_per_hour: -1 }],
    };
    writeFileSync(path.join(folder, '2026-12-02T00-00-00-000Z.json'), JSON.stringify(hacked));
    const quoted = await runCli(['quote', job(t, EC2_JOB), '--backend', 'ec2', '--json'], { cwd: home, home });
    assert.equal(quoted.code, 0, quoted.stderr);
    assert.equal(quoteOf(quoted.stdout).prices?.from, 'repo catalog');
    assert.match(quoteOf(quoted.stdout).price_source, /g4dn\.xlarge \$0\.526\/h/);
    assert.match(quoted.stderr, /warning: price snapshot .*2026-12-02T00-00-00-000Z\.json ignored: none of its 1 rows/);
    assert.match(
      quoted.stderr,
      /warning: price snapshot .*2026-12-01T00-00-00-000Z\.json ignored: it is not valid JSON/,
    );
    assertNoStack(quoted);
    const shown = await runCli(['prices', 'show', '--backend', 'ec2'], { cwd: home, home });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^ec2: the repository's dated catalog/m);
    assert.match(shown.stderr, /ignored: it is not valid JSON/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { vertexPriceBasisOf, type VertexPriceBasis } from '../../../adapters/vertex/vertex-price-basis.js';
import { vertexPricing } from '../../../adapters/vertex/vertex-pricing.js';
import { DlrunError } from '../../../src/base/errors.js';
import type { ChargedJob } from '../../../src/cost/backend-pricing.js';
import { VERTEX_PRICE_SOURCES } from '../../../src/cost/catalogs/index.js';
import type { PriceSnapshot } from '../../../src/cost/price-snapshot.js';
import { quote } from '../../../src/cost/quote.js';
import { jobOf, MINIMAL } from '../../support/job-text.js';

const NOW = new Date('2026-12-06T12:00:00Z');
const N1_STANDARD_4 = 0.21849885;

const priced = (yaml: string, env: Record<string, string> = {}) =>
  vertexPricing.price(jobOf(`${MINIMAL}${yaml}`), NOW, env);

function refused(yaml: string, message: RegExp, hint?: RegExp, env: Record<string, string> = {}): void {
  assert.throws(
    () => priced(yaml, env),
    (error: unknown) => {
      assert.ok(error instanceof DlrunError, String(error));
      assert.equal(error.audience, 'user', 'a user-facing error, not a crash');
      assert.match(error.message, message);
      if (hint) assert.match(error.hint ?? '', hint);
      return true;
    },
  );
}

describe('vertexPricing.price', () => {
  test('a CPU job: the cheapest priced machine that satisfies resources, per second, marked unconfirmed', () => {
    const price = priced('');
    assert.equal(price.machine, 'n1-standard-4');
    assert.equal(price.rate_per_hour_usd, N1_STANDARD_4);
    assert.equal(price.billing_increment_s, 1);
    assert.equal(price.minimum_billed_s, 0);
    assert.equal(price.price_as_of, '2026-10-07');
    assert.equal(price.unconfirmed, true, 'the billing increment is unconfirmed, so every Vertex total is');
    assert.equal(quote('vertex', price, 30).billed_s, 30, 'no minimum');
  });

  test("the working names each part of the rate, its source and date, the increment's doubt, Google's figure", () => {
    const { price_source: working } = priced('resources:\n  nodes: 2\n');
    const parts = [
      'us-central1 Vertex AI custom training, on demand: n1-standard-4 $0.21849885/h',
      `secondary: a copy of ${VERTEX_PRICE_SOURCES.pricingPage}, ${VERTEX_PRICE_SOURCES.apiEvangelistCopy}`,
      'as of 2026-10-07',
      '= $0.21849885/h per node x 2 replicas',
      'picked by dlrun: the cheapest priced machine that satisfies resources',
      "billed per second of each replica, from the job's startTime (first RUNNING) to its endTime, no minimum",
      "unconfirmed, no source states Vertex's billing increment or minimum for custom training",
      'boot disks not priced',
      "provider's figure: none; Vertex AI returns no cost for a job",
      'Cloud Billing export to BigQuery',
      'lags by hours',
    ];
    for (const part of parts) assert.ok(working.includes(part), `missing '${part}' in: ${working}`);
    assert.doesNotMatch(working, /undefined|NaN/);
  });

  test('times the replicas (resources.nodes), with the basis the bill needs', () => {
    const price = priced('resources:\n  nodes: 2\n');
    assert.equal(price.machine, '2 x (n1-standard-4)');
    assert.equal(price.rate_per_hour_usd, 2 * N1_STANDARD_4);
    assert.equal(quote('vertex', price, 3600).total_usd, 0.437);
    assert.deepEqual(vertexPriceBasisOf(price), {
      region: 'us-central1',
      machine_type: 'n1-standard-4',
      machine_usd_per_hour: N1_STANDARD_4,
      accelerators: null,
      replicas: 2,
      billing_increment_s: 1,
      minimum_billed_s: 0,
      billing_unconfirmed: true,
    });
  });

  test('the machine backends.vertex names, in its region; spot is quoted at the on-demand rate and says so', () => {
    const named = priced('backends:\n  vertex:\n    machine_type: n1-standard-4\n    region: us-central1\n');
    assert.equal(named.machine, 'n1-standard-4');
    assert.doesNotMatch(named.price_source, /picked by dlrun/);
    assert.match(priced('resources:\n  spot: true\n').price_source, /spot: quoted at the on-demand rate/);
  });

  test('a region without prices is a clear error naming where dlrun has them; the job region wins over gcloud', () => {
    const where = /^dlrun has no Vertex AI prices for europe-west4: its Vertex prices cover us-central1 only$/;
    refused('backends:\n  vertex:\n    region: europe-west4\n', where, /backends\.vertex\.region/);
    refused('', /no Vertex AI prices for asia-east1/, undefined, { CLOUDSDK_AI_REGION: 'asia-east1' });
    assert.equal(
      priced('backends:\n  vertex:\n    region: us-central1\n', { CLOUDSDK_AI_REGION: 'asia-east1' }).machine,
      'n1-standard-4',
    );
  });

  test('a GPU or a machine dlrun has no price for is a clear error saying which and why', () => {
    refused(
      'resources:\n  gpu: T4\n',
      new RegExp(
        /^dlrun has no Vertex AI price in us-central1 for a machine with 1 T4 GPU: /.source +
          /no custom-training price could be sourced for NVIDIA_TESLA_T4, n1-standard-1, n1-highcpu-2 or \d+ more$/
            .source,
      ),
      /dlrun's Vertex AI prices for us-central1: n1-standard-4, NVIDIA_H100_80GB; see docs\/vertex-backend\.md/,
    );
    refused(
      'resources:\n  gpu: H100\n',
      /1 H100 GPU: no custom-training price could be sourced for NVIDIA_H100_MEGA_80GB, a3-highgpu-1g,/,
    );
    refused('resources:\n  cpus: 8\n', /for a machine with 8 vCPUs: no custom-training price could be sourced/);
    refused(
      'backends:\n  vertex:\n    machine_type: n1-standard-8\n',
      /^dlrun has no Vertex AI price in us-central1 for n1-standard-8: no custom-training price .* for n1-standard-8$/,
    );
    refused('backends:\n  vertex:\n    machine_type: n1-standard-5\n', /no Vertex AI machine type 'n1-standard-5'/);
  });
});

const basisOf = (overrides: Partial<VertexPriceBasis> = {}): PriceSnapshot => ({
  ...priced(''),
  basis: { ...vertexPriceBasisOf(priced(''))!, ...overrides },
});

function job(startedAt: string | null, endedAt: string | null, state: ChargedJob['state'] = 'succeeded'): ChargedJob {
  return { state, startedAt, endedAt, externalId: null, providerDetails: null };
}

describe('vertexPricing.charges', () => {
  test('each replica is billed for its machine from startTime to endTime, per second, at the launch price', () => {
    const charges = vertexPricing.charges!(
      job('2026-12-06T10:00:00Z', '2026-12-06T11:30:00.400Z'),
      basisOf({ replicas: 2 }),
      NOW,
      undefined,
    )!;
    assert.equal(charges.billed_s, 5401, 'whole seconds of the span, no rounding up to a minute');
    assert.deepEqual(
      charges.line_items.map((item) => [item.item, item.quantity, item.unit, item.unit_price_usd]),
      [
        ['replica 1 of 2: n1-standard-4 (us-central1)', 1.500278, 'hour', N1_STANDARD_4],
        ['replica 2 of 2: n1-standard-4 (us-central1)', 1.500278, 'hour', N1_STANDARD_4],
      ],
    );
    assert.equal(charges.total_usd, (2 * Math.round((5401 / 3600) * N1_STANDARD_4 * 10_000)) / 10_000);
    assert.match(charges.note!, /each of 2 replicas billed 5401 s \(startTime to endTime\)/);
    assert.match(charges.note!, /unconfirmed billing increment and minimum, so an estimate/);
  });

  test('accelerators get a line of their own per replica, in GPU-hours at the price per GPU', () => {
    // Figures chosen for the arithmetic, not prices: the basis is whatever the launch stored.
    const price = basisOf({
      machine_usd_per_hour: 1,
      accelerators: { type: 'NVIDIA_L4', count: 2, usd_per_hour: 0.5 },
    });
    const charges = vertexPricing.charges!(job('2026-12-06T10:00:00Z', '2026-12-06T12:00:00Z'), price, NOW, undefined)!;
    assert.deepEqual(
      charges.line_items.map((item) => [item.item, item.quantity, item.unit, item.total_usd]),
      [
        ['n1-standard-4 (us-central1)', 2, 'hour', 2],
        ['2 x NVIDIA_L4 (us-central1)', 4, 'GPU-hour', 2],
      ],
    );
    assert.equal(charges.total_usd, 4);
  });

  test('a running job is billed to now, one not started yet nothing, a failed one in full with the doubt said', () => {
    const running = vertexPricing.charges!(job('2026-12-06T11:00:00Z', null, 'running'), basisOf(), NOW, undefined)!;
    assert.equal(running.billed_s, 3600);
    assert.match(running.note!, /startTime to now, the job still going/);
    const queued = vertexPricing.charges!(job(null, null, 'pending'), basisOf(), NOW, undefined)!;
    assert.equal(queued.total_usd, 0);
    const failed = vertexPricing.charges!(
      job('2026-12-06T11:00:00Z', '2026-12-06T11:10:00Z', 'failed'),
      basisOf(),
      NOW,
      undefined,
    )!;
    assert.equal(failed.billed_s, 600);
    assert.match(failed.note!, /failed and is billed in full here: whether Vertex AI bills a failed custom job/);
  });

  test('a price stored without a Vertex basis is left to the flat rate', () => {
    const { basis: _basis, ...flat } = priced('');
    assert.equal(vertexPricing.charges!(job(null, null), flat, NOW, undefined), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  billingFactsOf,
  parseVertexBillingFacts,
  vertexBillingFacts,
} from '../../../adapters/vertex/vertex-billing-facts.js';
import { vertexPriceBasisOf } from '../../../adapters/vertex/vertex-price-basis.js';
import { vertexPricing } from '../../../adapters/vertex/vertex-pricing.js';
import type { ChargedJob } from '../../../src/cost/backend-pricing.js';
import { jobOf, MINIMAL } from '../../support/job-text.js';
import { vertexStand } from '../../support/vertex-jobs-stand.js';

const NOW = new Date('2026-12-06T12:00:00Z');

describe('billingFactsOf', () => {
  test("Vertex's times to the millisecond, and the replicas of every pool", () => {
    assert.deepEqual(
      billingFactsOf({
        startTime: '2026-12-06T10:00:00.123456789Z',
        endTime: '2026-12-06T11:00:00Z',
        jobSpec: { workerPoolSpecs: [{ replicaCount: '1' }, { replicaCount: '3' }] },
      }),
      { startTime: '2026-12-06T10:00:00.123Z', endTime: '2026-12-06T11:00:00.000Z', replicas: 4 },
    );
    assert.deepEqual(billingFactsOf({ state: 'JOB_STATE_CANCELLED', jobSpec: {} }), { replicas: 1 });
  });
});

describe('parseVertexBillingFacts', () => {
  test('facts of the right shape are kept', () => {
    const facts = { startTime: '2026-12-06T10:00:00.000Z', endTime: '2026-12-06T11:00:00.000Z', replicas: 2 };
    assert.deepEqual(parseVertexBillingFacts(facts), facts);
    assert.deepEqual(parseVertexBillingFacts({ replicas: 1 }), { replicas: 1 });
    assert.deepEqual(parseVertexBillingFacts(JSON.parse(JSON.stringify(facts))), facts, 'as the ledger keeps them');
  });

  test('anything else is undefined: the bill then uses the ledger', () => {
    const start = '2026-12-06T10:00:00Z';
    for (const value of [
      undefined,
      null,
      'facts',
      42,
      [],
      {},
      { replicas: 0 },
      { replicas: 1.5 },
      { replicas: '2' },
      { replicas: 1e9 },
      { replicas: 1, startTime: 'yesterday' },
      { replicas: 1, startTime: 1765015200 },
      { replicas: 1, endTime: `${start}${' '.repeat(100)}` },
      { replicas: 1, startTime: '2026-12-06T11:00:00Z', endTime: start },
      { kind: 'ec2-billing-facts', instances: [], spot_price_history: [] },
    ]) {
      assert.equal(parseVertexBillingFacts(value), undefined, JSON.stringify(value));
    }
  });
});

describe('the bill with the facts', () => {
  const price = vertexPricing.price(jobOf(MINIMAL), NOW, {});
  const job: ChargedJob = {
    state: 'succeeded',
    startedAt: '2026-12-06T10:00:00Z',
    endedAt: '2026-12-06T11:00:00Z',
    externalId: null,
    providerDetails: null,
  };

  test("Vertex's own startTime and endTime are billed when the facts have them, and the note says so", () => {
    assert.ok(vertexPriceBasisOf(price));
    const facts = { startTime: '2026-12-06T10:00:30Z', endTime: '2026-12-06T10:59:00Z', replicas: 1 };
    const charges = vertexPricing.charges!(job, price, NOW, facts)!;
    assert.equal(charges.billed_s, 3510);
    assert.match(charges.note!, /times: Vertex AI's own startTime and endTime/);
  });

  test("without facts, or with facts of another shape, the ledger's times, and the note says so", () => {
    for (const facts of [undefined, { replicas: 'x' }]) {
      const charges = vertexPricing.charges!(job, price, NOW, facts)!;
      assert.equal(charges.billed_s, 3600);
      assert.match(charges.note!, /times: as dlrun recorded the job's start and end/);
    }
    const partly = vertexPricing.charges!(job, price, NOW, { endTime: '2026-12-06T10:30:00Z', replicas: 1 })!;
    assert.equal(partly.billed_s, 1800);
    assert.match(partly.note!, /Vertex AI's own where it reported them/);
  });
});

describe('vertexBillingFacts', () => {
  test('one get by the recorded name, or one list by the label; undefined when Vertex has no such job', async (t) => {
    const stand = await vertexStand(t);
    const name = await stand.create('billed');
    stand.vertex.setState(name, 'JOB_STATE_RUNNING');
    stand.vertex.setState(name, 'JOB_STATE_SUCCEEDED');
    const job = stand.vertex.job(name)!;
    const expected = {
      startTime: new Date(job.startTime as string).toISOString(),
      endTime: new Date(job.endTime as string).toISOString(),
      replicas: 1,
    };
    assert.deepEqual(await vertexBillingFacts(stand.handle('billed', name), stand.context), expected);
    assert.equal(stand.vertex.requests('get').length, 1);
    assert.deepEqual(await vertexBillingFacts(stand.handle('billed', null), stand.context), expected);
    assert.equal(stand.vertex.requests('list').length, 1);
    const gone = `projects/${stand.vertex.projectNumber}/locations/us-central1/customJobs/7`;
    assert.equal(await vertexBillingFacts(stand.handle('gone', gone), stand.context), undefined);
    assert.equal(await vertexBillingFacts(stand.handle('never', null), stand.context), undefined);
  });
});

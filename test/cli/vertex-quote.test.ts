import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { Quote } from '../../src/cost/quote.js';
import { assertNoStack } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';

const N1_STANDARD_4 = 0.21849885;

function jobText(extra = ''): string {
  return [
    'name: vertex-cpu',
    'run: "python train.py"',
    'backend: vertex',
    'resources:',
    '  nodes: 2',
    'limits:',
    '  max_runtime: 2h',
    extra,
  ].join('\n');
}

test(
  'quote --backend vertex --json prices each replica at the catalog rate, per second, unconfirmed, ' +
    'with every part of the working',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(tempDir(t), jobText());
    const result = await runCli(['quote', jobPath, '--backend', 'vertex', '--json'], { cwd: home, home });
    assert.equal(result.code, 0, result.stderr);
    const { quotes, unavailable } = JSON.parse(result.stdout) as { quotes: Quote[]; unavailable: unknown[] };
    assert.deepEqual(unavailable, []);
    assert.equal(quotes.length, 1);
    const vertex = quotes[0]!;
    assert.equal(vertex.backend, 'vertex');
    assert.equal(vertex.machine, '2 x (n1-standard-4)');
    assert.equal(vertex.rate_per_hour_usd, 2 * N1_STANDARD_4);
    assert.equal(vertex.billing_increment_s, 1);
    assert.equal(vertex.minimum_billed_s, 0);
    assert.equal(vertex.runtime_s, 7200, 'the time the limits allow');
    assert.equal(vertex.billed_s, 7200);
    assert.equal(vertex.total_usd, Math.round(2 * N1_STANDARD_4 * 2 * 10_000) / 10_000);
    assert.equal(vertex.price_as_of, '2026-10-07');
    assert.equal(vertex.unconfirmed, true, 'the billing increment is unconfirmed');
    assert.match(
      vertex.price_source,
      /^us-central1 Vertex AI custom training, on demand: n1-standard-4 \$0\.21849885\/h/,
    );
    assert.match(
      vertex.price_source,
      /secondary: a copy of https:\/\/cloud\.google\.com\/vertex-ai\/pricing, https:\/\//,
    );
    assert.match(vertex.price_source, /x 2 replicas/);
    assert.match(vertex.price_source, /no minimum: unconfirmed, no source states Vertex's billing increment/);
    assert.match(vertex.price_source, /provider's figure: none; .* Cloud Billing export to BigQuery/);
    assert.equal('basis' in vertex, false, 'the price basis stored with a job is not a quote field');
  },
);

test('quote with no --backend lists vertex beside this machine, and the text says what is unconfirmed', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), jobText());
  const result = await runCli(['quote', jobPath], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  const rows = result.stdout.split('\n');
  assert.ok(
    rows.some((row) => /^local\s/.test(row)),
    result.stdout,
  );
  const vertexRow = rows.find((row) => /^vertex\s/.test(row));
  assert.ok(vertexRow, result.stdout);
  assert.match(
    vertexRow,
    new RegExp(
      /2 x \(n1-standard-4\)\s+\$0\.4369977\/h\s+per second\s+0s\s+5m00s \$0\.036\s+\$0\.036\s+/.source +
        /2h00m\s+\$0\.87\s+2026-10-07 \(unconfirmed\)/.source,
    ),
  );
  assert.match(result.stderr, /^vertex: us-central1 Vertex AI custom training/m);
  assert.match(result.stderr, /provider's figure: none/);
});

test('a region without prices, and a GPU without one, are no quote with the reason and no stack', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), jobText('backends:\n  vertex:\n    region: europe-west4\n'));
  const region = await runCli(['quote', jobPath, '--backend', 'vertex'], { cwd: home, home });
  assert.equal(region.code, 1);
  assert.match(
    region.stderr,
    /vertex: no quote: dlrun has no Vertex AI prices for europe-west4: its Vertex prices cover us-central1 only/,
  );
  assertNoStack(region);

  const { jobPath: gpuJob } = writeJob(tempDir(t), 'name: t4-job\nrun: "true"\nresources:\n  gpu: T4\n');
  const gpu = await runCli(['quote', gpuJob, '--backend', 'vertex', '--json'], { cwd: home, home });
  assert.equal(gpu.code, 1);
  const { unavailable } = JSON.parse(gpu.stdout) as { unavailable: { backend: string; reason: string }[] };
  assert.equal(unavailable[0]?.backend, 'vertex');
  assert.match(unavailable[0]!.reason, /no custom-training price could be sourced for NVIDIA_TESLA_T4/);
  assertNoStack(gpu);
});

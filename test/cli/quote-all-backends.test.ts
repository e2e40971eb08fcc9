import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { asJobId } from '../../src/backend/job-id.js';
import { loadConfig } from '../../src/config.js';
import { billedSeconds } from '../../src/cost/price-snapshot.js';
import type { Quote } from '../../src/cost/quote.js';
import { openLedger } from '../../src/ledger/open-ledger.js';
import { assertNoStack } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';

interface QuoteOutput {
  readonly quotes: Quote[];
  readonly unavailable: { backend: string; reason: string }[];
}

const CPU_JOB = [
  'name: cpu-job',
  'run: "python train.py"',
  'limits:',
  '  max_runtime: 2h',
  'backends:',
  '  local:',
  '    hourly_rate: 0.5',
  '',
].join('\n');

const round = (amount: number): number => Math.round(amount * 10_000) / 10_000;
const atRate = (seconds: number, quote: Quote): number =>
  round((billedSeconds(seconds, quote) * quote.rate_per_hour_usd) / 3600);

test(
  'quote with no --backend prices every backend, cheapest first, each with its start-up, ' +
    'what a failed start costs and a total consistent with the rules',
  async (t) => {
    const home = tempDir(t);
    const { jobPath } = writeJob(tempDir(t), CPU_JOB);
    const result = await runCli(['quote', jobPath, '--json'], { cwd: home, home });
    assert.equal(result.code, 0, result.stderr);
    const { quotes, unavailable } = JSON.parse(result.stdout) as QuoteOutput;
    assert.deepEqual(unavailable, []);
    assert.deepEqual(quotes.map((entry) => entry.backend).sort(), ['ec2', 'local', 'rescale', 'vertex']);
    const totals = quotes.map((entry) => entry.total_usd);
    assert.deepEqual(
      totals,
      [...totals].sort((a, b) => a - b),
      'cheapest first',
    );
    for (const entry of quotes) {
      assert.equal(typeof entry.startup_s, 'number', `${entry.backend} startup_s`);
      assert.equal(entry.runtime_s, 7200, 'the time the limits allow');
      assert.equal(entry.startup_usd, atRate(entry.startup_s!, entry), `${entry.backend}: startup_usd from startup_s`);
      assert.equal(entry.failed_start_usd, atRate(entry.startup_s!, entry), `${entry.backend}: one failed start`);
      assert.equal(entry.total_usd, atRate(entry.runtime_s, entry));
      assert.match(
        entry.startup_source!,
        /^default \(fewer than 3 finished jobs on .* in this ledger\): .*as of \d{4}-/,
      );
    }
    const by = (name: string): Quote => quotes.find((entry) => entry.backend === name)!;
    assert.equal(by('local').startup_s, 0, 'nothing is billed to start on this machine');
    assert.equal(by('ec2').startup_s, 120);
    assert.equal(by('ec2').startup_usd, atRate(120, by('ec2')));
    assert.equal(by('ec2').minimum_billed_s, 60);
    assert.equal(by('vertex').startup_s, 300);
    assert.equal(by('rescale').startup_s, 360, 'the midpoint of 4 to 8 minutes');
    assert.match(by('rescale').startup_source!, /midpoint of the 4 to 8 minutes/);
    assert.match(by('ec2').startup_source!, /unconfirmed$/);
    assert.equal(existsSync(path.join(home, 'ledger.db')), false, 'a quote never creates a ledger');

    const text = await runCli(['quote', jobPath], { cwd: home, home });
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.trimEnd().split('\n');
    assert.match(
      lines[0]!,
      /^BACKEND +MACHINE +RATE +BILLING +MINIMUM +STARTUP +FAILED START +RUNTIME +TOTAL +PRICE AS OF$/,
    );
    assert.deepEqual(
      lines.slice(1).map((line) => line.split(/\s+/)[0]),
      quotes.map((entry) => entry.backend),
      'the rows in the order of the JSON, cheapest first',
    );
    assert.match(text.stdout, /^rescale .* 6m00s \$\S+ +\$\S+ +2h00m /m);
    assert.match(text.stderr, /^ec2 start-up: default .*admin-magazine/m);
  },
);

test('a backend that cannot run the job is listed with the reason, the others still quoted', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), 'name: t4-job\nrun: "true"\nresources:\n  gpu: T4\n');
  const result = await runCli(['quote', jobPath, '--json', '--runtime', '1h'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  const { quotes, unavailable } = JSON.parse(result.stdout) as QuoteOutput;
  assert.ok(
    quotes.some((entry) => entry.backend === 'ec2'),
    result.stdout,
  );
  const vertex = unavailable.find((entry) => entry.backend === 'vertex');
  assert.ok(vertex, result.stdout);
  assert.match(vertex.reason, /no custom-training price could be sourced for NVIDIA_TESLA_T4/);
  assert.deepEqual(
    [...quotes.map((entry) => entry.backend), ...unavailable.map((entry) => entry.backend)].sort(),
    ['ec2', 'local', 'rescale', 'vertex'],
    'every backend is either quoted or listed with its reason',
  );

  const text = await runCli(['quote', jobPath, '--runtime', '1h'], { cwd: home, home });
  assert.equal(text.code, 0);
  assert.match(text.stderr, /^vertex: no quote: .*NVIDIA_TESLA_T4/m);
  assertNoStack(text);
});

test("three finished jobs on a backend's machine set its start-up: their median, not the default", async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), CPU_JOB);
  const first = JSON.parse((await runCli(['quote', jobPath, '--json'], { cwd: home, home })).stdout) as QuoteOutput;
  const vertexPrice = first.quotes.find((entry) => entry.backend === 'vertex')!;
  const ledger = await openLedger(loadConfig({ DLRUN_HOME: home }, home));
  try {
    // Start-ups of 90 s, 150 s and 400 s on the quoted machine, and a 10 s one on another machine.
    const jobs = [
      { id: 'a', machine: vertexPrice.machine, startup: [30, 60] },
      { id: 'b', machine: vertexPrice.machine, startup: [100, 50] },
      { id: 'c', machine: vertexPrice.machine, startup: [300, 100] },
      { id: 'd', machine: 'n1-highmem-96', startup: [5, 5] },
    ];
    for (const job of jobs) await recordFinishedJob(ledger, job.id, job.machine, job.startup[0]!, job.startup[1]!);
  } finally {
    await ledger.close();
  }
  const result = await runCli(['quote', jobPath, '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  const { quotes } = JSON.parse(result.stdout) as QuoteOutput;
  const vertex = quotes.find((entry) => entry.backend === 'vertex')!;
  assert.equal(vertex.startup_s, 150);
  assert.equal(vertex.startup_usd, atRate(150, vertex));
  assert.match(vertex.startup_source!, /median provisioning plus setup of this ledger's 3 finished vertex jobs/);
  assert.equal(quotes.find((entry) => entry.backend === 'ec2')!.startup_s, 120, 'other backends keep the default');
});

/** A vertex job that went through provisioning and setup for these seconds, ran 10 minutes and succeeded. */
async function recordFinishedJob(
  ledger: Awaited<ReturnType<typeof openLedger>>,
  id: string,
  machine: string,
  provisioning: number,
  setup: number,
): Promise<void> {
  const jobId = asJobId(`startup-${id}-20260101-0000-abcd`);
  const start = Date.parse('2026-01-01T10:00:00.000Z');
  const at = (seconds: number): string => new Date(start + seconds * 1000).toISOString();
  await ledger.createJob({
    jobId,
    name: `startup-${id}`,
    backend: 'vertex',
    jobFile: '/tmp/job.yaml',
    spec: { name: `startup-${id}` },
    submittedAt: at(0),
    price: {
      machine,
      rate_per_hour_usd: 1,
      billing_increment_s: 1,
      minimum_billed_s: 0,
      price_source: 'test',
      price_as_of: '2026-01-01',
    },
  });
  await ledger.recordChange(jobId, { at: at(0), source: 'provider', state: 'provisioning', phase: 'provisioning' });
  await ledger.recordChange(jobId, { at: at(provisioning), source: 'provider', state: 'running', phase: 'setup' });
  await ledger.recordChange(jobId, { at: at(provisioning + setup), source: 'machine', phase: 'run' });
  await ledger.recordChange(jobId, { at: at(provisioning + setup + 600), source: 'provider', state: 'succeeded' });
}

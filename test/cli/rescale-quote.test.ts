import assert from 'node:assert/strict';
import { test } from 'vitest';
import { writeRescalePriceCache, coreTypePricesFrom } from '../../adapters/rescale/rescale-price-cache.js';
import type { Quote } from '../../src/cost/quote.js';
import { assertNoStack } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { writeJob } from '../support/job-files.js';

function jobText(rescale: string, resources = '  nodes: 2\n'): string {
  return [
    'name: rescale-cpu',
    'run: "python train.py"',
    'backend: rescale',
    'resources:',
    resources,
    'limits:',
    '  max_runtime: 2h',
    'backends:',
    '  rescale:',
    rescale,
  ].join('\n');
}

test('quote --backend rescale --json: price x cores x slots, unconfirmed, what a failed start costs', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), jobText('    core_type: standard-plus\n    cores: 4\n'));
  const result = await runCli(['quote', jobPath, '--backend', 'rescale', '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  const { quotes, unavailable } = JSON.parse(result.stdout) as { quotes: Quote[]; unavailable: unknown[] };
  assert.deepEqual(unavailable, []);
  const rescale = quotes[0]!;
  assert.equal(rescale.backend, 'rescale');
  assert.equal(rescale.machine, '2 x (standard-plus (Marble) x 4 cores)');
  assert.equal(rescale.rate_per_hour_usd, 0.8);
  assert.equal(rescale.billing_increment_s, 1);
  assert.equal(rescale.runtime_s, 7200);
  assert.equal(rescale.total_usd, 1.6);
  assert.equal(rescale.price_as_of, '2026-12-06');
  assert.equal(rescale.unconfirmed, true);
  assert.match(rescale.price_source, /one failed start: \$0\.05 to \$0\.11 \(4 to 8 minutes of start-up/);
  assert.match(rescale.price_source, /no source states Rescale's billing increment or minimum/);
  assert.equal('basis' in rescale, false, 'the price basis stored with a job is not a quote field');
});

test('quote --backend rescale in text: the rate on its row, the working with the failed start on stderr', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), jobText('    core_type: adamite\n', '  nodes: 1\n'));
  const result = await runCli(['quote', jobPath, '--backend', 'rescale'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  const row = result.stdout.split('\n').find((line) => /^rescale\s/.test(line));
  assert.ok(row, result.stdout);
  assert.match(row, /adamite x 24 cores\s+\$4\.2024\/h\s+per second/);
  assert.match(result.stderr, /^rescale: https:\/\/platform\.rescale\.com Rescale core type adamite/m);
  assert.match(result.stderr, /one failed start: \$0\.28 to \$0\.56/);
});

test('live prices cached in DLRUN_HOME price a type the table lacks', async (t) => {
  const home = tempDir(t);
  const fetched = new Date('2026-12-07T09:00:00Z');
  const rows = coreTypePricesFrom(
    [{ code: 'emerald', name: 'Emerald', price: 0.09, lowPriorityPrice: '0.045', cores: [2, 4], memory: 4000 }],
    fetched,
    'https://platform.rescale.com',
  );
  writeRescalePriceCache(home, 'https://platform.rescale.com', rows, fetched);
  const { jobPath } = writeJob(tempDir(t), jobText('    core_type: emerald\n    cores: 4\n'));
  const result = await runCli(['quote', jobPath, '--backend', 'rescale', '--json'], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  const { quotes } = JSON.parse(result.stdout) as { quotes: Quote[] };
  assert.equal(quotes[0]?.rate_per_hour_usd, 0.72);
  assert.match(quotes[0]!.price_source, /core types list fetched 2026-12-07T09:00:00\.000Z/);
});

test('a core type without a price, and a wrong core count, are no quote with the reason and no stack', async (t) => {
  const home = tempDir(t);
  const { jobPath } = writeJob(tempDir(t), jobText('    core_type: emerald\n    cores: 16\n'));
  const unpriced = await runCli(['quote', jobPath, '--backend', 'rescale'], { cwd: home, home });
  assert.equal(unpriced.code, 1);
  assert.match(unpriced.stderr, /rescale: no quote: dlrun has no price for Rescale core type emerald/);
  assertNoStack(unpriced);

  const { jobPath: wrong } = writeJob(tempDir(t), jobText('    core_type: standard-plus\n    cores: 6\n'));
  const cores = await runCli(['quote', wrong, '--backend', 'rescale', '--json'], { cwd: home, home });
  assert.equal(cores.code, 1);
  const { unavailable } = JSON.parse(cores.stdout) as { unavailable: { backend: string; reason: string }[] };
  assert.match(unavailable[0]!.reason, /standard-plus has no node with 6 cores: it comes with 1, 2, 4 or 8/);
  assertNoStack(cores);
});

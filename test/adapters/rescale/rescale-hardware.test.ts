import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  rescaleCoreTypeViews,
  rescaleHardware,
  type RescaleCoreTypeView,
} from '../../../adapters/rescale/rescale-hardware.js';
import { DlrunError } from '../../../src/base/errors.js';
import { RESCALE_CORE_TYPE_PRICES, type RescaleCoreTypePrice } from '../../../src/cost/catalogs/rescale-prices.js';
import { jobOf, MINIMAL } from '../../support/job-text.js';

const TABLE = rescaleCoreTypeViews(RESCALE_CORE_TYPE_PRICES);

const hardware = (yaml: string, views: readonly RescaleCoreTypeView[] = TABLE) =>
  rescaleHardware(jobOf(`${MINIMAL}${yaml}`), views);

function refused(yaml: string, message: RegExp, hint?: RegExp, views: readonly RescaleCoreTypeView[] = TABLE): void {
  assert.throws(
    () => hardware(yaml, views),
    (error: unknown) => {
      assert.ok(error instanceof DlrunError, String(error));
      assert.equal(error.audience, 'user');
      assert.match(error.message, message);
      if (hint) assert.match(error.hint ?? '', hint);
      return true;
    },
  );
}

const row = (code: string, price: number, cores: number[], memory?: number): RescaleCoreTypePrice => ({
  code,
  usd_per_core_hour: price,
  low_priority_usd_per_core_hour: price / 2,
  cores_per_node: cores,
  ...(memory ? { memory_mb_per_core: memory } : {}),
  source: ['https://platform.rescale.com/api/v2/coretypes/'],
  as_of: '2026-12-07',
});

describe('rescaleHardware', () => {
  test('the named core type and cores, slots from resources.nodes', () => {
    const chosen = hardware(
      'resources:\n  nodes: 3\nbackends:\n  rescale:\n    core_type: standard-plus\n    cores: 4\n',
    );
    assert.equal(chosen.coreType.code, 'standard-plus');
    assert.equal(chosen.coresPerSlot, 4);
    assert.equal(chosen.slots, 3);
    assert.equal(chosen.pickedByDlrun, false);
  });

  test("cores not among the type's sizes: the error names the allowed values", () => {
    refused(
      'backends:\n  rescale:\n    core_type: standard-plus\n    cores: 6\n',
      /standard-plus has no node with 6 cores: it comes with 1, 2, 4 or 8 cores per node/,
      /set backends\.rescale\.cores to one of 1, 2, 4, 8/,
    );
  });

  test('a named type without cores takes the fewest cores that hold resources.cpus and memory', () => {
    const chosen = hardware('resources:\n  cpus: 3\nbackends:\n  rescale:\n    core_type: standard-plus\n');
    assert.equal(chosen.coresPerSlot, 4);
    const roomy = hardware('resources:\n  memory: 20GiB\nbackends:\n  rescale:\n    core_type: standard-plus\n');
    assert.equal(roomy.coresPerSlot, 8, '8 x 3750 MB is the first size with 20 GiB');
  });

  test('an unknown code gets a did-you-mean from the catalog and the priced codes', () => {
    refused(
      'backends:\n  rescale:\n    core_type: emrald\n',
      /knows no Rescale core type 'emrald'/,
      /did you mean emerald\?/,
    );
    refused('backends:\n  rescale:\n    core_type: adamit\n', /'adamit'/, /did you mean adamite\?/);
  });

  test('a known type whose sizes no source gave: cores from the job, else an error with the fix', () => {
    const chosen = hardware('backends:\n  rescale:\n    core_type: emerald\n    cores: 16\n');
    assert.equal(chosen.coresPerSlot, 16);
    assert.equal(chosen.coresUnchecked, true);
    refused(
      'backends:\n  rescale:\n    core_type: emerald\n',
      /does not know how many cores a node of Rescale core type emerald has/,
      /set backends\.rescale\.cores/,
    );
  });

  test('no type named: the cheapest priced type and size that hold resources', () => {
    assert.deepEqual(
      [hardware('').coreType.code, hardware('').coresPerSlot],
      ['standard-plus', 1],
      'a minimal job: the smallest node of the cheapest type',
    );
    const big = hardware('resources:\n  cpus: 16\n');
    assert.deepEqual([big.coreType.code, big.coresPerSlot, big.pickedByDlrun], ['adamite', 24, true]);
    const views = rescaleCoreTypeViews([row('cheap', 0.01, [2, 4], 1000), row('dear', 0.05, [2, 4], 8000)]);
    assert.equal(hardware('resources:\n  cpus: 2\n', views).coreType.code, 'cheap');
    assert.equal(hardware('resources:\n  memory: 10GiB\n', views).coreType.code, 'dear', 'memory per node counts');
  });

  test('nothing priced holds the job: the error names what is priced; a GPU job says no GPU type is priced', () => {
    refused(
      'resources:\n  cpus: 64\n',
      /no priced Rescale core type has 64 vCPUs/,
      /standard-plus \(1, 2, 4 or 8 cores\)/,
    );
    refused('resources:\n  gpu: T4\n', /no priced Rescale core type has 1 T4 GPU .*GPU core type's model and count/);
  });

  test('a deprecated type in the live list is refused when named and never picked', () => {
    const views = rescaleCoreTypeViews([{ ...row('old', 0.001, [4]), deprecated: true }, row('new', 0.02, [4])]);
    refused('backends:\n  rescale:\n    core_type: old\n', /'old' is deprecated/, undefined, views);
    assert.equal(hardware('', views).coreType.code, 'new');
  });
});

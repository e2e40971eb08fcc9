import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  closeEc2InstanceTypes,
  EC2_FAMILIES,
  EC2_INSTANCE_TYPES,
  findEc2Family,
  findEc2InstanceType,
  suggestEc2InstanceType,
} from '../../../src/cost/catalogs/ec2-instance-types.js';

describe('the EC2 catalog', () => {
  test('every family the brief names is there, and every type belongs to a listed family', () => {
    const required = [
      'g2',
      'p2',
      'g3',
      'g3s',
      'p3',
      'p3dn',
      'g4dn',
      'g5',
      'g6',
      'g6e',
      'p4d',
      'p4de',
      'p5',
      't3',
      'm5',
      'm6i',
      'm7i',
      'c5',
      'c6i',
      'c7i',
      'r5',
      'r6i',
    ];
    for (const family of required) {
      assert.ok(findEc2Family(family), `no family row for ${family}`);
      assert.ok(
        EC2_INSTANCE_TYPES.some((type) => type.family === family),
        `no sizes for ${family}`,
      );
    }
    for (const type of EC2_INSTANCE_TYPES) {
      assert.equal(type.name.split('.')[0], type.family, type.name);
      assert.ok(findEc2Family(type.family), `${type.name}: family ${type.family} has no row`);
    }
  });

  test('GPU families carry GPUs on every size and CPU families on none', () => {
    for (const type of EC2_INSTANCE_TYPES) {
      const family = findEc2Family(type.name)!;
      assert.equal(type.gpus !== undefined, family.kind === 'gpu', type.name);
    }
  });

  test('figures of well-known sizes', () => {
    const expected: [string, number, number, string | undefined, number][] = [
      ['g2.2xlarge', 8, 15, 'K520', 1],
      ['p2.16xlarge', 64, 732, 'K80', 16],
      ['g3s.xlarge', 4, 30.5, 'M60', 1],
      ['p3.16xlarge', 64, 488, 'V100', 8],
      ['p3dn.24xlarge', 96, 768, 'V100-32GB', 8],
      ['g4dn.xlarge', 4, 16, 'T4', 1],
      ['g4dn.metal', 96, 384, 'T4', 8],
      ['g5.48xlarge', 192, 768, 'A10G', 8],
      ['g6.12xlarge', 48, 192, 'L4', 4],
      ['g6e.48xlarge', 192, 1536, 'L40S', 8],
      ['p4d.24xlarge', 96, 1152, 'A100', 8],
      ['p4de.24xlarge', 96, 1152, 'A100-80GB', 8],
      ['p5.48xlarge', 192, 2048, 'H100', 8],
      ['m5.large', 2, 8, undefined, 0],
      ['c5.9xlarge', 36, 72, undefined, 0],
      ['r6i.32xlarge', 128, 1024, undefined, 0],
      ['t3.nano', 2, 0.5, undefined, 0],
    ];
    for (const [name, vcpus, memory, model, count] of expected) {
      const type = findEc2InstanceType(name);
      assert.ok(type, name);
      assert.equal(type.vcpus, vcpus, name);
      assert.equal(type.memory_gib, memory, name);
      assert.equal(type.gpus?.model, model, name);
      assert.equal(type.gpus?.count ?? 0, count, name);
    }
  });

  test('previous-generation families are marked, current ones are not', () => {
    for (const name of ['g2', 'p2', 'g3', 'g3s', 'p3', 'p3dn'])
      assert.equal(findEc2Family(name)?.previous_generation, true, name);
    for (const name of ['g4dn', 'g5', 'g6', 'g6e', 'p4d', 'p5', 'm5', 't3'])
      assert.equal(findEc2Family(name)?.previous_generation, false, name);
    assert.ok(
      EC2_FAMILIES.filter((family) => family.retirement !== undefined).every((family) => family.previous_generation),
    );
  });

  test('the doubtful p5.4xlarge GPU count is marked', () => {
    assert.deepEqual(findEc2InstanceType('p5.4xlarge')?.unconfirmed_fields, ['gpu_count', 'gpu_memory']);
  });
});

describe('EC2 lookups', () => {
  test('exact names only: EC2 names are lower case', () => {
    assert.equal(findEc2InstanceType('g4dn.xlarge')?.vcpus, 4);
    assert.equal(findEc2InstanceType('G4DN.XLARGE'), undefined);
    assert.equal(findEc2InstanceType('g4dn'), undefined);
  });
  test('a dropped letter: g4dn.xlarg -> g4dn.xlarge', () => {
    assert.equal(suggestEc2InstanceType('g4dn.xlarg'), 'g4dn.xlarge');
    assert.equal(closeEc2InstanceTypes('g4dn.xlarg')[0], 'g4dn.xlarge');
  });
  test('capitals: G4DN.XLARGE -> g4dn.xlarge', () =>
    assert.equal(suggestEc2InstanceType('G4DN.XLARGE'), 'g4dn.xlarge'));
  test('a transposition: p3.2xlrage -> p3.2xlarge', () =>
    assert.equal(suggestEc2InstanceType('p3.2xlrage'), 'p3.2xlarge'));
  test('nothing close', () => {
    assert.equal(suggestEc2InstanceType('quantum.huge'), undefined);
    assert.deepEqual(closeEc2InstanceTypes('quantum.huge'), []);
  });
  test('a known name gets no suggestion', () => assert.equal(suggestEc2InstanceType('g5.xlarge'), undefined));
  test('family by instance name or family name', () => {
    assert.equal(findEc2Family('g4dn.xlarge')?.name, 'g4dn');
    assert.equal(findEc2Family('p6-b200.48xlarge')?.name, 'p6-b200');
    assert.equal(findEc2Family('x1e'), undefined);
  });
});

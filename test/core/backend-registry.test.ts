import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import type { Capability } from '../../src/backend/capabilities.js';
import { DlrunError } from '../../src/base/errors.js';
import {
  backendNames,
  canLaunch,
  canPrice,
  capabilitiesOf,
  loadBackend,
  pricingOf,
  validationOf,
} from '../../src/core/backends.js';
import { BACKEND_NAMES } from '../../src/spec/backends/index.js';
import { thisMachine } from '../../src/validate/this-machine.js';
import { jobOf, MINIMAL } from '../support/job-text.js';
import { REPO_ROOT } from '../support/paths.js';

test('the registry knows exactly the backends of JOB-SPEC.md', () => {
  assert.deepEqual([...backendNames()].sort(), ['ec2', 'local', 'rescale', 'vertex']);
  assert.deepEqual([...backendNames()], [...BACKEND_NAMES]);
});

test('every capability a backend lacks says why, in words a user can read', async () => {
  for (const name of backendNames()) {
    const capabilities = await capabilitiesOf(name);
    for (const [key, capability] of Object.entries(capabilities) as [string, Capability<object>][]) {
      if (capability.supported) continue;
      assert.ok(capability.reason.length > 20, `${name}.${key} has no real reason`);
      assert.doesNotMatch(capability.reason, /TODO|not implemented/i, `${name}.${key}`);
    }
  }
});

test(
  'a backend the registry can launch declares launch support, ' + 'and one it cannot is refused with the reason',
  async () => {
    for (const name of backendNames()) {
      const capabilities = await capabilitiesOf(name);
      assert.equal(capabilities.launch.supported, await canLaunch(name), `${name}: capabilities and registry disagree`);
      if (await canLaunch(name)) continue;
      await assert.rejects(loadBackend(name), (error: unknown) => {
        assert.ok(error instanceof DlrunError);
        assert.equal(error.audience, 'user');
        assert.ok(!capabilities.launch.supported && error.message.includes(capabilities.launch.reason));
        return true;
      });
    }
  },
);

test('every backend the registry can launch runs the shared conformance suite', async () => {
  const launchable: string[] = [];
  for (const name of backendNames()) if (await canLaunch(name)) launchable.push(name);
  assert.ok(launchable.includes('local'), 'the local backend launches');
  for (const name of launchable) {
    const suite = path.join(REPO_ROOT, 'test', 'conformance', `${name}.test.ts`);
    assert.ok(existsSync(suite), `${name} can launch but has no conformance run (${suite})`);
  }
});

test(
  'the registry gives price rules for exactly the backends ' +
    "with prices (local: the owner's figures, ec2, vertex and rescale: their catalogs)",
  async () => {
    const priced: string[] = [];
    for (const name of backendNames()) if (await canPrice(name)) priced.push(name);
    assert.deepEqual(priced, ['local', 'ec2', 'vertex', 'rescale']);
    const job = jobOf(MINIMAL);
    for (const name of backendNames()) {
      if (await canPrice(name)) {
        const price = (await pricingOf(name)).price(job, new Date('2026-04-10T12:00:00Z'), { AWS_REGION: 'us-east-1' });
        assert.ok(price.rate_per_hour_usd >= 0 && price.price_source.length > 0, `${name} prices a minimal job`);
        continue;
      }
      // The error `quote` shows in its "unavailable" list and `submit` stops with, as before prices had a registry.
      await assert.rejects(pricingOf(name), (error: unknown) => {
        assert.ok(error instanceof DlrunError);
        assert.equal(error.audience, 'user');
        assert.equal(error.message, `this version of dlrun has no price catalog for ${name} yet`);
        assert.equal(error.hint, "'dlrun quote --backend local' prices the job on this machine");
        return true;
      });
    }
  },
);

test(
  'a backend the registry can launch has prices (submit ' + 'prices a job before it starts), and so has an owned one',
  async () => {
    const owned: string[] = [];
    for (const name of backendNames()) {
      if (await canLaunch(name)) assert.ok(await canPrice(name), `${name} launches but has no prices`);
      if (!(await capabilitiesOf(name)).ownedMachine.supported) continue;
      assert.ok(await canPrice(name), `quote compares every job with ${name}, which has no prices`);
      owned.push(name);
    }
    assert.deepEqual(owned, ['local'], 'quote compares every job with this machine');
  },
);

test(
  "every backend's validation module is reachable from the registry, " +
    'and each of its own rules is a documented file of its folder',
  async () => {
    const rulesDoc = readFileSync(path.join(REPO_ROOT, 'docs', 'rules.md'), 'utf8');
    for (const name of backendNames()) {
      const validation = await validationOf(name);
      assert.ok(existsSync(path.join(REPO_ROOT, 'adapters', name, `${name}-validation.ts`)), `${name}-validation.ts`);
      assert.ok(validation.commands(thisMachine({ PATH: '' })).has('cd'), `${name}: its machines have bash's builtins`);
      assert.ok(Array.isArray(validation.providedVariables), name);
      const folder = path.join(REPO_ROOT, 'adapters', name, 'rules');
      const files = existsSync(folder) ? readdirSync(folder).filter((file) => file.endsWith('.ts')) : [];
      assert.deepEqual(
        validation.rules.map((rule) => `${rule.id}.ts`).sort(),
        files.sort(),
        `${name}: its rules are exactly the files of adapters/${name}/rules/`,
      );
      for (const rule of validation.rules) {
        assert.match(rulesDoc, new RegExp(`^## ${rule.id} \\(`, 'm'), `${rule.id} is documented in docs/rules.md`);
        const table = path.join(REPO_ROOT, 'test', 'adapters', name, 'rules', `${rule.id}.test.ts`);
        assert.ok(existsSync(table), `${rule.id} has its table of examples (${table})`);
      }
    }
  },
);

test(
  'runsOnSubmittingMachine: the local backend runs jobs ' + 'on the machine that submits them, and no other does',
  async () => {
    for (const name of backendNames()) {
      const capability = (await capabilitiesOf(name)).runsOnSubmittingMachine;
      assert.equal(capability.supported, name === 'local', name);
    }
  },
);

test('jobsLiveOnHost: only local jobs are reachable from the host that launched them alone', async () => {
  for (const name of backendNames()) {
    const capability = (await capabilitiesOf(name)).jobsLiveOnHost;
    assert.equal(capability.supported, name === 'local', name);
  }
});

test('the registry names each backend folder once, by its registration module, and nothing else of an adapter', () => {
  const registry = readFileSync(path.join(REPO_ROOT, 'src', 'core', 'backends.ts'), 'utf8');
  const named = [...registry.matchAll(/import\('(\.\.\/\.\.\/adapters\/[^']+)'\)/g)].map((match) => match[1]);
  assert.deepEqual(
    named,
    backendNames().map((name) => `../../adapters/${name}/${name}-registration.js`),
  );
});

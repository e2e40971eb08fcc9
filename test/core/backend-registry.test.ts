import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Capability } from '../../src/backend/capabilities.js';
import { DlrunError } from '../../src/base/errors.js';
import { backendNames, canLaunch, capabilitiesOf, loadBackend } from '../../src/core/backends.js';
import { BACKEND_NAMES } from '../../src/spec/backends/index.js';
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

test('a backend the registry can launch declares launch support, and one it cannot is refused with the reason', async () => {
  for (const name of backendNames()) {
    const capabilities = await capabilitiesOf(name);
    assert.equal(capabilities.launch.supported, canLaunch(name), `${name}: capabilities and registry disagree`);
    if (canLaunch(name)) continue;
    await assert.rejects(loadBackend(name), (error: unknown) => {
      assert.ok(error instanceof DlrunError);
      assert.equal(error.audience, 'user');
      assert.ok(!capabilities.launch.supported && error.message.includes(capabilities.launch.reason));
      return true;
    });
  }
});

test('every backend the registry can launch runs the shared conformance suite', () => {
  const launchable = backendNames().filter(canLaunch);
  assert.ok(launchable.includes('local'), 'the local backend launches');
  for (const name of launchable) {
    const suite = path.join(REPO_ROOT, 'test', 'conformance', `${name}.test.ts`);
    assert.ok(existsSync(suite), `${name} can launch but has no conformance run (${suite})`);
  }
});

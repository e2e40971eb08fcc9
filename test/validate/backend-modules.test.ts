import assert from 'node:assert/strict';
import { test } from 'vitest';
import { capabilitiesOf, validationOf } from '../../src/core/backends.js';
import type { BackendName } from '../../src/spec/backend-names.js';
import { validateJob, type BackendSource } from '../../src/validate/validate-job.js';
import { writeJob } from '../support/job-files.js';
import { tempDir } from '../support/temp-dir.js';

/** The registry's loaders, noting which backends the validator asked for. */
function recordingSource(): { source: BackendSource; asked: Set<BackendName> } {
  const asked = new Set<BackendName>();
  return {
    asked,
    source: {
      capabilities: (name) => {
        asked.add(name);
        return capabilitiesOf(name);
      },
      validation: (name) => {
        asked.add(name);
        return validationOf(name);
      },
    },
  };
}

const cases: { name: string; job: string; backend?: BackendName; loads: BackendName[] }[] = [
  { name: 'a job for one backend', job: 'name: one\nrun: echo\nbackend: ec2\n', loads: ['ec2'] },
  {
    name: 'a job that names no backend is checked for all',
    job: 'name: any\nrun: echo\n',
    loads: ['local', 'ec2', 'vertex', 'rescale'],
  },
  {
    name: '--backend, and the blocks the file has (their machine names are checked all the same)',
    job: 'name: two\nrun: echo\nbackends:\n  vertex:\n    machine_type: n1-standard-4\n',
    backend: 'local',
    loads: ['local', 'vertex'],
  },
];

const LOADS_ONLY = 'the validator loads the validation modules of the backends it checks for, no other';

for (const example of cases) {
  test(`${LOADS_ONLY}: ${example.name}`, async (t) => {
    const { job } = writeJob(tempDir(t), example.job);
    const { source, asked } = recordingSource();
    await validateJob(job, {
      ...(example.backend ? { backend: example.backend } : {}),
      env: { PATH: process.env.PATH ?? '' },
      backends: source,
      shellcheck: false,
    });
    assert.deepEqual([...asked].sort(), [...example.loads].sort());
  });
}

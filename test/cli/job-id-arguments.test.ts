import { asJobId } from '../../src/backend/job-id.js';
import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { Ledger } from '../../src/ledger/ledger.js';
import { newJob, PRICE } from '../ledger/support/ledger-fixtures.js';
import { assertNoStack } from '../support/local-jobs.js';
import { runCli } from '../support/run-cli.js';
import { seededHome } from '../support/seeded-home.js';

const JOB_COMMANDS = ['status', 'logs', 'cancel', 'bill', 'pull'] as const;
const ONLY_JOB = asJobId('lonely-20200101-1000-a7f3');

/** One ended job: an empty prefix would match it, and nothing may act on it by accident. */
async function seedOneJob(ledger: Ledger): Promise<void> {
  await ledger.createJob(newJob(ONLY_JOB, '2020-01-01T10:00:00.000Z', { price: PRICE }));
  await ledger.recordChange(ONLY_JOB, { at: '2020-01-01T10:01:00.000Z', source: 'provider', state: 'running' });
  await ledger.recordChange(ONLY_JOB, {
    at: '2020-01-01T10:02:00.000Z',
    source: 'provider',
    state: 'succeeded',
    exitCode: 0,
  });
}

test(
  'an empty or blank job id is wrong usage (exit 2) for every job command, ' +
    'never the one job an empty prefix would match',
  async (t) => {
    const home = await seededHome(t, seedOneJob);
    for (const command of JOB_COMMANDS) {
      for (const typed of ['', '   ']) {
        const result = await runCli([command, typed], { cwd: home, home });
        assert.equal(result.code, 2, `${command} '${typed}': ${result.stderr}`);
        assert.match(result.stderr, /^dlrun: error: a job id cannot be empty\n/, command);
        assert.match(result.stderr, /'dlrun status' lists jobs/);
        assert.doesNotMatch(result.stdout, new RegExp(ONLY_JOB), `${command} showed nothing of ${ONLY_JOB}`);
        assertNoStack(result);
      }
    }
  },
);

test(
  'a start of an id that matches several jobs is wrong usage ' +
    '(exit 2) naming the candidates, for every job command',
  async (t) => {
    const home = await seededHome(t, async (ledger) => {
      await ledger.createJob(newJob(asJobId('twin-20200101-1000-aaaa'), '2020-01-01T10:00:00.000Z'));
      await ledger.createJob(newJob(asJobId('twin-20200101-1000-bbbb'), '2020-01-01T10:00:01.000Z'));
    });
    for (const command of JOB_COMMANDS) {
      const result = await runCli([command, 'twin-2020'], { cwd: home, home });
      assert.equal(result.code, 2, `${command}: ${result.stderr}`);
      assert.match(
        result.stderr,
        /^dlrun: error: 'twin-2020' matches several jobs: twin-20200101-1000-bbbb, twin-20200101-1000-aaaa\n/,
        command,
      );
      assert.match(result.stderr, /hint: give more of the job id/);
      assertNoStack(result);
    }
  },
);

// The Rescale benchmarks' support: the timing proxy in front of the Rescale stand-in forwards the adapter's client
// unchanged (page links followed through it), and the seeded jobs are what `dlrun submit` leaves (jobs named
// `dlrun <job id>` with the ledger in their description, ledger rows with Rescale's id and the Rescale details).
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { createBackend } from '../../adapters/rescale/rescale-backend.js';
import { rescaleClient } from '../../adapters/rescale/rescale-client.js';
import { decodeRescaleDetails, startedByLedger } from '../../adapters/rescale/rescale-details.js';
import { listDlrunJobs } from '../../adapters/rescale/rescale-list-jobs.js';
import { platformAt } from '../../adapters/rescale/rescale-platform.js';
import { requestTime } from '../../bench/support/aws-stand-in.js';
import { startRescaleBenchStand } from '../../bench/support/rescale-bench-stand.js';
import type { JobHandle } from '../../src/backend/training-backend.js';
import { loadConfig } from '../../src/config.js';
import { openLedger } from '../../src/ledger/open-ledger.js';
import { defer } from '../support/cleanup.js';
import { homeWithRescaleJobs } from '../support/rescale-ledger-jobs.js';
import { tempDir } from '../support/temp-dir.js';

const LONG = { timeout: 120_000 };
/** More than a page of 100: the list's next link must be followed through the proxy. */
const JOBS = 120;

describe('the Rescale bench stand', () => {
  test(
    'seeded jobs are found through the proxy as submit leaves them, every page counted and timed',
    LONG,
    async (t) => {
      const stand = await startRescaleBenchStand({ queuedMs: Number.POSITIVE_INFINITY });
      defer(t, () => stand.stop());
      const home = tempDir(t);
      const { ledgerId, jobs } = await homeWithRescaleJobs(home, stand.directEnv, JOBS, { platform: stand.proxy.url });
      assert.equal(stand.proxy.requests(), 0, 'seeding went to the stand-in directly');
      assert.ok(stand.rescale.jobs().every((job) => job.submitted));

      const context = { ledgerId, home, env: stand.env };
      const listed = await listDlrunJobs(
        rescaleClient(platformAt(stand.proxy.url, 'RESCALE_PLATFORM_URL', ''), context),
      );
      assert.equal(listed.length, JOBS);
      assert.equal(stand.proxy.requests('listJobs'), 2, 'two pages of 100, the second through the proxy too');
      const first = stand.rescale.job(jobs[0]!.rescaleId)!;
      assert.equal(first.name, `dlrun ${jobs[0]!.jobId}`);
      assert.ok(startedByLedger(String(first.detail.description), ledgerId));
      assert.equal(requestTime(stand.events()).requests, 2);

      const ledger = await openLedger(loadConfig({ DLRUN_HOME: home }, home));
      const rows = await ledger.listJobs({ which: 'all' }).finally(() => ledger.close());
      assert.equal(rows.length, JOBS);
      const row = rows.find((candidate) => candidate.jobId === jobs[0]!.jobId)!;
      assert.equal(row.externalId, jobs[0]!.rescaleId);
      assert.equal(decodeRescaleDetails(row.providerDetails ?? undefined).platform, stand.proxy.url);

      stand.clear();
      stand.rescale.setStatus(jobs[0]!.rescaleId, 'Executing');
      const handles: JobHandle[] = rows.map((candidate) => ({
        jobId: candidate.jobId,
        backend: 'rescale',
        externalId: candidate.externalId,
        ...(candidate.providerDetails ? { details: candidate.providerDetails } : {}),
      }));
      const statuses = await createBackend().status(handles, context);
      assert.equal(statuses.filter((status) => status.state === 'running').length, 1);
      assert.equal(statuses.filter((status) => status.state === 'pending').length, JOBS - 1);
      assert.equal(stand.proxy.requests('listJobs'), 2);
    },
  );
});

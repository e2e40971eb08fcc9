// The Vertex benchmarks' support: the timing proxy forwards Google's clients unchanged and counts and times what it
// forwarded, and the seeded jobs are what `dlrun submit` leaves (custom jobs found by the ledger's label, ledger
// rows with their custom job's name).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'vitest';
import { vertexClients } from '../../adapters/vertex/vertex-clients.js';
import { decodeVertexDetails } from '../../adapters/vertex/vertex-details.js';
import { ledgerFilter, listCustomJobs, parentOf } from '../../adapters/vertex/vertex-list-jobs.js';
import { getText, putText, stageWorkdir } from '../../adapters/vertex/vertex-staging.js';
import { requestTime } from '../../bench/support/aws-stand-in.js';
import {
  BENCH_BUCKET,
  BENCH_PREFIX,
  startVertexBenchStand,
  type VertexBenchStand,
} from '../../bench/support/vertex-bench-stand.js';
import { asJobId, asLedgerId } from '../../src/backend/job-id.js';
import { loadConfig } from '../../src/config.js';
import { openLedger } from '../../src/ledger/open-ledger.js';
import { listWorkdir } from '../../src/util/workdir-files.js';
import { defer } from '../support/cleanup.js';
import { tempDir } from '../support/temp-dir.js';
import { homeWithVertexJobs } from '../support/vertex-ledger-jobs.js';

const LONG = { timeout: 120_000 };
const LEDGER = asLedgerId('bench-support-ledger');
const LOCATION = { bucket: BENCH_BUCKET, prefix: BENCH_PREFIX };

function clientsThrough(stand: VertexBenchStand, env = stand.env) {
  return vertexClients('us-central1', { ledgerId: LEDGER, home: '/nonexistent', env });
}

describe('the timing proxy in front of the stand-ins', () => {
  test('forwards uploads, downloads and lists, and counts and times each request', LONG, async (t) => {
    const stand = await startVertexBenchStand({ queuedMs: Number.POSITIVE_INFINITY });
    defer(t, () => stand.stop());
    const clients = clientsThrough(stand);
    const labels = { jobId: 'job-1', ledgerId: LEDGER };
    await putText(clients.storage, LOCATION, 'bench/a.txt', 'hello\n', labels);
    assert.equal(await getText(clients.storage, LOCATION, 'bench/a.txt'), 'hello\n');
    assert.equal(stand.gcs.object(BENCH_BUCKET, 'bench/a.txt')?.bytes.toString('utf8'), 'hello\n');
    // A resumable upload: the session's Location comes back with the proxy's address, so its PUT is timed too.
    const workdir = tempDir(t, 'dlrun-bench-workdir-');
    writeFileSync(path.join(workdir, 'train.py'), 'print(1)\n'.repeat(1000));
    const staged = await stageWorkdir(clients.storage, LOCATION, labels, listWorkdir(workdir));
    assert.equal(staged.uploaded, true);
    assert.ok(stand.gcs.object(BENCH_BUCKET, staged.name));
    assert.ok(stand.gcsProxy.requests('upload (session)') >= 1, [...stand.gcsProxy.counts().keys()].join(', '));
    assert.equal(stand.gcsProxy.requests(), stand.gcs.requests().length);
    assert.deepEqual(
      [...stand.gcsProxy.counts().keys()].filter((kind) => kind.includes('/')),
      [],
      'every request the client sent has a name',
    );

    const parent = parentOf(stand.vertex.projectId, 'us-central1');
    assert.deepEqual(await listCustomJobs(clients, parent, ledgerFilter(LEDGER)), []);
    assert.equal(stand.vertexProxy.requests('customJobs.list'), 1);

    const events = stand.events();
    const answered = events.filter((event) => event.event === 'answered');
    assert.equal(answered.length, stand.gcsProxy.requests() + stand.vertexProxy.requests());
    const time = requestTime(events);
    assert.equal(time.requests, answered.length);
    // Overlapping requests are waited for once: in flight is never more than the sum (a rounding error aside).
    assert.ok(time.inFlightMs >= 0 && time.inFlightMs <= time.sumMs + 1e-6, `${time.inFlightMs} > ${time.sumMs}`);
    stand.clear();
    assert.equal(stand.events().length, 0);
    assert.equal(stand.gcsProxy.requests(), 0);
  });
});

describe('homeWithVertexJobs', () => {
  test('labels a custom job for each ledger row, which holds its name and the Vertex details', LONG, async (t) => {
    const stand = await startVertexBenchStand({ queuedMs: Number.POSITIVE_INFINITY });
    defer(t, () => stand.stop());
    const home = tempDir(t, 'dlrun-bench-home-');
    const { ledgerId, jobs } = await homeWithVertexJobs(home, stand.directEnv, 12, LOCATION);
    assert.equal(jobs.length, 12);
    const found = await listCustomJobs(
      clientsThrough(stand, stand.directEnv),
      parentOf(stand.vertex.projectId, 'us-central1'),
      ledgerFilter(ledgerId),
    );
    assert.deepEqual(found.map((job) => job.name).sort(), jobs.map((job) => job.customJob).sort());
    assert.ok(found.every((job) => job.state === 'JOB_STATE_QUEUED'));

    const ledger = await openLedger(loadConfig({ DLRUN_HOME: home }, home));
    try {
      const active = await ledger.listJobs({ which: 'active' });
      assert.equal(active.length, 12);
      const first = active.find((job) => job.jobId === jobs[0]!.jobId)!;
      assert.equal(first.backend, 'vertex');
      assert.equal(first.state, 'provisioning');
      assert.equal(first.externalId, jobs[0]!.customJob);
      const details = decodeVertexDetails(first.providerDetails ?? undefined, { ledgerId, home, env: {} });
      assert.deepEqual(
        { ...details, stopAfter: details.stopAfter.seconds },
        {
          region: 'us-central1',
          project: null,
          bucket: BENCH_BUCKET,
          prefix: BENCH_PREFIX,
          workdirObject: null,
          nodes: 1,
          stopAfter: 3600,
          secrets: false,
        },
      );
      assert.equal(asJobId(first.jobId), jobs[0]!.jobId);
    } finally {
      await ledger.close();
    }
  });
});

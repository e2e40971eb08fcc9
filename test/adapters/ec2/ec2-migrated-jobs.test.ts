import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'vitest';
import { CreateVolumeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { type JobId, type LedgerId, asJobId, asLedgerId } from '../../../src/backend/job-id.js';
import { JOB_ID_TAG, LEDGER_TAG } from '../../../src/backend/tags.js';
import { mockPlacementGroups } from '../../standins/ec2-client-mocks.js';
import { motoForThisFile } from '../../standins/moto-server.js';
import { ec2Client } from '../../standins/test-clients.js';
import { ec2Env, instancesOfJob, isLive, statusJobs } from '../../support/ec2-cli.js';
import { homeWithEc2Jobs, recordEc2Jobs } from '../../support/ec2-ledger-jobs.js';
import { loadConfig } from '../../../src/config.js';
import { openLedger } from '../../../src/ledger/open-ledger.js';
import { fleetJobIds, launchFleet } from '../../standins/ec2-fleet.js';
import { runCli } from '../../support/run-cli.js';
import { tempDir } from '../../support/temp-dir.js';

const motoFor = motoForThisFile();

interface GarbageJson {
  readonly backends: readonly {
    backend: string;
    items: { kind: string; id: string; jobId: string | null }[];
    error: string | null;
  }[];
}

/** An unattached volume tagged for `jobId` of `ledgerId`: what a job of that ledger left behind. */
async function leftVolume(ec2: EC2Client, ledgerId: LedgerId, jobId: JobId): Promise<string> {
  const volume = await ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: 'us-east-1a',
      Size: 8,
      VolumeType: 'gp3',
      TagSpecifications: [
        {
          ResourceType: 'volume',
          Tags: [
            { Key: LEDGER_TAG, Value: ledgerId },
            { Key: JOB_ID_TAG, Value: jobId },
          ],
        },
      ],
    }),
  );
  return volume.VolumeId!;
}

test("jobs migrated from a laptop's ledger keep their launch ledger id: status, cancel and gc find their resources", {
  timeout: 180_000,
}, async (t) => {
  const moto = motoFor(t);
  if (!moto) return;
  const placementGroups = await mockPlacementGroups(t);
  const ec2 = ec2Client(t, moto.endpoint);
  // Ledger A (the laptop) launched two jobs: their instances carry A's id.
  const laptop = tempDir(t, 'dlrun-laptop-');
  const { ledgerId: laptopId, jobs } = await homeWithEc2Jobs(laptop, ec2, 2);
  const [cancelled, running] = [jobs[0]!, jobs[1]!];
  // Ledger B (the team's) has a running job of its own.
  const team = tempDir(t, 'dlrun-team-');
  const teamLedger = await openLedger(loadConfig({ DLRUN_HOME: team }, team));
  const own = await launchFleet(ec2, { ledgerId: teamLedger.id, jobIds: fleetJobIds(1, 'team') });
  await recordEc2Jobs(teamLedger, own, new Date(Date.now() - 3_600_000).toISOString());
  await teamLedger.close();
  const env = ec2Env(moto.endpoint);
  const cli = (args: string[]) => runCli(args, { cwd: team, home: team, env, placementGroups, timeoutMs: 60_000 });

  const migrated = await cli(['ledger', 'migrate', '--from', path.join(laptop, 'ledger.db'), '--json']);
  assert.equal(migrated.code, 0, migrated.stderr);
  assert.equal(JSON.parse(migrated.stdout).jobs_copied, 2);
  const teamId = JSON.parse(migrated.stdout).ledger_id as string;
  assert.notEqual(teamId, laptopId);

  // status from B asks EC2 for A's tags and for B's: every machine is found running (under B's id alone, A's jobs
  // would have no machine).
  const listed = await statusJobs(team, env);
  assert.deepEqual(
    listed.map((job) => [job.job_id, job.state, job.external_id]).sort(),
    [...jobs, ...own].map((job) => [job.jobId, 'running', job.instanceId]).sort(),
  );

  const cancel = await cli(['cancel', cancelled.jobId, '--json']);
  assert.equal(cancel.code, 0, cancel.stderr);
  assert.ok(!(await instancesOfJob(ec2, cancelled.jobId)).some(isLive), 'its machine is stopped');
  assert.ok((await instancesOfJob(ec2, running.jobId)).some(isLive), 'the other job goes on');
  const after = new Map((await statusJobs(team, env)).map((job) => [job.job_id, job.state]));
  assert.equal(after.get(cancelled.jobId), 'cancelled');
  assert.equal(after.get(running.jobId), 'running');
  assert.equal(after.get(own[0]!.jobId), 'running');

  // What the cancelled job left (tagged with A's id) is found from B; a look-alike of another ledger is not.
  const leftover = await leftVolume(ec2, laptopId, cancelled.jobId);
  const foreign = await leftVolume(ec2, asLedgerId('a-colleagues-ledger'), cancelled.jobId);
  const teams = await leftVolume(ec2, asLedgerId(teamId), cancelled.jobId);
  // The laptop's ledger may go on launching jobs after the copy: theirs are not the team ledger's to remove.
  const laptopsLater = await leftVolume(ec2, laptopId, asJobId('later-20260102-1000-dddd'));
  const gc = await cli(['gc', '--dry-run', '--json']);
  assert.equal(gc.code, 0, gc.stderr);
  const ec2Garbage = (JSON.parse(gc.stdout) as GarbageJson).backends.find((backend) => backend.backend === 'ec2')!;
  assert.equal(ec2Garbage.error, null);
  const ids = ec2Garbage.items.map((item) => item.id);
  assert.ok(ids.includes(leftover), `the migrated job's leftover is found: ${ids.join(', ')}`);
  assert.ok(ids.includes(teams), "this ledger's own are still looked for");
  assert.ok(!ids.includes(foreign), "another ledger's resource is never touched");
  assert.ok(!ids.includes(laptopsLater), 'nor one of a job the laptop launched after the copy');
  assert.ok(
    ec2Garbage.items.every((item) => item.jobId !== running.jobId && item.jobId !== own[0]!.jobId),
    'nothing of the active jobs is garbage',
  );
});

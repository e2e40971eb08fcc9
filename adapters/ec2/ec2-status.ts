import type { Instance } from '@aws-sdk/client-ec2';
import type { BackendContext, JobHandle, JobStatus } from '../../src/backend/training-backend.js';
import { isTerminal } from '../../src/backend/job-state.js';
import { billingFactsOf } from './ec2-billing-facts.js';
import { ec2Clients } from './ec2-clients.js';
import { decodeEc2Details, type Ec2JobDetails } from './ec2-details.js';
import { isEnded, ledgerInstances, rankOf } from './ec2-instances.js';
import { nodeKeys } from './ec2-names.js';
import { parseResult } from '../../src/backend/job-result.js';
import { mapEc2Job } from './ec2-map-state.js';
import { parseMarkers } from '../../src/backend/phase-markers.js';
import { getText } from './ec2-staging.js';

/** Phases come from the markers node 0 uploads, one object read per job: done only for a few jobs at a time. */
const MARKER_READS_AT_MOST = 25;
/** A job launched this recently may not be listed yet: EC2 is eventually consistent. */
const VISIBILITY_GRACE_MS = 5 * 60_000;

/**
 * The status of many EC2 jobs: one DescribeInstances per region, filtered by this ledger's tag and paginated 1,000
 * at a time, whatever the number of jobs; then node 0's result object for jobs whose machines have ended, and its
 * markers for a few running ones (the phases).
 */
export async function ec2Status(handles: readonly JobHandle[], context: BackendContext): Promise<JobStatus[]> {
  const byRegion = new Map<string, { handle: JobHandle; details: Ec2JobDetails }[]>();
  for (const handle of handles) {
    const details = decodeEc2Details(handle.details, context);
    byRegion.set(details.region, [...(byRegion.get(details.region) ?? []), { handle, details }]);
  }
  const statuses = new Map<string, JobStatus>();
  // Regions are asked at the same time: each has its own endpoint, and one that does not answer delays no other.
  await Promise.all(
    [...byRegion].map(async ([region, jobs]) => {
      // S3 only for jobs whose result or markers are read: a status of running jobs never loads its SDK package.
      const clients = ec2Clients(region, context);
      const ec2 = clients.ec2;
      const instances = await ledgerInstances(
        ec2,
        context.ledgerId,
        jobs.length <= 200 ? jobs.map(({ handle }) => handle.jobId) : undefined,
      );
      const byJob = new Map<string, Instance[]>();
      for (const found of instances) byJob.set(found.jobId, [...(byJob.get(found.jobId) ?? []), found.instance]);
      const readPhases = jobs.length <= MARKER_READS_AT_MOST;
      await Promise.all(
        jobs.map(async ({ handle, details }) => {
          const nodes = byJob.get(handle.jobId) ?? [];
          const observedAt = new Date().toISOString();
          const keys = nodeKeys(context.ledgerId, handle.jobId, 0);
          // Node 0 uploads the result before it shuts down, and decides how the job ended: as soon as any node has
          // ended (node 0 may be gone while a worker still runs), the result is read, or node 0's end would be taken
          // for a cancel or a crash.
          const anyEnded = nodes.length === 0 || nodes.some(isEnded);
          const resultText = anyEnded ? await getText(clients.s3, details.bucket, keys.result) : undefined;
          const markers = parseMarkers(
            readPhases || resultText ? await getText(clients.s3, details.bucket, keys.markers) : undefined,
          );
          let status = mapEc2Job({
            jobId: handle.jobId,
            instances: nodes,
            result: resultText ? parseResult(resultText) : undefined,
            phaseStartedAt: markers.phaseStartedAt,
            // Markers read and none yet: the bootstrap has not reached the job's setup, so the machine is still
            // starting (not `run`, the guess for a running job with no finer detail). Not read: no phase is said.
            currentPhase: markers.current ?? (readPhases ? 'provisioning' : undefined),
            stopAfterSeconds: details.stopAfter.seconds,
            observedAt,
          });
          // Only a launch EC2 confirmed (an instance id recorded) is waited for; a job without one is dlrun's to settle
          // from how far its submit got (refresh-jobs.ts), never shown as a machine starting when none may exist.
          if (
            status.state === 'lost' &&
            handle.externalId &&
            handle.submittedAt &&
            Date.now() - Date.parse(handle.submittedAt) < VISIBILITY_GRACE_MS
          ) {
            status = {
              ...status,
              state: 'provisioning',
              providerState: 'not listed yet',
              message: 'EC2 does not list the instance yet (it can take a few seconds)',
            };
          }
          // A submit killed between RunInstances and its ledger write left the id unrecorded: the tag names it.
          const ids = [...nodes]
            .sort((a, b) => rankOf(a) - rankOf(b))
            .map((instance) => instance.InstanceId)
            .filter(Boolean)
            .join(',');
          if (ids && !handle.externalId) status = { ...status, externalId: ids };
          // An ended job's bill needs its instances as listed here: handed on, so it costs no request of its own. A
          // spot price history that cannot be read now says so, and `dlrun bill` settles the bill later.
          if (isTerminal(status.state)) {
            const billing = await billingFactsOf(ec2, nodes).then(
              (facts) => ({ facts }),
              () => ({ unavailable: true as const }),
            );
            status = { ...status, billing };
          }
          statuses.set(handle.jobId, status);
        }),
      );
    }),
  );
  return handles.map((handle) => statuses.get(handle.jobId)!);
}

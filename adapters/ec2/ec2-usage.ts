import { JOB_ID_TAG } from '../../src/backend/tags.js';
import type { BackendContext, JobHandle, ProviderUsage } from '../../src/backend/training-backend.js';
import { clientSettings } from './ec2-clients.js';
import { withDeadlines } from './ec2-deadlines.js';
import { costExplorerSdk } from './ec2-sdk.js';

/**
 * AWS's own figure for a job: Cost Explorer's unblended cost of everything tagged with the job id, from the day it
 * was submitted to today. Each request costs $0.01 and the data lags by up to a day, so this runs only on
 * `dlrun bill --reconcile`; the tag key must be activated as a cost allocation tag in the payer account.
 */
export async function ec2Usage(handle: JobHandle, context: BackendContext): Promise<ProviderUsage | undefined> {
  const { CostExplorerClient, GetCostAndUsageCommand } = costExplorerSdk();
  // Cost Explorer has one endpoint, in us-east-1 (providers.md section 1.8).
  // The context's endpoint and keys, as every other AWS client of the job has them.
  const client = withDeadlines(
    new CostExplorerClient(clientSettings('Cost Explorer', 'us-east-1', context)),
    context.env,
  );
  const start = (handle.submittedAt ?? new Date().toISOString()).slice(0, 10);
  const end = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const answer = await client.send(
    new GetCostAndUsageCommand({
      TimePeriod: { Start: start, End: end },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      Filter: { Tags: { Key: JOB_ID_TAG, Values: [handle.jobId], MatchOptions: ['EQUALS'] } },
    }),
  );
  const periods = answer.ResultsByTime ?? [];
  const total = periods.reduce((sum, period) => sum + Number(period.Total?.UnblendedCost?.Amount ?? 0), 0);
  if (periods.length === 0 || total === 0) return undefined;
  const estimated = periods.some((period) => period.Estimated);
  return {
    totalUsd: Math.round(total * 10_000) / 10_000,
    source:
      `AWS Cost Explorer, unblended cost tagged ${JOB_ID_TAG}=${handle.jobId}` +
      (estimated ? ' (estimated: the period is still open)' : ''),
  };
}

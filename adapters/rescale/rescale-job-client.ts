import type { BackendContext, LaunchPlan } from '../../src/backend/training-backend.js';
import { type RescaleClient, rescaleClient } from './rescale-client.js';
import { platformAt, rescalePlatform } from './rescale-platform.js';

/**
 * The client of a job's platform, as its details recorded it when it was planned: checked again (https, or a
 * loopback stand-in), since the ledger is a file on disk and the API key goes wherever this URL says.
 */
export function jobClient(platformUrl: string, context: BackendContext): RescaleClient {
  return rescaleClient(platformAt(platformUrl, 'the platform the job was submitted to', 'the ledger'), context);
}

/**
 * The client a submit uses: the platform the plan chose, named by the setting it came from (the job file,
 * RESCALE_PLATFORM_URL, or the default), so that an error about the key or the URL names what to change.
 */
export function submitClient(plan: LaunchPlan, platformUrl: string, context: BackendContext): RescaleClient {
  const chosen = rescalePlatform(plan.job, context.env, context.fromDotenv);
  return chosen.url === platformUrl ? rescaleClient(chosen, context) : jobClient(platformUrl, context);
}

import type { BackendContext } from '../../src/backend/training-backend.js';
import { type RescaleClient, rescaleClient } from './rescale-client.js';
import { platformAt } from './rescale-platform.js';

/**
 * The client of a job's platform, as its details recorded it when it was planned: checked again (https, or a
 * loopback stand-in), since the ledger is a file on disk and the API key goes wherever this URL says.
 */
export function jobClient(platformUrl: string, context: BackendContext): RescaleClient {
  return rescaleClient(platformAt(platformUrl, 'the platform the job was submitted to', 'the ledger'), context);
}

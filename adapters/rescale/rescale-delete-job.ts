import type { RescaleClient } from './rescale-client.js';
import { RescaleApiError } from './rescale-errors.js';

/**
 * Delete a Pending job; false when Rescale refuses (4xx other than 404). A submitted job reads Pending until it is
 * queued, as an unsubmitted one does, and Rescale refuses to delete a submitted job that has not ended [V]: that
 * one is stopped instead (before, the refusal failed the cancel and the job ran on).
 */
export async function deletedUnsubmitted(client: RescaleClient, path: string): Promise<boolean> {
  try {
    await client.delete(path);
    return true;
  } catch (error) {
    const status = error instanceof RescaleApiError ? error.status : undefined;
    if (status === undefined || status < 400 || status >= 500 || status === 404) throw error;
    return false;
  }
}

import type { RescaleStatusEntry } from './rescale-map-state.js';
import { RESCALE_TERMINAL, statusTime } from './rescale-map-state.js';

/**
 * What the bill of an ended Rescale job reads from Rescale: when its cluster started (`Started` [U: billing is
 * believed to run from there]) and when it reached its terminal status.
 */
export interface RescaleBillingFacts {
  readonly startedAt?: string;
  readonly endedAt?: string;
}

export function rescaleBillingFactsOf(history: readonly RescaleStatusEntry[]): RescaleBillingFacts {
  const dated = history
    .map((entry) => ({ status: entry.status ?? '', at: statusTime(entry.statusDate) }))
    .filter((entry): entry is { status: string; at: string } => entry.at !== undefined)
    .sort((a, b) => a.at.localeCompare(b.at));
  const started = dated.find((entry) => entry.status === 'Started' || entry.status === 'Validated');
  const ended = dated.find((entry) => RESCALE_TERMINAL.has(entry.status));
  return { ...(started ? { startedAt: started.at } : {}), ...(ended ? { endedAt: ended.at } : {}) };
}

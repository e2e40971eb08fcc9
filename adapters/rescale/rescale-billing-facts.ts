import { RESCALE_TERMINAL, type RescaleStatusEntry, statusTime } from './rescale-map-state.js';

/**
 * What the bill of an ended Rescale job needs from Rescale: when its cluster started (the `Started` status's
 * statusDate; billing most likely runs from there, providers.md 5.3 [U]) and when it ended (the terminal status's
 * statusDate), as ISO 8601. Either is absent when the status history has none (a job stopped while queued).
 */
export interface RescaleBillingFacts {
  readonly startedAt?: string;
  readonly endedAt?: string;
}

/** Longer than any ISO 8601 time Rescale writes ("2026-04-03T03:45:58.683875+00:00"): not believed. */
const MAX_TIME_LENGTH = 64;

/**
 * Facts as the ledger or a status handed them on, untrusted: anything that is not their shape (another backend's
 * facts, a hand-edited ledger) is undefined, and the bill then uses the ledger's times. A time that is not one is
 * dropped; an end before the start is not believed.
 */
export function parseRescaleBillingFacts(facts: unknown): RescaleBillingFacts | undefined {
  if (typeof facts !== 'object' || facts === null || Array.isArray(facts)) return undefined;
  const value = facts as Record<string, unknown>;
  const startedAt = isoTime(value.startedAt);
  const endedAt = isoTime(value.endedAt);
  if (!startedAt && !endedAt) return undefined;
  return {
    ...(startedAt ? { startedAt } : {}),
    ...(endedAt && (!startedAt || Date.parse(endedAt) >= Date.parse(startedAt)) ? { endedAt } : {}),
  };
}

/** A time in ISO 8601 with a date, as the canonical UTC string; undefined for anything else. */
function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_TIME_LENGTH || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    return undefined;
  }
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** The facts of an ended job from its status history (any order): the first `Started`, the terminal status. */
export function rescaleBillingFactsOf(history: readonly RescaleStatusEntry[]): RescaleBillingFacts {
  const dated = history
    .map((entry) => ({ status: entry.status ?? '', at: statusTime(entry.statusDate) }))
    .filter((entry): entry is { status: string; at: string } => entry.at !== undefined)
    .sort((a, b) => a.at.localeCompare(b.at));
  const started = dated.find((entry) => entry.status === 'Started');
  const ended = dated.find((entry) => RESCALE_TERMINAL.has(entry.status));
  return { ...(started ? { startedAt: started.at } : {}), ...(ended ? { endedAt: ended.at } : {}) };
}

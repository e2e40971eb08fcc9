import type { ProviderDetails } from './training-backend.js';

/** Typed reads of a job's provider details, as the ledger kept them: a field of another type reads as absent. */
export interface DetailReader {
  text(name: string): string | undefined;
  /** A finite number, else undefined. */
  number(name: string): number | undefined;
  /** True only for a stored `true`. */
  flag(name: string): boolean;
}

/** The reader each adapter's decoder uses for the details it wrote (ec2-details.ts, vertex-details.ts). */
export function detailReader(details: ProviderDetails | null | undefined): DetailReader {
  const value = details ?? {};
  return {
    text: (name) => {
      const field = value[name];
      return typeof field === 'string' ? field : undefined;
    },
    number: (name) => {
      const field = value[name];
      return typeof field === 'number' && Number.isFinite(field) ? field : undefined;
    },
    flag: (name) => value[name] === true,
  };
}

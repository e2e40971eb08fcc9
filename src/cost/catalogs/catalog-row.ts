/**
 * What every catalog row carries besides its figures: where they came from, when, and how sure they are.
 * ARCHITECTURE.md ("Cost"): a figure that could not be confirmed is marked, never presented as fact.
 */
export interface Sourced<Field extends string = never> {
  /** The pages the row's figures were read from (http or https URLs), most authoritative first. */
  readonly source: readonly string[];
  /** The date the sources were read, or the date they state (YYYY-MM-DD). */
  readonly as_of: string;
  /** Set when the row as a whole rests on no source that states its figures. */
  readonly unconfirmed?: true;
  /** The fields whose figures could not be confirmed when the rest of the row could. */
  readonly unconfirmed_fields?: readonly Field[];
  /** Why a figure is doubtful, what a source actually said, or what to re-check. */
  readonly note?: string;
}

/** True when a row or one of its fields is marked unconfirmed. */
export function isUnconfirmed<Field extends string>(row: Sourced<Field>, field?: Field): boolean {
  if (row.unconfirmed === true) return true;
  return field !== undefined && (row.unconfirmed_fields ?? []).includes(field);
}

/** True when a row has any doubtful figure. */
export function hasUnconfirmedFigure(row: Sourced<string>): boolean {
  return row.unconfirmed === true || (row.unconfirmed_fields ?? []).length > 0;
}

/** The date the repository's catalogs were last read from their sources, for rows read in that pass. */
export const CATALOG_READ_ON = '2026-11-26';

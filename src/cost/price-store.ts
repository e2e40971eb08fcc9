import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../util/read-regular-file.js';
import type { FetchedPrices, RefreshedPrices } from './price-refresh.js';
import type { JsonValue } from './price-snapshot.js';

/**
 * Price snapshots in DLRUN_HOME: `<home>/prices/<backend>/<UTC time>.json`, one file per `dlrun prices refresh` of a
 * backend, never rewritten. The newest valid one is in force for quotes and for the price a job stores at launch;
 * older ones stay, so what a quote was based on can be looked up. A snapshot is untrusted when read (a user may edit
 * it, a disk may truncate it): one that fails a check is reported and skipped, never trusted, never a crash.
 */

/** The shape of a snapshot file; an unknown `format` is not read. */
const FORMAT = 'dlrun-price-snapshot/1';
/** Far above any real snapshot (EC2's GPU and CPU types in six regions are well under 1 MB). */
const MAX_BYTES = 32 * 1024 * 1024;
/** File names as dlrun writes them: the fetch time with `:` and `.` made `-`, so names sort as times do. */
const NAME = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/;

/** What reading a backend's snapshots gave: the one in force, if any, and why any newer one was skipped. */
export interface SnapshotRead {
  readonly snapshot: RefreshedPrices | undefined;
  /** One sentence per skipped file: which file, what is wrong with it. */
  readonly problems: readonly string[];
}

/** Checks a snapshot's rows for one backend: the rows it can use, untrusted input dropped. */
export type SnapshotRowCheck = (rows: readonly unknown[]) => readonly JsonValue[];

export function priceSnapshotFolder(home: string, backend: string): string {
  return path.join(home, 'prices', backend);
}

/** Writes a snapshot (a temporary file renamed into place, so a reader never sees half of one); returns its path. */
export function writePriceSnapshot(home: string, backend: string, fetched: FetchedPrices, fetchedAt: Date): string {
  const folder = priceSnapshotFolder(home, backend);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, `${fetchedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const body = {
    format: FORMAT,
    backend,
    fetched_at: fetchedAt.toISOString(),
    source: fetched.source,
    endpoint: fetched.endpoint,
    notes: fetched.notes,
    rows: fetched.rows,
  };
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 1)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
  return file;
}

/**
 * The newest snapshot of a backend that passes every check, with a sentence for each newer file that did not. None
 * (and no problem) when the backend was never refreshed here.
 */
export function readPriceSnapshot(
  home: string,
  backend: string,
  checkRows: SnapshotRowCheck,
  now: Date = new Date(),
): SnapshotRead {
  const folder = priceSnapshotFolder(home, backend);
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => NAME.test(name));
  } catch {
    return { snapshot: undefined, problems: [] };
  }
  const problems: string[] = [];
  for (const name of names.sort().reverse()) {
    const file = path.join(folder, name);
    const read = readSnapshotFile(file, backend, checkRows, now);
    if (typeof read === 'string') problems.push(`price snapshot ${file} ignored: ${read}`);
    else return { snapshot: read, problems };
  }
  return { snapshot: undefined, problems };
}

/** The snapshot in a file, or why it cannot be used. */
function readSnapshotFile(
  file: string,
  backend: string,
  checkRows: SnapshotRowCheck,
  now: Date,
): RefreshedPrices | string {
  const read = readRegularFile(file, { maxBytes: MAX_BYTES });
  if (!read.ok) return `it cannot be read (${read.detail})`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.bytes.toString('utf8'));
  } catch {
    return 'it is not valid JSON (a truncated or hand-edited file?)';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'it is not a JSON object';
  const value = parsed as Record<string, unknown>;
  if (value.format !== FORMAT) return `its format is not ${FORMAT}`;
  if (value.backend !== backend) return `it is not a snapshot of ${backend}`;
  const fetchedAt = typeof value.fetched_at === 'string' ? Date.parse(value.fetched_at) : Number.NaN;
  if (!Number.isFinite(fetchedAt)) return 'its fetched_at is not a time';
  // A minute of clock skew between machines sharing a home is tolerated; a snapshot from the future is not.
  if (fetchedAt > now.getTime() + 60_000) return `its fetched_at (${value.fetched_at}) is in the future`;
  if (typeof value.source !== 'string' || typeof value.endpoint !== 'string') return 'it names no source or endpoint';
  if (!Array.isArray(value.rows)) return 'it has no rows';
  const rows = checkRows(value.rows);
  if (rows.length === 0) return `none of its ${value.rows.length} rows is a usable ${backend} price`;
  return {
    file,
    fetched_at: new Date(fetchedAt).toISOString(),
    source: printable(value.source),
    endpoint: printable(value.endpoint),
    rows,
  };
}

/** Text from a file fit for a terminal: no control characters, at most 200 characters. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, '').slice(0, 200);
}

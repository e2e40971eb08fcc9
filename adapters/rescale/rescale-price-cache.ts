import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RescaleCoreTypePrice } from '../../src/cost/catalogs/rescale-prices.js';
import { RESCALE_PLATFORMS } from '../../src/spec/backends/rescale.js';

/**
 * Live Rescale prices: what `GET /api/v2/coretypes/` answered, turned into price rows, and the file in DLRUN_HOME
 * that keeps them with the time they were fetched (`<home>/cache/rescale-coretypes-<host>.json`), one per platform
 * (each is a separate account with its own list). The adapter writes it after fetching; the quote reads it when it
 * is newer than the repository's table. Pure apart from that one file: no HTTP here.
 */

/** The shape of the cache file; `format` changes when the shape does, and an unknown one is not read. */
const FORMAT = 'dlrun-rescale-coretypes/1';

/** Codes the API could answer; anything else (markup, control characters) is not a core type dlrun will name. */
const CODE = /^[a-z0-9][a-z0-9_.-]{0,63}$/i;

/** A cache of live prices for one platform. */
export interface RescalePriceCache {
  readonly platform: string;
  /** ISO 8601: when the core types list was fetched. */
  readonly fetched_at: string;
  readonly rows: readonly RescaleCoreTypePrice[];
}

/** DLRUN_HOME as the merged environment gives it, else ~/.dlrun (as src/config.ts resolves it). */
export function dlrunHomeOf(env: Readonly<Record<string, string | undefined>>): string {
  return path.resolve(env.DLRUN_HOME || path.join(os.homedir(), '.dlrun'));
}

/** `<home>/cache/rescale-coretypes-<host>.json`; the host keeps only characters safe in a file name. */
export function rescalePriceCachePath(home: string, platform: string): string {
  let host: string;
  try {
    host = new URL(platform).host;
  } catch {
    host = platform;
  }
  const safe = host.toLowerCase().replace(/[^a-z0-9.-]/g, '_') || 'unknown';
  return path.join(home, 'cache', `rescale-coretypes-${safe}.json`);
}

/**
 * Price rows from the `results` of `/api/v2/coretypes/` (all pages), each sourced to the platform's endpoint and
 * dated the day it was fetched. The answer is untrusted: a result without a usable code or a non-negative `price`
 * is left out, text is stripped of control characters, and numbers given as strings ("0.0988", as the API gives
 * `lowPriorityPrice`) are read as numbers.
 */
export function coreTypePricesFrom(
  results: readonly unknown[],
  fetchedAt: Date,
  platform = '',
): RescaleCoreTypePrice[] {
  const source = `${platform || RESCALE_PLATFORMS[0]}/api/v2/coretypes/`;
  const asOf = fetchedAt.toISOString().slice(0, 10);
  const rows: RescaleCoreTypePrice[] = [];
  const seen = new Set<string>();
  for (const result of results) {
    const row = rowOf(result, [source], asOf);
    if (!row || seen.has(row.code)) continue;
    seen.add(row.code);
    rows.push(row);
  }
  return rows;
}

/** Writes the cache for a platform (atomically: a reader never sees half a file). */
export function writeRescalePriceCache(
  home: string,
  platform: string,
  rows: readonly RescaleCoreTypePrice[],
  fetchedAt: Date,
): string {
  const file = rescalePriceCachePath(home, platform);
  mkdirSync(path.dirname(file), { recursive: true });
  const body = { format: FORMAT, platform, fetched_at: fetchedAt.toISOString(), rows };
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}

/**
 * The cache for a platform, or undefined when there is none or it cannot be read as one (a hand-edited or
 * truncated file is ignored, never trusted): rows that are not price rows are dropped.
 */
export function readRescalePriceCache(home: string, platform: string): RescalePriceCache | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(rescalePriceCachePath(home, platform), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const value = parsed as Record<string, unknown>;
  if (value.format !== FORMAT || value.platform !== platform || !Array.isArray(value.rows)) return undefined;
  const fetched = typeof value.fetched_at === 'string' ? Date.parse(value.fetched_at) : Number.NaN;
  if (!Number.isFinite(fetched)) return undefined;
  const fetchedAt = new Date(fetched);
  const source = `${platform}/api/v2/coretypes/`;
  const rows = value.rows.flatMap((row) => {
    const read = cachedRow(row, source, fetchedAt.toISOString().slice(0, 10));
    return read ? [read] : [];
  });
  return { platform, fetched_at: fetchedAt.toISOString(), rows };
}

/** A price row of a snapshot (`dlrun prices refresh`): a cache row that also names its platform. */
export type RescaleSnapshotRow = RescaleCoreTypePrice & { readonly platform: string };

/**
 * The rows of a price snapshot Rescale can use (the file is untrusted): each is re-checked as a cache row is, and
 * must name its platform (an http(s) origin) and the date it was fetched.
 */
export function rescaleSnapshotRows(rows: readonly unknown[]): RescaleSnapshotRow[] {
  const kept: RescaleSnapshotRow[] = [];
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) continue;
    const value = row as Record<string, unknown>;
    const platform = typeof value.platform === 'string' ? originOf(value.platform) : undefined;
    const asOf = typeof value.as_of === 'string' && /^\d{4}-\d\d-\d\d$/.test(value.as_of) ? value.as_of : undefined;
    if (!platform || !asOf) continue;
    const read = cachedRow(row, `${platform}/api/v2/coretypes/`, asOf);
    if (read) kept.push({ ...read, platform });
  }
  return kept;
}

function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** A row as the cache stored it (our own field names), re-checked as untrusted. */
function cachedRow(row: unknown, source: string, asOf: string): RescaleCoreTypePrice | undefined {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return undefined;
  const value = row as Record<string, unknown>;
  return rowOf(
    {
      code: value.code,
      name: value.name,
      price: value.usd_per_core_hour,
      lowPriorityPrice: value.low_priority_usd_per_core_hour,
      cores: value.cores_per_node,
      memory: value.memory_mb_per_core,
      processorInfo: value.processor,
      isDeprecated: value.deprecated,
    },
    [source],
    asOf,
  );
}

function rowOf(result: unknown, source: readonly string[], asOf: string): RescaleCoreTypePrice | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  const value = result as Record<string, unknown>;
  const code = typeof value.code === 'string' && CODE.test(value.code) ? value.code : undefined;
  const price = amount(value.price);
  if (!code || price === undefined) return undefined;
  const name = text(value.name);
  const processor = text(value.processorInfo);
  const cores = Array.isArray(value.cores)
    ? [
        ...new Set(
          value.cores
            .map(amount)
            .filter((core): core is number => core !== undefined && Number.isInteger(core) && core > 0),
        ),
      ].sort((first, second) => first - second)
    : [];
  const memory = amount(value.memory);
  return {
    code,
    ...(name ? { name } : {}),
    usd_per_core_hour: price,
    low_priority_usd_per_core_hour: amount(value.lowPriorityPrice) ?? null,
    ...(cores.length ? { cores_per_node: cores } : {}),
    ...(memory !== undefined && memory > 0 ? { memory_mb_per_core: memory } : {}),
    ...(processor ? { processor } : {}),
    ...(value.isDeprecated === true ? { deprecated: true as const } : {}),
    source,
    as_of: asOf,
  };
}

/** A non-negative finite number, from a number or a decimal string; anything else is undefined. */
function amount(value: unknown): number | undefined {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(number) && number >= 0 && number < 1e6 ? number : undefined;
}

/** Server text fit for a terminal: no control characters, at most 80 characters; undefined when nothing is left. */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, '').trim();
  return clean ? clean.slice(0, 80) : undefined;
}

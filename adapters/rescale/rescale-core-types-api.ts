import { ProviderError } from '../../src/base/errors.js';
import type { RescaleClient } from './rescale-client.js';
import { clean } from './rescale-errors.js';
import { coreTypePricesFrom, writeRescalePriceCache } from './rescale-price-cache.js';

/** A core type as GET /api/v2/coretypes/ describes it (providers.md, section 5.2), checked. */
export interface RescaleCoreTypeInfo {
  /** The code jobs name in hardware.coreType ("emerald"). */
  readonly code: string;
  /** The display name ("Emerald"), cleaned of control characters; the code when Rescale gives none. */
  readonly name: string;
  /** On-demand dollars per core-hour; null when Rescale gives none. */
  readonly price: number | null;
  /** On-Demand Economy (isLowPriority) dollars per core-hour; null when none. */
  readonly lowPriorityPrice: number | null;
  /** The cores of one node, one entry per machine size. */
  readonly cores: readonly number[];
  /** Memory per core in MB; null when none. */
  readonly memory: number | null;
  /** A deprecated core type takes no new jobs. */
  readonly isDeprecated: boolean;
  /** Jobs on it must give hardware.walltime. */
  readonly walltimeRequired: boolean;
}

/** A code dlrun will send back in a job: the job file's own pattern, which the validator holds jobs to. */
const CODE = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/**
 * Every active core type of the platform, every page. Rescale's answers are untrusted: an entry without a usable
 * code is left out, a field of the wrong type is null or empty (a price may come as a number or, as in Rescale's
 * 2016 docs sample, a decimal string: "0.050" [V: MatthiasHertel/api-docs]). Throws when nothing usable came.
 */
export async function fetchCoreTypes(
  client: RescaleClient,
  options: { readonly cacheIn?: string } = {},
): Promise<RescaleCoreTypeInfo[]> {
  const raw = await client.listAll<unknown>('/api/v2/coretypes/', { isActive: true });
  if (options.cacheIn !== undefined) cachePrices(options.cacheIn, client.platform.url, raw);
  const types: RescaleCoreTypeInfo[] = [];
  const seen = new Set<string>();
  for (const item of raw) {
    const type = coreTypeOf(item);
    if (type === undefined || seen.has(type.code)) continue;
    seen.add(type.code);
    types.push(type);
  }
  if (raw.length > 0 && types.length === 0) {
    throw new ProviderError(
      "GET /api/v2/coretypes/: none of Rescale's core types has a usable code",
      'BAD_CORE_TYPES',
      { hint: `check that ${client.platform.url} is a Rescale platform` },
    );
  }
  return types;
}

/** One entry checked, or undefined when it has no usable code. */
export function coreTypeOf(item: unknown): RescaleCoreTypeInfo | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const entry = item as Record<string, unknown>;
  const code = entry.code;
  if (typeof code !== 'string' || !CODE.test(code)) return undefined;
  const name = typeof entry.name === 'string' ? clean(entry.name).slice(0, 100) : '';
  return {
    code,
    name: name || code,
    price: amount(entry.price),
    lowPriorityPrice: amount(entry.lowPriorityPrice),
    cores: Array.isArray(entry.cores)
      ? [...new Set(entry.cores.filter((n): n is number => Number.isInteger(n) && n > 0 && n <= 100_000))].sort(
          (a, b) => a - b,
        )
      : [],
    memory: amount(entry.memory),
    isDeprecated: entry.isDeprecated === true,
    walltimeRequired: entry.walltimeRequired === true,
  };
}

/** A non-negative finite number, from a number or a decimal string; else null. */
function amount(value: unknown): number | null {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())
        ? Number(value)
        : NaN;
  return Number.isFinite(number) && number >= 0 ? number : null;
}

/**
 * Keep the prices just fetched in DLRUN_HOME (rescale-price-cache.ts), dated, for `quote` to use over the
 * repository's table. Nothing wrote that cache before: `check` and every submit fetch the list, so they keep it. A
 * cache that cannot be written (a read-only home) costs only freshness, never the command.
 */
function cachePrices(home: string, platform: string, raw: readonly unknown[]): void {
  const now = new Date();
  try {
    const rows = coreTypePricesFrom(raw, now, platform);
    if (rows.length > 0) writeRescalePriceCache(home, platform, rows, now);
  } catch {
    // Freshness only: the quote falls back to the repository's dated table.
  }
}

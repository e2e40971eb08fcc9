import { DlrunError } from '../../src/base/errors.js';
import { isUnconfirmed } from '../../src/cost/catalogs/catalog-row.js';
import {
  RESCALE_BILLING,
  RESCALE_CORE_TYPE_PRICES,
  RESCALE_PRICES_READ_ON,
  RESCALE_PRICES_WITHOUT_CODE,
  type RescaleCoreTypePrice,
} from '../../src/cost/catalogs/rescale-prices.js';
import type { PriceSnapshot } from '../../src/cost/price-snapshot.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import {
  describeCoreType,
  perCore,
  rescaleCoreTypeViews,
  rescaleHardware,
  type RescaleHardware,
} from './rescale-hardware.js';
import {
  dlrunHomeOf,
  readRescalePriceCache,
  rescaleSnapshotRows,
  type RescalePriceCache,
} from './rescale-price-cache.js';
import type { RefreshedPrices } from '../../src/cost/price-refresh.js';
import { failedStartUsd, type RescalePriceBasis, rescaleRatePerHour } from './rescale-price-basis.js';
import { rescalePlatform } from './rescale-platform.js';
import { RESCALE_STARTUP } from './rescale-startup.js';

/**
 * Why the quote and the bill carry no figure of Rescale's own beside dlrun's (capability `providerBilling`): said
 * in the working of every Rescale price.
 */
const RESCALE_PROVIDER_FIGURE =
  "provider's figure: none; Rescale's API has no per-job charge, only monthly workspace totals (the per-job " +
  'figure is in the portal and the Billing CSV, which dlrun does not read), so this is an estimate';

/** The prices a quote uses, and where they came from. */
interface PriceTable {
  readonly rows: readonly RescaleCoreTypePrice[];
  readonly origin: 'table' | 'api';
  readonly cache: RescalePriceCache | undefined;
  /** Set when the rows are a price snapshot's (`dlrun prices refresh`). */
  readonly snapshot?: RefreshedPrices;
}

/**
 * The price of a Rescale job as `quote` shows it and `submit` stores it: the core type and cores per node of
 * `backends.rescale` (or the cheapest priced ones that hold `resources`, rescale-hardware.ts) times its slots
 * (`resources.nodes`), at the type's price per core-hour, on demand or, for a spot job, low priority. Prices come
 * from the platform's core types list cached in DLRUN_HOME when it is newer than the repository's table, else from
 * the table. The working (`price_source`) names every part, its source and date, the unconfirmed billing rule, and
 * what one failed start costs (the 4 to 8 minutes of start-up, billed at the job's rate).
 */
export function rescalePrice(
  job: Pick<JobSpec, 'backends' | 'resources'>,
  // The time of the quote: unused, as a core-hour price does not change with the hour (kept for the rules' shape).
  _now: Date = new Date(),
  env: Readonly<Record<string, string | undefined>> = {},
  refreshed?: RefreshedPrices,
): PriceSnapshot {
  const platform = rescalePlatform(job, env).url;
  const table = pricesFor(platform, dlrunHomeOf(env), refreshed);
  const hardware = rescaleHardware(job, rescaleCoreTypeViews(table.rows));
  const row = hardware.coreType.price;
  if (!row) throw noPrice(hardware, table, platform);
  const lowPriority = job.resources.spot && row.low_priority_usd_per_core_hour !== null;
  const basis: RescalePriceBasis = {
    platform,
    core_type: row.code,
    cores_per_slot: hardware.coresPerSlot,
    slots: hardware.slots,
    low_priority: lowPriority,
    usd_per_core_hour: perCore(row, job.resources.spot),
    price_origin: table.origin,
    billing_increment_s: RESCALE_BILLING.billing_increment_s,
    minimum_billed_s: RESCALE_BILLING.minimum_billed_s,
    billing_unconfirmed: isUnconfirmed(RESCALE_BILLING, 'billing_increment_s'),
    startup_min_s: RESCALE_STARTUP.minMinutes * 60,
    startup_max_s: RESCALE_STARTUP.maxMinutes * 60,
  };
  const node = `${describeCoreType(hardware.coreType)} x ${hardware.coresPerSlot} cores`;
  const snapshot: PriceSnapshot = {
    machine: hardware.slots === 1 ? node : `${hardware.slots} x (${node})`,
    rate_per_hour_usd: rescaleRatePerHour(basis),
    billing_increment_s: basis.billing_increment_s,
    minimum_billed_s: basis.minimum_billed_s,
    price_source: '',
    price_as_of: row.as_of,
    // The increment is unconfirmed, so every Rescale total is; and so is one resting on a price from a sample.
    ...(basis.billing_unconfirmed || isUnconfirmed(row, 'usd_per_core_hour') || hardware.coresUnchecked
      ? { unconfirmed: true }
      : {}),
    basis,
  };
  return { ...snapshot, price_source: working(snapshot, basis, row, hardware, table, job.resources.spot) };
}

/**
 * The newest price snapshot's rows for this platform, when it has any; else the cache's rows when it is for this
 * platform and was fetched since the table was read; else the table.
 */
function pricesFor(platform: string, home: string, refreshed: RefreshedPrices | undefined): PriceTable {
  const fromSnapshot = refreshed ? rescaleSnapshotRows(refreshed.rows).filter((row) => row.platform === platform) : [];
  if (refreshed && fromSnapshot.length) {
    const cache = { platform, fetched_at: refreshed.fetched_at, rows: fromSnapshot };
    return { rows: fromSnapshot, origin: 'api', cache, snapshot: refreshed };
  }
  const cache = readRescalePriceCache(home, platform);
  const fresh = cache !== undefined && cache.fetched_at.slice(0, 10) >= RESCALE_PRICES_READ_ON;
  return fresh
    ? { rows: cache.rows, origin: 'api', cache }
    : { rows: RESCALE_CORE_TYPE_PRICES, origin: 'table', cache };
}

function working(
  snapshot: PriceSnapshot,
  basis: RescalePriceBasis,
  row: RescaleCoreTypePrice,
  hardware: RescaleHardware,
  table: PriceTable,
  spot: boolean,
): string {
  const which = basis.low_priority ? 'low priority (On-Demand Economy)' : 'on demand';
  const lines = [
    `${basis.platform} Rescale core type ${describeCoreType(hardware.coreType)}, ${which}: ` +
      `$${basis.usd_per_core_hour}/core-hour (${origin(row, table)}) x ${basis.cores_per_slot} cores` +
      (basis.slots > 1 ? ` x ${basis.slots} slots` : '') +
      ` = $${snapshot.rate_per_hour_usd}/h`,
  ];
  if (spot && !basis.low_priority) lines.push('spot: quoted at the on-demand price; no low-priority price is known');
  if (hardware.pickedByDlrun) {
    lines.push('picked by dlrun: the cheapest priced core type and node size that hold resources');
  }
  if (hardware.coresUnchecked) {
    lines.push(`cores per node of ${basis.core_type} unknown to dlrun, so ${basis.cores_per_slot} is not checked`);
  }
  lines.push(
    `billed per ${basis.billing_increment_s === 1 ? 'second' : `${basis.billing_increment_s} s`} of ` +
      `${RESCALE_BILLING.billed_span}, ` +
      (basis.minimum_billed_s > 0 ? `at least ${basis.minimum_billed_s} s` : 'no minimum') +
      (basis.billing_unconfirmed
        ? ": unconfirmed, no source states Rescale's billing increment or minimum (an hourly minimum would make " +
          'every short job and failed start cost a full hour)'
        : ''),
  );
  const failed = failedStartUsd(snapshot);
  if (failed) {
    lines.push(
      `one failed start: $${failed.low_usd.toFixed(2)} to $${failed.high_usd.toFixed(2)} ` +
        `(${failed.startup_min_s / 60} to ${failed.startup_max_s / 60} minutes of start-up, both ends, ` +
        "billed at the job's rate before its command runs; what dlrun validate saves by catching a mistake first)",
    );
  }
  lines.push('software licences, storage, data transfer and platform fees not priced');
  lines.push(RESCALE_PROVIDER_FIGURE);
  return lines.join('; ');
}

/** "from URL, as of DATE; unconfirmed", or "the core types list of PLATFORM fetched at TIME". */
function origin(row: RescaleCoreTypePrice, table: PriceTable): string {
  if (table.snapshot) return `from the price snapshot of the platform's core types list, ${table.snapshot.fetched_at}`;
  if (table.origin === 'api') return `from the platform's core types list fetched ${table.cache!.fetched_at}`;
  const doubt = isUnconfirmed(row, 'usd_per_core_hour') ? '; unconfirmed: a sample answer, not a price list' : '';
  return `from ${row.source.join(' and ')}, as of ${row.as_of}${doubt}`;
}

function noPrice(hardware: RescaleHardware, table: PriceTable, platform: string): DlrunError {
  const priced = table.rows.filter((row) => !row.deprecated).map((row) => row.code);
  const why =
    table.origin === 'api'
      ? `the core types list fetched from ${platform} at ${table.cache!.fetched_at} has no price for it`
      : 'no source dlrun could read gives its price (Rescale publishes prices only through its authenticated ' +
        'core types endpoint)';
  const named = RESCALE_PRICES_WITHOUT_CODE.map((entry) => entry.name).join(', ');
  return new DlrunError(`dlrun has no price for Rescale core type ${describeCoreType(hardware.coreType)}: ${why}`, {
    hint:
      `dlrun's Rescale prices: ${priced.join(', ') || 'none'}` +
      (table.origin === 'table'
        ? '; the live prices, read from the core types endpoint with RESCALE_API_KEY and cached in DLRUN_HOME, ' +
          `replace this table (${named} is priced in Rescale's blog, but without its code)`
        : '') +
      '; see docs/rescale-backend.md ("Prices and the bill")',
  });
}

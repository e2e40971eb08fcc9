import type { BackendPricing } from '../../src/cost/backend-pricing.js';
import type { Ownership } from '../../src/cost/break-even.js';
import type { LocalOptions } from '../../src/spec/backends/local.js';
import { roundUsd, type PriceSnapshot } from '../../src/cost/price-snapshot.js';

const HOURS_PER_YEAR = 365.25 * 24;

/**
 * What an hour of this machine costs its owner, from `backends.local`: the hourly rate given, or the purchase
 * price spread evenly over the machine's lifetime plus the electricity it draws while training. The source says
 * how the figure was computed, so the bill can show it.
 */
export function localPrice(options: LocalOptions | undefined, asOf: Date): PriceSnapshot {
  const base = {
    machine: 'this machine',
    billing_increment_s: 1,
    minimum_billed_s: 0,
    price_as_of: asOf.toISOString().slice(0, 10),
  };
  if (options?.hourly_rate !== undefined) {
    return {
      ...base,
      rate_per_hour_usd: options.hourly_rate,
      price_source: `backends.local.hourly_rate: $${options.hourly_rate}/h`,
    };
  }
  const parts: string[] = [];
  let rate = 0;
  if (options?.purchase_price !== undefined && options.lifetime_years !== undefined) {
    const hardware = options.purchase_price / (options.lifetime_years * HOURS_PER_YEAR);
    rate += hardware;
    parts.push(`purchase $${options.purchase_price} over ${options.lifetime_years} years = $${roundUsd(hardware)}/h`);
  }
  if (options?.power_watts !== undefined && options.kwh_price !== undefined) {
    const power = (options.power_watts / 1000) * options.kwh_price;
    rate += power;
    parts.push(`${options.power_watts} W at $${options.kwh_price}/kWh = $${roundUsd(power)}/h`);
  }
  if (parts.length === 0) {
    return {
      ...base,
      rate_per_hour_usd: 0,
      price_source:
        'no backends.local figures in the job file, so this machine is counted as free; ' +
        'set hourly_rate (or purchase_price and lifetime_years) to count what it costs you',
    };
  }
  return { ...base, rate_per_hour_usd: roundUsd(rate), price_source: `backends.local: ${parts.join(' + ')}` };
}

/** The local backend's price rules: the owner's figures, billed by the second with no minimum and no rules beyond. */
export const localPricing: BackendPricing = {
  // The machine is already on: nothing is billed to start, whatever its setup takes.
  startup: { seconds: 0, source: 'nothing is billed to start: the machine is already on', as_of: '2026-12-06' },
  price: (job, now) => localPrice(job.backends?.local, now),
  ownership: (job) => localOwnership(job.backends?.local),
};

/** The purchase figures of `backends.local` for the break-even, when it gives a purchase price and lifetime. */
export function localOwnership(options: LocalOptions | undefined): Ownership | undefined {
  if (options?.purchase_price === undefined || options.lifetime_years === undefined) return undefined;
  return {
    purchase_price: options.purchase_price,
    lifetime_years: options.lifetime_years,
    power_watts: options.power_watts ?? 0,
    kwh_price: options.kwh_price ?? 0,
  };
}

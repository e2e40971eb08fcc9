import type { PriceSnapshot } from '../cost/price-snapshot.js';
import type { BackendName } from '../spec/backend-names.js';
import type { ValidationContext } from './rule.js';

/**
 * The price a submit would use now on a backend, from its price rules in the context (offline: catalogs and local
 * settings), or undefined when there are none or the job cannot be priced there (`quote` says why).
 */
export function jobPrice(context: ValidationContext, target: BackendName): PriceSnapshot | undefined {
  const pricing = context.pricing?.[target];
  if (!pricing) return undefined;
  try {
    return pricing.price(context.job, new Date(), context.machine.settings);
  } catch {
    return undefined;
  }
}

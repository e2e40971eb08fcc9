import type { QuoteRules } from '../../src/cost/backend-pricing.js';
import { costOf, type JsonValue } from '../../src/cost/price-snapshot.js';
import { rescaleSnapshotRows } from './rescale-price-cache.js';
import { rescalePriceBasisOf, rescaleStartupUsd } from './rescale-price-basis.js';
import { rescalePrice } from './rescale-quote.js';
import { RESCALE_STARTUP } from './rescale-startup.js';

/**
 * Rescale's price rules as `quote` reads them: the core type's price per core-hour times cores times slots
 * (rescale-quote.ts, live prices from the DLRUN_HOME cache when newer than the repository's table). Its default
 * start-up is the midpoint of the 4 to 8 minutes a cluster takes to come up (rescale-startup.ts), and a failed start
 * is that start-up billed as rescale-price-basis.ts bills it. Apart from rescale-pricing.ts, which adds the bill's
 * rules, so that a quote loads none of the bill's modules.
 */
export const rescaleQuoting: QuoteRules = {
  startup: {
    seconds: ((RESCALE_STARTUP.minMinutes + RESCALE_STARTUP.maxMinutes) / 2) * 60,
    source:
      `the midpoint of the ${RESCALE_STARTUP.minMinutes} to ${RESCALE_STARTUP.maxMinutes} minutes a Rescale ` +
      'cluster takes to come up, all of it billed (providers.md section 5; adapters/rescale/rescale-validation.ts)',
    as_of: '2026-12-06',
    unconfirmed: true,
  },
  price: (job, now, env, refreshed) => rescalePrice(job, now, env, refreshed),
  snapshotRows: (rows) => rescaleSnapshotRows(rows) as unknown as JsonValue[],
  failedStartUsd(price, startupSeconds) {
    const basis = rescalePriceBasisOf(price);
    return basis ? rescaleStartupUsd(basis, startupSeconds) : costOf(startupSeconds, price);
  },
};

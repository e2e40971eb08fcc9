import type { PriceRefresher } from '../../src/cost/price-refresh.js';
import type { JsonValue } from '../../src/cost/price-snapshot.js';
import { rescaleClient } from './rescale-client.js';
import { fetchCoreTypes } from './rescale-core-types-api.js';
import { coreTypePricesFrom } from './rescale-price-cache.js';
import { rescaleApiKey, rescalePlatform } from './rescale-platform.js';

/**
 * Rescale prices from the platform's core types endpoint (`GET /api/v2/coretypes/`, every page; providers.md 5.2),
 * with the API key of RESCALE_API_KEY on the platform of RESCALE_PLATFORM_URL (else Rescale's US platform). Each row
 * names its platform: a key, and so a price list, belongs to one platform, and a job on another keeps the
 * repository's prices. The fetch also refreshes the cache `check` and `submit` keep (rescale-price-cache.ts).
 */
export const rescalePriceRefresher: PriceRefresher = {
  async refresh(context, progress) {
    const platform = rescalePlatform(undefined, context.env, context.fromDotenv);
    rescaleApiKey(context.env, platform);
    progress(`core types of ${platform.url}`);
    const types = await fetchCoreTypes(rescaleClient(platform, context), { cacheIn: context.home });
    const rows = coreTypePricesFrom(types, new Date(), platform.url).map(
      (row) => ({ ...row, platform: platform.url }) as unknown as JsonValue,
    );
    const unpriced = types.filter((type) => type.price === null).map((type) => type.code);
    return {
      source: 'Rescale core types endpoint (GET /api/v2/coretypes/)',
      endpoint: `${platform.url}/api/v2/coretypes/`,
      rows,
      notes: unpriced.length
        ? [`${unpriced.length} core types came without a price and stay unpriced: ${unpriced.slice(0, 10).join(', ')}`]
        : [],
    };
  },
};

import type { BackendContext, CheckItem } from '../../src/backend/training-backend.js';
import { rescaleClient } from './rescale-client.js';
import { fetchCoreTypes, type RescaleCoreTypeInfo } from './rescale-core-types-api.js';
import { rescalePlatform } from './rescale-platform.js';

/**
 * `dlrun check --backend rescale`: the API key is set (never shown), the platform it belongs to, and the platform
 * answering with that key (its core types, listed: the first request of every job). One failing check does not stop
 * the others.
 */
export async function checkRescale(context: BackendContext): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  const key = context.env.RESCALE_API_KEY?.trim();
  items.push(
    key
      ? { check: 'API key', ok: true, detail: 'RESCALE_API_KEY is set', required: true }
      : {
          check: 'API key',
          ok: false,
          detail:
            'RESCALE_API_KEY is not set: create a key in the Rescale platform (Settings > API) and export it; ' +
            'a key works only on the platform its account is on',
          required: true,
        },
  );
  let platform: ReturnType<typeof rescalePlatform>;
  try {
    platform = rescalePlatform(undefined, context.env, context.fromDotenv);
    items.push({ check: 'platform', ok: true, detail: `${platform.url} (${platform.setting})`, required: true });
  } catch (error) {
    items.push({ check: 'platform', ok: false, detail: (error as Error).message, required: true });
    return items;
  }
  if (!key) {
    items.push({
      check: 'Rescale API',
      ok: false,
      detail: 'not asked: there is no API key to ask with',
      required: false,
    });
    return items;
  }
  try {
    const types: RescaleCoreTypeInfo[] = await fetchCoreTypes(rescaleClient(platform, context), {
      cacheIn: context.home,
    });
    const active = types.filter((type) => !type.isDeprecated);
    items.push({
      check: 'Rescale API',
      ok: true,
      detail: `${platform.url} accepts the key; ${active.length} core types are available`,
      required: true,
    });
  } catch (error) {
    items.push({ check: 'Rescale API', ok: false, detail: (error as Error).message, required: true });
  }
  return items;
}

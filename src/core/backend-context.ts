import type { LedgerId } from '../backend/job-id.js';
import type { BackendContext } from '../backend/training-backend.js';
import type { Config } from '../config.js';

export function backendContext(config: Config, ledgerId: LedgerId, signal?: AbortSignal): BackendContext {
  return {
    ledgerId,
    home: config.home,
    env: config.env,
    shell: config.shell,
    fromDotenv: new Set(Object.keys(config.dotenv.taken)),
    ...(signal ? { signal } : {}),
  };
}

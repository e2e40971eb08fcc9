import type { BackendContext } from '../backend/training-backend.js';
import type { Config } from '../config.js';

export function backendContext(config: Config, ledgerId: string, signal?: AbortSignal): BackendContext {
  return {
    ledgerId,
    home: config.home,
    env: config.env,
    shell: config.shell,
    fromDotenv: new Set(Object.keys(config.dotenv.taken)),
    ...(signal ? { signal } : {}),
  };
}

import { createRequire } from 'node:module';

let loaded: typeof import('node:crypto') | undefined;

/**
 * node:crypto, loaded on first use. A static import loads it (and its 16 internal modules, about 3 ms) in every
 * command that reads the `.env` rules, `quote` and `status` included, though only a folder with a `.env` needs its
 * hash and only a change of the trust list its random name. `require` keeps the callers synchronous.
 */
export function crypto(): typeof import('node:crypto') {
  loaded ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return loaded;
}

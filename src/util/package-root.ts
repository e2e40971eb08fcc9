import { fileURLToPath } from 'node:url';

/** The installed package's root (this file runs from dist/src/util/), where templates/ and package.json live. */
export function packageRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

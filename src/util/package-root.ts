import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The installed package's root, where package.json, templates/ and dist/ live: the nearest folder above this file
 * with a package.json. This file runs from dist/src/util/ when installed and from src/util/ under the tests.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    folder = parent;
  }
  root = folder;
  return root;
}

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function makeTempFolder(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}

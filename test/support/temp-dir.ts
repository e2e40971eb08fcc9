import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { defer } from './cleanup.js';

/** A fresh folder for one test, removed when the test ends (after whatever was registered later). */
export function tempDir(t: TestContext, prefix = 'dlrun-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  defer(t, () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
  return dir;
}

import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Poll until `probe` returns a value (not undefined), or fail after `timeoutMs`. The timeout only stops a hung
 * test; no assertion depends on how quickly the value appears.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

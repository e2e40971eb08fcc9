/**
 * Replace the default Ctrl-C handling (exit 130 at once) for the duration of `work`: the signal aborts the
 * returned controller instead, so a command following a job can detach cleanly and say so.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const previous = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  const onInterrupt = (): void => controller.abort();
  process.on('SIGINT', onInterrupt);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    for (const listener of previous) process.on('SIGINT', listener as NodeJS.SignalsListener);
  }
}

export function isAbort(error: unknown): boolean {
  return (error as { name?: string }).name === 'AbortError';
}

/**
 * One run at a time per key: while `start()` for a key is in flight, a second call with that key gets the same
 * promise instead of starting another (two submits of one job in one process make one launch). The key is free
 * again once the run has settled.
 */
export function singleFlight<T>(): (key: string, start: () => Promise<T>) => Promise<T> {
  const inFlight = new Map<string, Promise<T>>();
  return (key, start) => {
    const running = inFlight.get(key);
    if (running) return running;
    const run = start().finally(() => inFlight.delete(key));
    inFlight.set(key, run);
    return run;
  };
}

import type { Phase } from './job-state.js';

/**
 * Times a machine reports (its phase markers, the end it records) come from a clock dlrun does not control and from
 * text anyone on the machine can write. They are kept inside the window the provider vouches for (a machine's
 * launch to its termination, or a job's submit to now), so a skewed or hostile clock cannot make a phase start
 * before the job existed, end in the future, or bill hours that never were.
 */
export function boundedTime(time: string | undefined, from: string | undefined, to: string): string | undefined {
  const at = time === undefined ? Number.NaN : Date.parse(time);
  if (!Number.isFinite(at)) return undefined;
  const low = from === undefined ? -Infinity : Date.parse(from);
  const high = Date.parse(to);
  return new Date(Math.min(Math.max(at, low), Math.max(low, high))).toISOString();
}

/** Every phase start moved into the window; a start that is not a time at all is dropped. */
export function boundedPhases(
  phases: Partial<Readonly<Record<Phase, string>>> | undefined,
  from: string | undefined,
  to: string,
): Partial<Record<Phase, string>> {
  const bounded: Partial<Record<Phase, string>> = {};
  for (const [phase, at] of Object.entries(phases ?? {}) as [Phase, string][]) {
    const time = boundedTime(at, from, to);
    if (time !== undefined) bounded[phase] = time;
  }
  return bounded;
}

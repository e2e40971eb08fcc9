/** `DLRUN_WATCH_INTERVAL_MS` when set to a usable figure (10 ms or more); also paces `logs --follow`. */
export function watchIntervalOverride(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const chosen = Number(env.DLRUN_WATCH_INTERVAL_MS);
  return env.DLRUN_WATCH_INTERVAL_MS && Number.isFinite(chosen) && chosen >= 10 ? chosen : undefined;
}

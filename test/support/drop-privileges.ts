/**
 * A command prefix that makes a spawned program obey file permissions. Root ignores them (CAP_DAC_OVERRIDE),
 * so a test of a read-only ledger would otherwise pass for the wrong reason; setpriv drops the capabilities
 * from the bounding set, which removes them from the program it executes.
 */
export function obeyFilePermissions(): string[] {
  if (process.getuid?.() !== 0) return [];
  return ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--'];
}

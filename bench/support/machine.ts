import os from 'node:os';

/** What the figures were measured on: they only compare with figures from the same machine. */
export function machineSummary(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() || 'unknown CPU';
  const cores = `${cpus.length} core${cpus.length === 1 ? '' : 's'}`;
  return `Node ${process.version} on ${os.platform()}-${os.arch()}, ${model}, ${cores}`;
}

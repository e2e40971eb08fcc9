import type { JobSpec } from './job-spec.js';

/** "1 T4 GPU, 8 vCPUs and 30 GiB of memory": what a job's `resources` asks of each node, for messages. */
export function describeResources(resources: JobSpec['resources']): string {
  const parts: string[] = [];
  if (resources.gpu)
    parts.push(`${resources.gpu.count} ${resources.gpu.model} GPU${resources.gpu.count === 1 ? '' : 's'}`);
  if (resources.cpus !== undefined) parts.push(`${resources.cpus} vCPUs`);
  if (resources.memory !== undefined) parts.push(`${resources.memory} GiB of memory`);
  return parts.length > 1
    ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
    : (parts[0] ?? 'what resources asks for');
}

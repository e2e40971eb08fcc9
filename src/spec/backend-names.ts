/**
 * The backends dlrun knows, in the order `check` and `quote` list them. A module of its own, free of the job file
 * schema, so that commands which only need the names (status, the registry) start without loading YAML.
 */
export const BACKEND_NAMES = ['local', 'ec2', 'vertex', 'rescale'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

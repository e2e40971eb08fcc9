/**
 * The backends dlrun knows, in the order `check` and `quote` list them. A module of its own, free of the job file
 * schema, so that commands which only need the names (status, the registry) start without loading YAML.
 */
export const BACKEND_NAMES = ['local', 'ec2', 'vertex', 'rescale'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

/** Other names users call a backend by, accepted by `--backend`: Google's managed training is Vertex AI. */
export const BACKEND_ALIASES: Readonly<Record<string, BackendName>> = { gcp: 'vertex' };

/** The backend a name or an alias means, or undefined. */
export function backendNamed(value: string): BackendName | undefined {
  if (isBackendName(value)) return value;
  return Object.hasOwn(BACKEND_ALIASES, value) ? BACKEND_ALIASES[value] : undefined;
}

/**
 * Vertex AI's prebuilt training containers dlrun picks from when a job sets no `backends.vertex.container_image`.
 * Each image lives in three Artifact Registry mirrors, `{us,europe,asia}-docker.pkg.dev/vertex-ai/training/<path>`;
 * only the `:latest` tag is served.
 *
 * Checked 2026-12-06: the naming pattern and mirrors are from the official list
 * (https://cloud.google.com/vertex-ai/docs/training/pre-built-containers, providers.md 2.5 [V]). The exact tags
 * are marked per row: `seen` = the tag appears in use in public code and in providers.md 2.5 [S]; `pattern` = built
 * from the naming pattern and not seen [U]. Re-check against the official page before relying on a `pattern` row;
 * Google retires old versions on a published schedule (framework support policy).
 */
export interface PrebuiltContainer {
  readonly framework: 'pytorch' | 'tensorflow';
  /** major.minor, as a framework pin's version starts (pytorch==2.4.1 -> 2.4). */
  readonly version: string;
  readonly accelerator: 'cpu' | 'gpu';
  /** The path under vertex-ai/training/, with its tag. */
  readonly path: string;
  readonly evidence: 'seen' | 'pattern';
  readonly source: string;
}

const OFFICIAL = 'https://cloud.google.com/vertex-ai/docs/training/pre-built-containers';

function row(
  framework: PrebuiltContainer['framework'],
  version: string,
  accelerator: PrebuiltContainer['accelerator'],
  path: string,
  evidence: PrebuiltContainer['evidence'],
): PrebuiltContainer {
  const source = evidence === 'seen' ? `${OFFICIAL} (pattern); tag seen in use (providers.md 2.5)` : OFFICIAL;
  return { framework, version, accelerator, path, evidence, source };
}

/** Newest first within each framework: with no framework pinned, the first PyTorch row of the kind is used. */
export const PREBUILT_CONTAINERS: readonly PrebuiltContainer[] = [
  row('pytorch', '2.4', 'gpu', 'pytorch-gpu.2-4.py310:latest', 'seen'),
  row('pytorch', '2.4', 'cpu', 'pytorch-cpu.2-4.py310:latest', 'pattern'),
  row('pytorch', '2.3', 'gpu', 'pytorch-gpu.2-3.py310:latest', 'pattern'),
  row('pytorch', '2.3', 'cpu', 'pytorch-cpu.2-3.py310:latest', 'pattern'),
  row('pytorch', '2.2', 'gpu', 'pytorch-gpu.2-2.py310:latest', 'seen'),
  row('pytorch', '2.2', 'cpu', 'pytorch-cpu.2-2.py310:latest', 'pattern'),
  row('pytorch', '2.1', 'gpu', 'pytorch-gpu.2-1.py310:latest', 'seen'),
  row('pytorch', '2.1', 'cpu', 'pytorch-cpu.2-1.py310:latest', 'pattern'),
  row('tensorflow', '2.17', 'gpu', 'tf-gpu.2-17.py310:latest', 'seen'),
  row('tensorflow', '2.17', 'cpu', 'tf-cpu.2-17.py310:latest', 'pattern'),
  row('tensorflow', '2.14', 'gpu', 'tf-gpu.2-14.py310:latest', 'seen'),
  row('tensorflow', '2.14', 'cpu', 'tf-cpu.2-14.py310:latest', 'pattern'),
  row('tensorflow', '2.12', 'gpu', 'tf-gpu.2-12.py310:latest', 'seen'),
  row('tensorflow', '2.12', 'cpu', 'tf-cpu.2-12.py310:latest', 'pattern'),
];

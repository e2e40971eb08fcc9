import type { JobSpec } from '../../src/spec/job-spec.js';
import type { ImageFacts } from '../../src/validate/catalogs/image-facts.js';
import { publicImageFacts } from '../../src/validate/catalogs/public-images.js';
import type { JobImage } from '../../src/validate/rule.js';
import { chooseContainer } from './vertex-containers.js';

const PREBUILT = 'https://cloud.google.com/vertex-ai/docs/training/pre-built-containers';

/**
 * What a Vertex AI prebuilt training container is, from its name (`pytorch-gpu.2-4.py310`: the framework and its
 * version, the Python version). They are Google's Deep Learning Containers; which OS release they are built on,
 * and whether sudo is there, were not confirmed.
 */
export function prebuiltFacts(uri: string): ImageFacts | undefined {
  const match = /vertex-ai\/training\/(pytorch|tf)-(?:gpu|cpu)\.(\d+)-(\d+)\.py(\d)(\d+)/.exec(uri);
  if (!match) return undefined;
  const framework = match[1] === 'tf' ? 'tensorflow' : 'pytorch';
  return {
    name: `the Vertex AI prebuilt ${framework} ${match[2]}.${match[3]} container`,
    python: `${match[4]}.${match[5]}`,
    frameworks: { [framework]: `${match[2]}.${match[3]}` },
    source: [PREBUILT],
    as_of: '2026-12-06',
    unconfirmed: { user: 'root', packageManager: 'apt', binSh: 'dash', externallyManaged: false },
  };
}

/** The container a Vertex AI job runs in: `backends.vertex.container_image`, else the prebuilt one dlrun picks. */
export function vertexJobImage(job: JobSpec): JobImage | undefined {
  const configured = job.backends?.vertex?.container_image;
  if (configured) {
    const facts = prebuiltFacts(configured) ?? publicImageFacts(configured);
    return facts ? { facts, field: 'backends.vertex.container_image' } : undefined;
  }
  try {
    // The region only picks the mirror, which holds the same image.
    const chosen = chooseContainer(job.framework, job.resources.gpu !== undefined, 'us-central1');
    const facts = prebuiltFacts(chosen.imageUri);
    return facts ? { facts, field: undefined } : undefined;
  } catch {
    // No prebuilt image for this framework: submit says so; nothing to judge here.
    return undefined;
  }
}

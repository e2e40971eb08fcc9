import { DlrunError } from '../../src/base/errors.js';
import type { FrameworkPin } from '../../src/spec/units/framework.js';
import { PREBUILT_CONTAINERS, type PrebuiltContainer } from './vertex-containers-data.js';

export type ContainerMirror = 'us' | 'europe' | 'asia';

export interface ContainerChoice {
  readonly imageUri: string;
  readonly container: PrebuiltContainer;
  /** Why this image: shown by `submit --dry-run`. */
  readonly reason: string;
}

/**
 * The Artifact Registry mirror nearest a Vertex region. us/europe/asia regions use their own; the other continents
 * are a choice of dlrun's (UNCONFIRMED which mirror pulls fastest there): the Americas -> us, the Middle East and
 * Africa -> europe, Australia -> asia.
 */
export function mirrorOf(region: string): ContainerMirror {
  const area = region.split('-')[0] ?? '';
  if (area === 'europe' || area === 'me' || area === 'africa') return 'europe';
  if (area === 'asia' || area === 'australia') return 'asia';
  return 'us';
}

/**
 * The prebuilt training container for the job's framework, with a GPU build when the job has GPUs, from the mirror
 * of its region. The pin's major.minor must match a listed image. With no framework pinned dlrun uses the newest
 * PyTorch image: Vertex has no plain Python training image, and this one has Python 3, pip and the gcloud tools the
 * bootstrap needs (and CUDA for a GPU job). JAX has no prebuilt training image in dlrun's list. Anything not listed
 * is a user error naming the choices and `backends.vertex.container_image`.
 */
export function chooseContainer(
  framework: FrameworkPin | undefined,
  gpu: boolean,
  region: string,
  containers: readonly PrebuiltContainer[] = PREBUILT_CONTAINERS,
): ContainerChoice {
  const accelerator = gpu ? 'gpu' : 'cpu';
  const kind = containers.filter((container) => container.accelerator === accelerator);
  const uri = (container: PrebuiltContainer) =>
    `${mirrorOf(region)}-docker.pkg.dev/vertex-ai/training/${container.path}`;
  if (!framework) {
    const newest = kind.find((container) => container.framework === 'pytorch');
    if (!newest) throw noImage(`no prebuilt PyTorch ${accelerator.toUpperCase()} image is listed`, kind);
    return {
      imageUri: uri(newest),
      container: newest,
      reason: `no framework is pinned: the newest PyTorch ${newest.version} ${accelerator.toUpperCase()} image`,
    };
  }
  const version = framework.version.split('.').slice(0, 2).join('.');
  const found = kind.find((container) => container.framework === framework.name && container.version === version);
  if (!found) {
    const pinned = `${framework.name}==${framework.version}`;
    const same = kind.filter((container) => container.framework === framework.name);
    throw noImage(
      same.length
        ? `Vertex AI has no prebuilt ${accelerator.toUpperCase()} training image for ${pinned}`
        : `Vertex AI has no prebuilt training image for ${framework.name} that dlrun knows`,
      kind,
    );
  }
  return {
    imageUri: uri(found),
    container: found,
    reason:
      `the prebuilt ${framework.name} ${found.version} ${accelerator.toUpperCase()} image ` +
      `for ${framework.name}==${framework.version}`,
  };
}

function noImage(what: string, kind: readonly PrebuiltContainer[]): DlrunError {
  const choices = [...new Set(kind.map((container) => `${container.framework}==${container.version}`))].join(', ');
  return new DlrunError(`${what}; the prebuilt images are for ${choices || 'nothing'}`, {
    hint:
      'pin one of those versions in `framework`, or set backends.vertex.container_image to an image with ' +
      'your framework and Python 3',
  });
}

import type { ImageFacts, ImageTraits } from './image-facts.js';
import { DEBIAN_CODENAMES, osRelease, UBUNTU_CODENAMES } from './os-images.js';

/**
 * Common public container images, judged by what their name and tag tell (python:3.12-slim is Debian with Python
 * 3.12 in /usr/local, root, no sudo); an image not recognised here is not judged at all. Read on 2026-12-06.
 */
const AS_OF = '2026-12-06';
const PYTHON_IMAGE = 'https://hub.docker.com/_/python';
const PYTHON_ROOT_PIP = 'https://github.com/docker-library/python/issues/1121';
const PYTHON_NOT_MARKED = 'https://github.com/debuerreotype/debuerreotype/issues/155';
const SLIM_WITHOUT_GIT = 'https://github.com/yihong0618/running_page/pull/366';
const UBUNTU_IMAGE = 'https://hub.docker.com/_/ubuntu';
const DEBIAN_IMAGE = 'https://hub.docker.com/_/debian';
const CUDA_IMAGE = 'https://hub.docker.com/r/nvidia/cuda';
const PYTORCH_IMAGE = 'https://hub.docker.com/r/pytorch/pytorch';

/** `docker.io/library/python:3.12-slim@sha256:...` -> { repository: 'python', tag: '3.12-slim' }. */
export function splitReference(reference: string): { repository: string; tag: string | undefined } {
  const withoutDigest = reference.trim().split('@')[0]!;
  const colon = withoutDigest.lastIndexOf(':');
  const slash = withoutDigest.lastIndexOf('/');
  const repository = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = colon > slash ? withoutDigest.slice(colon + 1) : undefined;
  return { repository: repository.replace(/^(?:docker\.io\/|index\.docker\.io\/)/, '').replace(/^library\//, ''), tag };
}

export function publicImageFacts(reference: string): ImageFacts | undefined {
  const { repository, tag } = splitReference(reference);
  if (tag === undefined) return undefined;
  const name = `${repository}:${tag}`;
  switch (repository) {
    case 'python':
      return pythonImage(name, tag);
    case 'ubuntu':
    case 'debian':
      return osImage(name, repository, tag);
    case 'nvidia/cuda':
      return cudaImage(name, tag);
    case 'pytorch/pytorch':
      return pytorchImage(name, tag);
    default:
      return undefined;
  }
}

function pythonImage(name: string, tag: string): ImageFacts | undefined {
  const match = /^(\d+\.\d+)(?:\.\d+)?(?:-(.*))?$/.exec(tag);
  if (!match) return undefined;
  const variant = match[2] ?? '';
  const python = match[1]!;
  if (variant.startsWith('alpine'))
    return {
      name,
      os: 'alpine',
      packageManager: 'apk',
      binSh: 'busybox',
      user: 'root',
      python,
      externallyManaged: false,
      source: [PYTHON_IMAGE],
      as_of: AS_OF,
      unconfirmed: { sudo: false },
    };
  const codename = /(bullseye|bookworm|trixie)/.exec(variant)?.[1];
  const slim = variant.startsWith('slim');
  const traits: ImageTraits = {
    os: 'debian',
    ...(codename ? { osVersion: DEBIAN_CODENAMES[codename]! } : {}),
    packageManager: 'apt',
    binSh: 'dash',
    user: 'root',
    python,
    // Python is built into /usr/local, which the Debian marker does not cover.
    externallyManaged: false,
    ...(slim ? { sudo: false, missingCommands: ['git'] } : {}),
  };
  return {
    name,
    ...traits,
    source: [PYTHON_IMAGE, PYTHON_ROOT_PIP, PYTHON_NOT_MARKED, ...(slim ? [SLIM_WITHOUT_GIT] : [])],
    as_of: AS_OF,
    unconfirmed: slim ? { missingCommands: ['curl', 'wget', 'gcc', 'g++', 'make'] } : { sudo: false },
  };
}

function osImage(name: string, os: 'ubuntu' | 'debian', tag: string): ImageFacts | undefined {
  const plain = tag.replace(/-slim$/, '');
  const version = os === 'ubuntu' ? (UBUNTU_CODENAMES[plain] ?? plain) : (DEBIAN_CODENAMES[plain] ?? plain);
  const release = osRelease(os, version);
  if (!release) return undefined;
  // The container images hold no Python; one installed with apt is the release's own (and so externally managed
  // where the release marks it).
  const { python, ...traits } = release.traits;
  return {
    name,
    ...traits,
    os,
    osVersion: version,
    user: 'root',
    sudo: false,
    source: [os === 'ubuntu' ? UBUNTU_IMAGE : DEBIAN_IMAGE, ...release.source],
    as_of: AS_OF,
    unconfirmed: { python: 'none' },
  };
}

function cudaImage(name: string, tag: string): ImageFacts | undefined {
  const match =
    /^(\d+\.\d+)(?:\.\d+)?-(?:cudnn\d*-)?(?:base|runtime|devel)-(ubuntu(\d+\.\d+)|rockylinux\d+|ubi\d+)$/.exec(tag);
  if (!match) return undefined;
  const ubuntu = match[3] ? osRelease('ubuntu', match[3]) : undefined;
  if (match[3] && !ubuntu) return undefined;
  const os: ImageTraits = ubuntu
    ? { os: 'ubuntu', osVersion: match[3]!, packageManager: 'apt', binSh: 'dash' }
    : { packageManager: 'dnf', binSh: 'bash' };
  return {
    name,
    ...os,
    user: 'root',
    cuda: match[1]!,
    ...(ubuntu?.traits.externallyManaged === undefined ? {} : { externallyManaged: ubuntu.traits.externallyManaged }),
    source: [CUDA_IMAGE, ...(ubuntu?.source ?? [])],
    as_of: AS_OF,
    unconfirmed: { sudo: false, python: 'none' },
  };
}

function pytorchImage(name: string, tag: string): ImageFacts | undefined {
  const match = /^(\d+\.\d+\.\d+)-cuda(\d+\.\d+)-cudnn\d+-(?:runtime|devel)$/.exec(tag);
  if (!match) return undefined;
  return {
    name,
    user: 'root',
    // Its Python is conda's, which no distribution marks as externally managed.
    externallyManaged: false,
    frameworks: { pytorch: match[1]! },
    cuda: match[2]!,
    source: [PYTORCH_IMAGE],
    as_of: AS_OF,
    unconfirmed: { os: 'ubuntu', packageManager: 'apt', binSh: 'dash', sudo: false },
  };
}

import type { ImageTraits } from './image-facts.js';

/**
 * What each Linux release is, whoever builds the image on it: package manager, /bin/sh, the system Python, and
 * whether the distribution marks that Python externally managed (PEP 668: Debian 12 and Ubuntu 23.04 on).
 * Read on 2026-12-06. Container images of these releases (ubuntu:24.04, debian:12) add: root, no sudo, no Python.
 */
export interface OsRelease {
  readonly os: NonNullable<ImageTraits['os']>;
  readonly version: string;
  readonly traits: ImageTraits;
  readonly source: readonly string[];
}

const PEP_668 = 'https://peps.python.org/pep-0668/';
const DEBIAN_12_MARKER = 'https://github.com/debuerreotype/debuerreotype/issues/155';
const UBUNTU_24_MARKER = 'https://github.com/geerlingguy/ansible-role-pip/issues/57';
const DEBIAN_DASH = 'https://wiki.debian.org/Shell';
const UBUNTU_DASH = 'https://wiki.ubuntu.com/DashAsBinSh';
const DEBIAN_PYTHON = 'https://wiki.debian.org/Python';
const UBUNTU_PYTHON = 'https://packages.ubuntu.com/search?keywords=python3';
const AL2023 = 'https://docs.aws.amazon.com/linux/al2023/ug/python.html';
const AL2023_DNF = 'https://docs.aws.amazon.com/linux/al2023/ug/package-management.html';

const apt = { packageManager: 'apt', binSh: 'dash' } as const;

export const OS_RELEASES: readonly OsRelease[] = [
  {
    os: 'ubuntu',
    version: '20.04',
    traits: { ...apt, python: '3.8', externallyManaged: false },
    source: [UBUNTU_DASH, UBUNTU_PYTHON],
  },
  {
    os: 'ubuntu',
    version: '22.04',
    traits: { ...apt, python: '3.10', externallyManaged: false },
    source: [UBUNTU_DASH, UBUNTU_PYTHON],
  },
  {
    os: 'ubuntu',
    version: '24.04',
    traits: { ...apt, python: '3.12', externallyManaged: true },
    source: [UBUNTU_DASH, UBUNTU_PYTHON, PEP_668, UBUNTU_24_MARKER],
  },
  {
    os: 'debian',
    version: '11',
    traits: { ...apt, python: '3.9', externallyManaged: false },
    source: [DEBIAN_DASH, DEBIAN_PYTHON],
  },
  {
    os: 'debian',
    version: '12',
    traits: { ...apt, python: '3.11', externallyManaged: true },
    source: [DEBIAN_DASH, DEBIAN_PYTHON, PEP_668, DEBIAN_12_MARKER],
  },
  {
    os: 'debian',
    version: '13',
    traits: { ...apt, python: '3.13', externallyManaged: true },
    source: [DEBIAN_DASH, DEBIAN_PYTHON, PEP_668],
  },
  {
    os: 'amazon-linux',
    version: '2023',
    traits: { packageManager: 'dnf', binSh: 'bash', python: '3.9' },
    source: [AL2023, AL2023_DNF],
  },
  { os: 'amazon-linux', version: '2', traits: { packageManager: 'yum', binSh: 'bash' }, source: [AL2023_DNF] },
];

/** Debian's code names, as image tags spell them (python:3.12-slim-bookworm). */
export const DEBIAN_CODENAMES: Readonly<Record<string, string>> = { bullseye: '11', bookworm: '12', trixie: '13' };
/** Ubuntu's, likewise (ubuntu:noble). */
export const UBUNTU_CODENAMES: Readonly<Record<string, string>> = { focal: '20.04', jammy: '22.04', noble: '24.04' };

export function osRelease(os: OsRelease['os'], version: string): OsRelease | undefined {
  return OS_RELEASES.find((release) => release.os === os && release.version === version);
}

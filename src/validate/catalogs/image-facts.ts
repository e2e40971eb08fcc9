/**
 * What a machine image (an AMI, a container image) is known to be, for the rules that judge commands, shells and
 * installs against it. Every fact is optional: a missing one is unknown, and the rules then say nothing. A fact
 * believed but not confirmed from a source is kept apart, in `unconfirmed`, which the rules never read.
 */
export interface ImageTraits {
  readonly os?: 'ubuntu' | 'debian' | 'amazon-linux' | 'alpine';
  readonly osVersion?: string;
  readonly packageManager?: 'apt' | 'dnf' | 'yum' | 'apk';
  /** What /bin/sh is: `sh script.sh` and `#!/bin/sh` scripts run in it. */
  readonly binSh?: 'dash' | 'bash' | 'busybox';
  readonly sudo?: boolean;
  /** The user the job's commands run as. */
  readonly user?: string;
  /** major.minor of the `python3`/`pip` on the PATH; `none` when the image has no Python. */
  readonly python?: string;
  /** Whether that Python's pip refuses to install outside a venv (PEP 668's EXTERNALLY-MANAGED marker). */
  readonly externallyManaged?: boolean;
  readonly frameworks?: Readonly<Partial<Record<'pytorch' | 'tensorflow', string>>>;
  readonly cuda?: string;
  /** Common commands the image lacks (git in python:*-slim), which the job must install before using. */
  readonly missingCommands?: readonly string[];
}

export interface ImageFacts extends ImageTraits {
  /** The image in words, for messages ("the Ubuntu 24.04 AMI", "python:3.12-slim"). */
  readonly name: string;
  readonly source: readonly string[];
  readonly as_of: string;
  /** Facts believed but not confirmed: documented, never used by a rule. */
  readonly unconfirmed?: ImageTraits;
}

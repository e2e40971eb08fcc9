import { osRelease } from '../../src/validate/catalogs/os-images.js';
import type { ImageFacts } from '../../src/validate/catalogs/image-facts.js';
import type { JobSpec } from '../../src/spec/job-spec.js';
import type { JobImage, ThisMachine } from '../../src/validate/rule.js';
import { findEc2InstanceType } from '../../src/cost/catalogs/index.js';
import { imageSetting } from './ec2-image.js';

const AS_OF = '2026-12-06';
const DLAMI_RELEASE_NOTES = 'https://docs.aws.amazon.com/dlami/latest/devguide/appendix-ami-release-notes.html';
const DLAMI_FIND = 'https://docs.aws.amazon.com/dlami/latest/devguide/find-dlami-id.html';
const UBUNTU_SSM = 'https://documentation.ubuntu.com/aws/aws-how-to/instances/find-ubuntu-images/';
const AL_SSM = 'https://docs.aws.amazon.com/linux/al2023/ug/ec2.html';

/**
 * What an EC2 image is, from the SSM parameter that names it (dlrun's defaults are two of them): the AWS Deep
 * Learning AMIs (Base OSS, NVIDIA driver) on Ubuntu or Amazon Linux 2023, Canonical's Ubuntu and Amazon Linux.
 * An AMI id (`ami-...`) says nothing, and is not judged. Both OS families have sudo; dlrun's startup runs the job
 * as root (cloud-init user data).
 */
export function ec2ImageFacts(setting: string): ImageFacts | undefined {
  const dlami = /deeplearning\/ami\/[^/]+\/base-oss-nvidia-driver-gpu-(ubuntu-(\d+\.\d+)|amazon-linux-2023)\//.exec(
    setting,
  );
  if (dlami) {
    const release = dlami[2] ? osRelease('ubuntu', dlami[2]) : osRelease('amazon-linux', '2023');
    if (!release) return undefined;
    const { externallyManaged, python, ...traits } = release.traits;
    return {
      name: `the Deep Learning Base OSS AMI (${dlami[2] ? `Ubuntu ${dlami[2]}` : 'Amazon Linux 2023'})`,
      ...traits,
      os: release.os,
      osVersion: release.version,
      sudo: true,
      source: [DLAMI_FIND, DLAMI_RELEASE_NOTES, ...release.source],
      as_of: AS_OF,
      // The AMI installs CUDA toolkits and may put a Python environment of its own first on the PATH: which
      // Python its pip is, and whether it is marked, were not read.
      unconfirmed: {
        user: 'root',
        ...(python === undefined ? {} : { python }),
        ...(externallyManaged === undefined ? {} : { externallyManaged }),
      },
    };
  }
  const ubuntu = /canonical\/ubuntu\/server\/(\d+\.\d+)\//.exec(setting);
  const amazon = /ami-amazon-linux-latest\/(al2023|amzn2)-ami/.exec(setting);
  const release = ubuntu
    ? osRelease('ubuntu', ubuntu[1]!)
    : amazon
      ? osRelease('amazon-linux', amazon[1] === 'al2023' ? '2023' : '2')
      : undefined;
  if (!release) return undefined;
  return {
    name: release.os === 'ubuntu' ? `the Ubuntu ${release.version} AMI` : `the Amazon Linux ${release.version} AMI`,
    ...release.traits,
    os: release.os,
    osVersion: release.version,
    sudo: true,
    source: [release.os === 'ubuntu' ? UBUNTU_SSM : AL_SSM, ...release.source],
    as_of: AS_OF,
    unconfirmed: { user: 'root' },
  };
}

/** The image an EC2 job runs on: `backends.ec2.image`, else dlrun's default for a GPU or CPU instance. */
export function ec2JobImage(job: JobSpec, machine: ThisMachine): JobImage | undefined {
  const configured = job.backends?.ec2?.image;
  const type = job.backends?.ec2?.instance_type ? findEc2InstanceType(job.backends.ec2.instance_type) : undefined;
  const hasGpu = type ? type.gpus !== undefined : job.resources.gpu !== undefined;
  const facts = ec2ImageFacts(imageSetting(configured, hasGpu, machine.settings));
  return facts ? { facts, field: configured ? 'backends.ec2.image' : undefined } : undefined;
}

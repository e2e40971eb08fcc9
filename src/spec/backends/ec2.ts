import { list } from '../schema/collection-types.js';
import { object, optional } from '../schema/object-type.js';
import { text } from '../schema/scalar-types.js';
import type { Infer } from '../schema/schema-type.js';

/** `backends.ec2` in job.yaml: where and how to launch on AWS EC2. */
export const ec2Options = object(
  {
    region: optional(
      text({
        description: 'AWS region, e.g. us-east-1. Default: the AWS profile or AWS_REGION.',
        expected: 'an AWS region like us-east-1',
        pattern: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$/,
      }),
    ),
    instance_type: optional(
      text({
        description: 'EC2 instance type, e.g. g4dn.xlarge. Default: the cheapest type that satisfies resources.',
        expected: 'an instance type like g4dn.xlarge',
        pattern: /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/,
      }),
    ),
    image: optional(
      text({
        description: 'AMI id (ami-...) or an SSM parameter holding one (ssm:/path). Default: a Deep Learning AMI.',
        expected: 'an AMI id like ami-0123456789abcdef0 or ssm:/path/to/parameter',
        pattern: /^(ami-[0-9a-f]{8,17}|ssm:\/.+)$/,
      }),
    ),
    subnet: optional(
      text({
        description: 'Subnet id to launch into.',
        expected: 'a subnet id like subnet-0123abcd',
        pattern: /^subnet-[0-9a-f]{8,17}$/,
      }),
    ),
    security_groups: optional(
      list(
        text({
          description: 'Security group id.',
          expected: 'a security group id like sg-0123abcd',
          pattern: /^sg-[0-9a-f]{8,17}$/,
        }),
        {
          description: 'Security group ids for the instances (multi-node jobs also get one of their own).',
          unique: true,
        },
      ),
    ),
    key_name: optional(text({ description: 'EC2 key pair name, for SSH access while the job runs.', maxLength: 255 })),
    iam_instance_profile: optional(
      text({
        description: 'IAM instance profile (name or ARN) the machine runs as, for access to your own data.',
        maxLength: 2048,
      }),
    ),
    bucket: optional(
      text({
        description: 'S3 bucket for code staging and outputs. Default: a bucket dlrun creates and names predictably.',
        expected: 'an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)',
        pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      }),
    ),
  },
  { description: 'Settings for the ec2 backend (AWS EC2).' },
);

export type Ec2Options = Infer<typeof ec2Options>;

import type { EC2Client } from '@aws-sdk/client-ec2';
import type { BackendContext } from '../../src/backend/training-backend.js';
import { clientSettings } from './ec2-clients.js';
import { withDeadlines } from './ec2-deadlines.js';
import { aws } from './ec2-errors.js';
import { awsSdk, ssmSdk } from './ec2-sdk.js';

/**
 * The AMI dlrun launches when the job names none: the AWS Deep Learning AMI with the NVIDIA driver for GPU types,
 * plain Ubuntu otherwise, both read from AWS's public SSM parameters in the job's region
 * (https://docs.aws.amazon.com/dlami/latest/devguide/find-dlami-id.html). DLRUN_EC2_DEFAULT_IMAGE overrides both
 * (an AMI id or ssm:/path), for private clouds and tests.
 */
const DEFAULT_GPU_IMAGE =
  'ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id';
const DEFAULT_CPU_IMAGE = 'ssm:/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id';

export function imageSetting(
  configured: string | undefined,
  hasGpu: boolean,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return configured ?? env.DLRUN_EC2_DEFAULT_IMAGE ?? (hasGpu ? DEFAULT_GPU_IMAGE : DEFAULT_CPU_IMAGE);
}

/** An AMI id from `ami-...` or `ssm:/parameter`. */
export async function resolveImage(setting: string, region: string, context: BackendContext): Promise<string> {
  if (!setting.startsWith('ssm:')) return setting;
  const { SSMClient, GetParameterCommand } = ssmSdk();
  // The context's endpoint and keys, as the EC2 client that launches the image has them.
  const ssm = withDeadlines(new SSMClient(clientSettings('SSM', region, context)), context.env);
  const name = setting.slice('ssm:'.length);
  const answer = await aws(`reading the AMI id from the SSM parameter ${name}`, () =>
    ssm.send(new GetParameterCommand({ Name: name })),
  );
  const value = answer.Parameter?.Value;
  if (!value) throw new Error(`the SSM parameter ${name} holds no AMI id`);
  return value;
}

/** The AMI's root device, to size the root volume (`/dev/sda1` on Ubuntu, `/dev/xvda` on Amazon Linux). */
export async function rootDeviceOf(ec2: EC2Client, imageId: string): Promise<string> {
  const { ec2: sdk } = awsSdk();
  const answer = await aws(`describing the AMI ${imageId}`, () =>
    ec2.send(new sdk.DescribeImagesCommand({ ImageIds: [imageId] })),
  );
  return answer.Images?.[0]?.RootDeviceName ?? '/dev/sda1';
}

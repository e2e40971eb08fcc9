import { EC2Client, type EC2ClientConfig, DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { TestContext } from 'vitest';
import { defer } from '../support/cleanup.js';
import { awsClientConfig } from './aws-client-config.js';

/** An image id of the real format; moto accepts any unless MOTO_ENABLE_AMI_VALIDATION is set. */
export const TEST_IMAGE = 'ami-0ed094fb1304fd857';

/** An EC2 client for this test only, its sockets closed when the test ends. */
export function ec2Client(t: TestContext, endpoint: string, overrides: EC2ClientConfig = {}): EC2Client {
  const client = new EC2Client({ ...awsClientConfig(endpoint), ...overrides });
  defer(t, () => client.destroy());
  return client;
}

export function s3Client(t: TestContext, endpoint: string, overrides: S3ClientConfig = {}): S3Client {
  const client = new S3Client({ ...awsClientConfig(endpoint), ...overrides });
  defer(t, () => client.destroy());
  return client;
}

/**
 * Every instance the endpoint knows, whatever its state (moto keeps terminated ones listed,
 * as AWS does for a while).
 */
export async function allInstances(ec2: EC2Client): Promise<Instance[]> {
  const described = await ec2.send(new DescribeInstancesCommand({}));
  return (described.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
}

import type { StartupDefault } from '../../src/cost/backend-pricing.js';

/**
 * How long an EC2 job is billed before its command runs when this ledger has not measured it: EC2 bills from
 * `running` (providers.md 1.7), and from there a Linux instance boots to cloud-init and the user data, which then
 * fetches the workdir and prepares the job. Secondary sources only: ec2-boot-bench measured about 17 s from running
 * to the SSH port answering and 5 s more to it opening on a c5.xlarge (daemonology.net, 2021), and ADMIN magazine
 * found one to two minutes to first availability of a Linux instance (2021). dlrun takes the upper end, 2 minutes,
 * as its Deep Learning AMIs are large and its setup comes on top [U].
 */
export const EC2_STARTUP: StartupDefault = {
  seconds: 120,
  source:
    'EC2 bills from running; a Linux instance takes one to two minutes from launch to first availability ' +
    '(https://www.admin-magazine.com/Articles/Comparing-startup-times-of-Linux-distros-in-the-cloud, 2021; ' +
    'about 23 s from running to SSH on c5.xlarge, ' +
    'http://www.daemonology.net/blog/2021-08-12-EC2-boot-time-benchmarking.html): ' +
    "the upper end, 2 minutes, for a Deep Learning AMI and dlrun's setup",
  as_of: '2026-12-06',
  unconfirmed: true,
};

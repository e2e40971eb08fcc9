import { ruleTable } from '../../../validate/rule-table.js';

/** A stand-in nvidia-smi for the example's PATH: this machine's GPUs as the driver would list them. */
function nvidiaSmi(script: string): { files: Record<string, string>; executable: string[]; pathFirst: string[] } {
  return {
    files: { 'fake-bin/nvidia-smi': `#!/bin/sh\n${script}\n` },
    executable: ['fake-bin/nvidia-smi'],
    pathFirst: ['fake-bin'],
  };
}
const oneT4 = nvidiaSmi('echo "GPU 0: Tesla T4 (UUID: GPU-3f1c2b9a-0000-0000-0000-000000000000)"');
const twoA100 = nvidiaSmi(
  'echo "GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-1)"; echo "GPU 1: NVIDIA A100-SXM4-80GB (UUID: GPU-2)"',
);
const none = nvidiaSmi('echo "No devices were found"; exit 6');
const job = (gpu: string, backend = 'local'): string =>
  `name: g\nrun: echo\nresources:\n  gpu: ${gpu}\nbackend: ${backend}\n`;

ruleTable('local-gpu', [
  { name: 'the GPU the machine has', job: job('T4'), ...oneT4, expect: [] },
  { name: 'an A100-80GB is an NVIDIA A100-SXM4-80GB, two of them', job: job('A100-80GB:2'), ...twoA100, expect: [] },
  {
    name: 'more GPUs than the machine has',
    job: job('T4:2'),
    ...oneT4,
    expect: ['warning job.yaml:4:8'],
    says: /asks for 2 T4, but this machine has 1 Tesla T4/,
  },
  {
    name: 'another model than the machine has',
    job: job('A100'),
    ...oneT4,
    expect: ['warning job.yaml:4:8'],
    says: /asks for 1 A100, but this machine has 1 Tesla T4/,
  },
  {
    name: 'an A10 is not an A10G',
    job: job('A10'),
    ...nvidiaSmi('echo "GPU 0: NVIDIA A10G (UUID: GPU-1)"'),
    expect: ['warning job.yaml:4:8'],
  },
  {
    name: 'a machine with no GPU',
    job: job('T4'),
    ...none,
    expect: ['warning job.yaml:4:8'],
    says: /no GPU \(nvidia-smi finds none\)/,
  },
  {
    name: 'a driver nvidia-smi cannot talk to',
    job: job('T4'),
    ...nvidiaSmi('echo "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver." >&2; exit 9'),
    expect: ['warning job.yaml:4:8'],
    says: /couldn't communicate/,
  },
  {
    name: 'a job that names no backend runs here by default',
    job: 'name: g\nrun: echo\nresources:\n  gpu: T4\n',
    ...none,
    expect: ['warning job.yaml:4:8'],
  },
  { name: 'a job for EC2 is not about this machine', job: job('T4', 'ec2'), ...none, expect: [] },
  { name: 'a job that asks for no GPU', job: 'name: g\nrun: echo\nbackend: local\n', ...none, expect: [] },
]);

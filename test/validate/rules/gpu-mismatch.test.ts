import { ruleTable } from '../rule-table.js';

ruleTable('gpu-mismatch', [
  {
    name: 'a request the instance type meets',
    job: 'name: ok\nrun: echo\nresources:\n  gpu: T4\n  memory: 16GB\nbackends:\n  ec2:\n    instance_type: g4dn.xlarge\n',
    expect: [],
  },
  {
    name: 'another GPU model than the instance type has',
    job: 'name: bad\nrun: echo\nresources:\n  gpu: A100\nbackends:\n  ec2:\n    instance_type: g4dn.xlarge\n',
    expect: ['error job.yaml:7:20'],
    says: /has 1 T4, not A100/,
  },
  {
    name: 'more GPUs than the instance type has',
    job: 'name: bad\nrun: echo\nresources:\n  gpu: T4:4\nbackends:\n  ec2:\n    instance_type: g4dn.xlarge\n',
    expect: ['error job.yaml:7:20'],
    says: /fewer than the 4/,
  },
  {
    name: 'a GPU on a CPU instance type',
    job: 'name: bad\nrun: echo\nresources:\n  gpu: T4\nbackends:\n  ec2:\n    instance_type: m5.large\n',
    expect: ['error job.yaml:7:20'],
    says: /has no GPU/,
  },
  {
    name: 'more memory than the instance type has',
    job: 'name: bad\nrun: echo\nresources:\n  memory: 64GB\nbackends:\n  ec2:\n    instance_type: g4dn.xlarge\n',
    expect: ['error job.yaml:7:20'],
    says: /16 GiB of memory/,
  },
  {
    name: 'a Vertex accelerator on a machine family it does not attach to',
    job: 'name: bad\nrun: echo\nbackends:\n  vertex:\n    machine_type: e2-standard-4\n    accelerator_type: NVIDIA_TESLA_T4\n',
    expect: ['error job.yaml:6:23'],
    says: /does not attach to e2/,
  },
  {
    name: 'a Vertex accelerator that is not the GPU asked for',
    job: 'name: bad\nrun: echo\nresources:\n  gpu: V100\nbackends:\n  vertex:\n    machine_type: n1-standard-8\n    accelerator_type: NVIDIA_TESLA_T4\n',
    expect: ['error job.yaml:8:23'],
    says: /not.*V100|asks for V100/,
  },
  {
    name: 'a T4 on n1 is fine',
    job: 'name: ok\nrun: echo\nresources:\n  gpu: T4\nbackends:\n  vertex:\n    machine_type: n1-standard-8\n    accelerator_type: NVIDIA_TESLA_T4\n',
    expect: [],
  },
]);

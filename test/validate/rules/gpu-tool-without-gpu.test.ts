import { ruleTable } from '../rule-table.js';

ruleTable('gpu-tool-without-gpu', [
  {
    name: 'a GPU asked for, or the tool guarded',
    job: 'name: ok\nrun: |\n  nvidia-smi\n  python3 -c pass\nresources:\n  gpu: T4\nbackend: ec2\n',
    expect: [],
  },
  {
    name: 'guarded calls on a machine without a GPU',
    job: [
      'name: ok',
      'run: |',
      '  nvidia-smi || true',
      '  command -v nvidia-smi && nvidia-smi',
      '  if nvidia-smi -L; then echo gpu; fi',
      'backend: ec2',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'nvidia-smi on a CPU machine',
    job: 'name: cpu\nrun: |\n  nvidia-smi\n  python3 -c pass\nbackend: ec2\n',
    expect: ['warning job.yaml:3:3'],
    says: /no GPU|has none/,
  },
  {
    name: 'an instance type the catalog knows to have no GPU',
    job: 'name: cpu\nrun: nvidia-smi\nbackend: ec2\nbackends:\n  ec2:\n    instance_type: c5.xlarge\n',
    expect: ['warning job.yaml:2:6'],
  },
  {
    name: 'a GPU machine named in the backend block',
    job: 'name: gpu\nrun: nvidia-smi\nbackend: ec2\nbackends:\n  ec2:\n    instance_type: g4dn.xlarge\n',
    expect: [],
  },
  {
    name: 'a portable job may run on this machine, with its GPU',
    job: 'name: any\nrun: nvidia-smi\n',
    expect: [],
  },
]);

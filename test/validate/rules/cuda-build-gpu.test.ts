import { ruleTable } from '../rule-table.js';

const ec2 = (instance: string) => `backend: ec2\nbackends:\n  ec2:\n    instance_type: ${instance}\n`;

ruleTable('cuda-build-gpu', [
  {
    name: 'a cu118 build on an H100',
    job: `name: h100\nsetup: pip install -r requirements.txt\nrun: echo\n${ec2('p5.48xlarge')}`,
    files: {
      'requirements.txt': '--extra-index-url https://download.pytorch.org/whl/cu118\ntorch==2.1.2+cu118\n',
    },
    expect: [],
  },
  {
    name: 'a cu117 build on an A10G (same major architecture as its newest)',
    job:
      'name: a10g\nsetup: pip install torch==1.13.1+cu117 -f https://download.pytorch.org/whl/torch_stable.html\n' +
      `run: echo\n${ec2('g5.xlarge')}`,
    expect: [],
  },
  {
    name: 'no GPU, no judgement',
    job:
      'name: cpu\nsetup: pip install torch==1.8.1+cu102 -f https://download.pytorch.org/whl/torch_stable.html\n' +
      'run: echo\n',
    expect: [],
  },
  {
    name: 'a cu102 build on an A100',
    job: `name: a100\nsetup: pip install -r requirements.txt\nrun: echo\n${ec2('p4d.24xlarge')}`,
    files: {
      'requirements.txt': '-f https://download.pytorch.org/whl/torch_stable.html\ntorch==1.8.1+cu102\n',
    },
    expect: ['error requirements.txt:2'],
    says: /CUDA 10\.2 compiles for 7\.5 at most/,
  },
  {
    name: 'the cu117 index on an H100',
    job: [
      'name: h100',
      'setup: |',
      '  pip install torch==1.13.1 --index-url https://download.pytorch.org/whl/cu117',
      'run: echo',
      ec2('p5.48xlarge'),
    ].join('\n'),
    expect: ['error job.yaml:3'],
  },
]);

import { ruleTable } from '../rule-table.js';

const ubuntu24 = [
  'backend: ec2',
  'backends:',
  '  ec2:',
  '    image: ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
  '',
].join('\n');
const vertex = (image: string) =>
  `backend: vertex\nbackends:\n  vertex:\n    project: research-lab\n` +
  `    region: us-central1\n    container_image: ${image}\n`;

ruleTable('pip-externally-managed', [
  {
    name: 'a venv on Ubuntu 24.04',
    job:
      `name: v\nsetup: |\n  python3 -m venv .venv\n  . .venv/bin/activate\n` +
      `  pip install numpy\nrun: |\n  . .venv/bin/activate\n  python train.py\n${ubuntu24}`,
    files: { 'train.py': '' },
    expect: [],
  },
  {
    name: 'the venv pip by its path',
    job: `name: v\nsetup: |\n  .venv/bin/pip install numpy\nrun: echo\n${ubuntu24}`,
    expect: [],
  },
  {
    name: '--break-system-packages, --target',
    job:
      `name: v\nsetup: |\n  pip install --break-system-packages numpy\n` +
      `  pip install -t libs requests\nrun: echo\n${ubuntu24}`,
    expect: [],
  },
  {
    name: "python:3.12-slim's Python is not the distribution's",
    job: `name: v\nsetup: pip install numpy\nrun: echo\n${vertex('python:3.12-slim')}`,
    expect: [],
  },
  {
    name: 'the default EC2 image (Ubuntu 22.04) has no marker',
    job: 'name: v\nsetup: pip install numpy\nrun: echo\nbackend: ec2\n',
    expect: [],
  },
  {
    name: 'pip install on Ubuntu 24.04',
    job:
      `name: v\nsetup: |\n  sudo apt-get install -y python3-pip\n` +
      `  pip3 install -r requirements.txt\nrun: echo\n${ubuntu24}`,
    files: { 'requirements.txt': 'numpy\n' },
    expect: ['error job.yaml:4:3'],
    says: /externally managed \(PEP 668\)/,
  },
  {
    name: '--user on debian:12',
    job:
      `name: v\nsetup: |\n  apt-get update && apt-get install -y python3-pip\n` +
      `  python3 -m pip install --user numpy\nrun: echo\n${vertex('debian:12')}`,
    expect: ['error job.yaml:4:3'],
    says: /--user does not change that/,
  },
]);

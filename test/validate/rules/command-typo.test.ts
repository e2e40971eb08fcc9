import { ruleTable } from '../rule-table.js';

ruleTable('command-typo', [
  {
    name: 'common commands on every backend',
    job: 'name: ok\nrun: |\n  python3 --version\n  nvidia-smi || true\n  pip list\n  git --version\n',
    backend: 'ec2',
    expect: [],
  },
  {
    name: 'pyhton on EC2',
    job: 'name: typo\nrun: |\n  pyhton train.py\n',
    files: { 'train.py': '' },
    backend: 'ec2',
    expect: ['error job.yaml:3:3'],
    says: /'pyhton' is not a command on ec2 machines .*python/,
  },
  {
    name: 'nvidai-smi on a portable job',
    job: 'name: typo\nrun: nvidai-smi\n',
    expect: ['error job.yaml:2:6'],
    says: /nvidia-smi/,
  },
  {
    name: 'torchrnu after installing torch',
    job: 'name: typo\nsetup: pip install torch==2.3.1\nrun: torchrnu train.py\n',
    files: { 'train.py': '' },
    backend: 'vertex',
    expect: ['error job.yaml:3:6'],
    says: /torchrun/,
  },
  {
    name: 'a console script the job installs is not a typo',
    job: [
      'name: installed',
      'setup: pip install wandb huggingface_hub',
      'run: |',
      '  wandb login --relogin "$WANDB_API_KEY"',
      '  huggingface-cli whoami',
      'secrets: [WANDB_API_KEY]',
      '',
    ].join('\n'),
    backend: 'ec2',
    expect: [],
  },
  {
    name: 'a tool the job installs with apt-get',
    job: 'name: apt\nsetup: apt-get install -y ffmpeg p7zip-full\nrun: |\n  ffmpeg -version\n  7z x data.7z\n',
    backend: 'ec2',
    expect: [],
  },
  {
    name: 'a function the job defines',
    job: 'name: fn\nrun: |\n  train_model() { python3 train.py; }\n  train_model\n',
    files: { 'train.py': '' },
    backend: 'ec2',
    expect: [],
  },
  {
    name: 'a short name one letter from another is not a typo',
    job: 'name: short\nsetup: pip install uv\nrun: |\n  uv pip list\n  fd . || true\n',
    backend: 'ec2',
    expect: [],
  },
  {
    name: 'a swapped short name is',
    job: 'name: swapped\nrun: gti status\n',
    backend: 'ec2',
    expect: ['error job.yaml:2:6'],
    says: /git/,
  },
  {
    name: 'under sudo and env, the command they run is checked',
    job: 'name: wrapped\nrun: sudo env A=1 pyhton3 -V\n',
    backend: 'ec2',
    expect: ['error job.yaml:2:19'],
  },
  {
    name: 'a command not on this machine, for the local backend, is a warning',
    job: 'name: local\nrun: some-tool-nobody-has --help\nbackend: local\n',
    expect: ['warning job.yaml:2:6'],
  },
  {
    name: 'a command far from every known one is not reported for a cloud',
    job: 'name: unknown\nrun: mytool --train\n',
    backend: 'ec2',
    expect: [],
  },
]);

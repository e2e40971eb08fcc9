import { ruleTable } from '../rule-table.js';

ruleTable('ssh-without-key', [
  {
    name: 'https addresses, and local paths with a colon',
    job: [
      'name: ok',
      'setup: |',
      '  git clone https://github.com/karpathy/nanoGPT.git',
      '  pip install git+https://github.com/huggingface/peft.git',
      '  rsync -a data/ "$DLRUN_OUTPUT_DIR/data/"',
      'run: echo',
      'backend: ec2',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'a deploy key from secrets, written by the job',
    job: [
      'name: ok',
      'secrets: [DEPLOY_KEY]',
      'setup: |',
      '  mkdir -p ~/.ssh && printf "%s\\n" "$DEPLOY_KEY" > ~/.ssh/id_ed25519 && chmod 600 ~/.ssh/id_ed25519',
      '  ssh-keyscan github.com >> ~/.ssh/known_hosts',
      '  git clone git@github.com:team/private-lib.git',
      'run: echo',
      'backend: ec2',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'git clone over SSH with no key',
    job: 'name: ssh\nsetup: |\n  git clone git@github.com:team/trainer.git\nrun: echo\nbackend: vertex\n',
    expect: ['error job.yaml:3:13'],
    says: /over SSH/,
  },
  {
    name: 'pip from a git+ssh URL, and scp from a lab server',
    job: [
      'name: ssh',
      'setup: |',
      '  pip install git+ssh://git@github.com/team/utils.git',
      '  scp lab@gpu-box.example.com:/data/train.tar .',
      'run: echo',
      'backend: rescale',
      '',
    ].join('\n'),
    expect: ['error job.yaml:3:15', 'error job.yaml:4:7'],
  },
  {
    name: 'a job for this machine uses its SSH keys',
    job: 'name: here\nbackend: local\nsetup: git clone git@github.com:team/trainer.git || true\nrun: echo\n',
    expect: [],
  },
]);

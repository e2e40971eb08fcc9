import { ruleTable } from '../rule-table.js';

ruleTable('subcommand-typo', [
  {
    name: 'correct subcommands',
    job: [
      'name: ok',
      'setup: |',
      '  pip install -q numpy',
      '  python3 -m pip install --upgrade pip',
      '  apt-get -y install curl',
      '  conda create -y -n env python=3.11',
      '  git -C repo pull',
      '  python3 -m torch.distributed.run --help || true',
      'run: echo',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'pip instal',
    job: 'name: pip\nsetup: pip instal numpy\nrun: echo\n',
    expect: ['error job.yaml:2:12'],
    says: /'instal' is not a subcommand of pip.*install/,
  },
  {
    name: 'python -m pip isntall',
    job: 'name: pip\nsetup: python3 -m pip isntall numpy\nrun: echo\n',
    expect: ['error job.yaml:2:23'],
    says: /of python3 -m pip.*install/,
  },
  {
    name: 'git clnoe',
    job: 'name: git\nsetup: git clnoe https://example.com/x.git\nrun: echo\n',
    expect: ['error job.yaml:2:12'],
    says: /clone/,
  },
  {
    name: 'apt-get isntall',
    job: 'name: apt\nsetup: apt-get -y isntall curl\nrun: echo\n',
    expect: ['error job.yaml:2:19'],
    says: /install/,
  },
  {
    name: 'conda craete',
    job: 'name: conda\nsetup: conda craete -y -n env\nrun: echo\n',
    expect: ['error job.yaml:2:14'],
    says: /create/,
  },
  {
    name: 'python -m torch.distributed.lauch',
    job: 'name: module\nrun: python3 -m torch.distributed.lauch train.py\n',
    expect: ['error job.yaml:2:17'],
    says: /torch\.distributed\.launch/,
  },
  { name: "the user's own module is not a typo", job: 'name: own\nrun: python3 -m mypackage.train\n', expect: [] },
]);

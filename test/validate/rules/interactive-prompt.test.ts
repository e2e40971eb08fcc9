import { ruleTable } from '../rule-table.js';

ruleTable('interactive-prompt', [
  {
    name: 'answers given in advance',
    job: [
      'name: ok',
      'setup: |',
      '  apt-get update',
      '  apt-get install -y git',
      '  DEBIAN_FRONTEND=noninteractive apt-get -qq install curl',
      '  conda install --yes numpy',
      '  yes | conda create -n env',
      '  pip uninstall -y foo',
      'run: echo',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'apt-get install without -y',
    job: 'name: apt\nsetup: |\n  apt-get update\n  apt-get install git\nrun: echo\n',
    expect: ['error job.yaml:4:3'],
    says: /apt-get install -y/,
  },
  {
    name: 'sudo apt install without -y',
    job: 'name: apt\nsetup: sudo apt install htop\nrun: echo\n',
    expect: ['error job.yaml:2:13'],
  },
  {
    name: 'conda install without -y',
    job: 'name: conda\nsetup: conda install -c conda-forge numpy\nrun: echo\n',
    expect: ['error job.yaml:2:8'],
  },
  {
    name: 'CONDA_ALWAYS_YES in env answers conda',
    job: 'name: conda\nenv:\n  CONDA_ALWAYS_YES: "true"\nsetup: conda install numpy\nrun: echo\n',
    expect: [],
  },
  {
    name: 'pip uninstall without -y',
    job: 'name: pip\nsetup: pip uninstall torch\nrun: echo\n',
    expect: ['error job.yaml:2:8'],
  },
]);

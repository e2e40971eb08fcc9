import { ruleTable } from '../rule-table.js';

ruleTable('alias-not-expanded', [
  {
    name: 'aliases with expand_aliases, a function, and an alias never used',
    job: [
      'name: ok',
      'run: |',
      '  shopt -s expand_aliases',
      '  alias py=python3',
      '  py -c pass',
      '  alias ll="ls -l"',
      '  runpy() { python3 "$@"; }',
      '  runpy -c pass',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'an alias for a command the machine does not have',
    job: 'name: alias\nrun: |\n  alias tb=tensorboard\n  tb --logdir runs &\n  wait\n',
    backend: 'ec2',
    expect: ['error job.yaml:4:3'],
    says: /does not expand aliases/,
  },
  {
    name: 'an alias over a command the machine has: it runs the machine one (a warning)',
    job: 'name: alias\nrun: |\n  alias python=python3\n  python -c pass\n',
    backend: 'ec2',
    expect: ['warning job.yaml:4:3'],
  },
  {
    name: 'a file run by sh, which expands aliases',
    job: 'name: sh\nrun: sh tools.sh\n',
    files: { 'tools.sh': 'alias tb=tensorboard\ntb --version\n' },
    backend: 'ec2',
    expect: [],
  },
]);

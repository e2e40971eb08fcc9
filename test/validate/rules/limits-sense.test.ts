import { ruleTable } from '../rule-table.js';

ruleTable('limits-sense', [
  { name: 'the default 24h limit on a cloud', job: 'name: ok\nrun: echo\nbackend: ec2\n', expect: [] },
  {
    name: 'unlimited on a cloud with no max_cost',
    job: 'name: unbounded\nrun: echo\nlimits:\n  max_runtime: unlimited\nbackend: ec2\n',
    expect: ['warning job.yaml:4:16'],
    says: /nothing but you stops this job/,
  },
  {
    name: 'unlimited with a max_cost is bounded',
    job: 'name: ok\nrun: echo\nlimits:\n  max_runtime: unlimited\n  max_cost: 20\nbackend: vertex\n',
    expect: [],
  },
  {
    name: 'shorter than a Rescale start-up',
    job: 'name: short\nrun: echo\nlimits:\n  max_runtime: 3m\nbackend: rescale\n',
    expect: ['warning job.yaml:4:16'],
    says: /4 to 8 minutes/,
  },
  {
    name: 'a budget on a free machine',
    job: 'name: free\nrun: echo\nlimits:\n  max_cost: 5\nbackend: local\n',
    expect: ['warning job.yaml:4:13'],
    says: /counts as free/,
  },
  {
    name: 'unlimited on a big machine says what a day of it costs',
    job: [
      'name: big',
      'run: echo',
      'limits:',
      '  max_runtime: unlimited',
      'backend: ec2',
      'backends:',
      '  ec2:',
      '    region: us-east-1',
      '    instance_type: p4d.24xlarge',
      '',
    ].join('\n'),
    expect: ['warning job.yaml:4:16'],
    says: /p4d\.24xlarge costs \$[\d.]+ an hour, \$\d+ a day/,
  },
]);

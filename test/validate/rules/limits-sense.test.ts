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
    name: 'shorter than the shortest Rescale start-up',
    job: 'name: short\nrun: echo\nlimits:\n  max_runtime: 3m\nbackend: rescale\n',
    expect: ['error job.yaml:4:16'],
    says: /4 to 8 minutes/,
  },
  {
    name: 'shorter than the longest Rescale start-up only',
    job: 'name: short\nrun: echo\nlimits:\n  max_runtime: 5m\nbackend: rescale\n',
    expect: ['warning job.yaml:4:16'],
    says: /may end before a Rescale machine is even up/,
  },
  {
    name: 'as long as the longest Rescale start-up',
    job: 'name: ok\nrun: echo\nlimits:\n  max_runtime: 8m\nbackend: rescale\n',
    expect: [],
  },
  {
    name: 'shorter than the billed EC2 start-up (its price rules say 120 s)',
    job: ['name: short', 'run: echo', 'limits:', '  max_runtime: 90s', 'backend: ec2', 'backends:', '  ec2:']
      .concat(['    region: us-east-1', ''])
      .join('\n'),
    expect: ['error job.yaml:4:16'],
    says: /stopped before it trains.*max_runtime well above 2m/,
  },
  {
    name: 'shorter than the billed Vertex AI start-up (300 s)',
    job: 'name: short\nrun: echo\nlimits:\n  max_runtime: 3m\nbackend: vertex\n',
    expect: ['error job.yaml:4:16'],
    says: /about 300 s/,
  },
  {
    name: 'longer than the start-up: silent',
    job: 'name: ok\nrun: echo\nlimits:\n  max_runtime: 10m\nbackend: vertex\n',
    expect: [],
  },
  {
    name: 'EC2 a little past its start-up: silent',
    job: 'name: ok\nrun: echo\nlimits:\n  max_runtime: 3m\nbackend: ec2\n',
    expect: [],
  },
  {
    name: 'a job that names no backend is warned once for each backend it may be stopped on',
    job: 'name: short\nrun: echo\nlimits:\n  max_runtime: 90s\n',
    expect: ['warning job.yaml:4:16', 'warning job.yaml:4:16', 'warning job.yaml:4:16'],
  },
  {
    name: 'a short limit on this machine is no start-up matter',
    job: 'name: ok\nrun: echo\nlimits:\n  max_runtime: 30s\nbackend: local\n',
    expect: [],
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

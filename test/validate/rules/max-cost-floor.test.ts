import { ruleTable } from '../rule-table.js';

ruleTable('max-cost-floor', [
  {
    name: 'a budget that pays for the start-up and hours of training',
    job: 'name: ok\nrun: echo\nlimits:\n  max_cost: 5\nbackend: vertex\n',
    expect: [],
  },
  {
    name: 'a budget spent before a Vertex AI machine is up',
    job: 'name: cheap\nrun: echo\nlimits:\n  max_cost: 0.01\nbackend: vertex\n',
    expect: ['error job.yaml:4:13'],
    says: /stopped before it trains/,
  },
  {
    name: 'a budget below the start-up of a large EC2 machine',
    job: [
      'name: big',
      'run: echo',
      'limits:',
      '  max_cost: 0.5',
      'backend: ec2',
      'backends:',
      '  ec2:',
      '    region: us-east-1',
      '    instance_type: p4d.24xlarge',
      '',
    ].join('\n'),
    expect: ['error job.yaml:4:13'],
  },
  {
    name: 'the same budget on a small EC2 machine pays for a start',
    job: [
      'name: small',
      'run: echo',
      'limits:',
      '  max_cost: 0.5',
      'backend: ec2',
      'backends:',
      '  ec2:',
      '    region: us-east-1',
      '    instance_type: g4dn.xlarge',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'a portable job may never go there: a warning',
    job: 'name: cheap\nrun: echo\nresources:\n  gpu: T4\nlimits:\n  max_cost: 0.005\n',
    env: { AWS_REGION: 'us-east-1' },
    expect: ['warning job.yaml:6:13'],
    says: /smallest charge on ec2/,
  },
  {
    name: 'no price without a region: nothing said (quote and submit say why)',
    job: 'name: noregion\nrun: echo\nlimits:\n  max_cost: 0.001\nbackend: ec2\n',
    expect: [],
  },
  {
    name: 'the local backend costs nothing to start',
    job:
      'name: here\nrun: echo\nlimits:\n  max_cost: 0.01\n' +
      'backend: local\nbackends:\n  local:\n    hourly_rate: 0.3\n',
    expect: [],
  },
]);

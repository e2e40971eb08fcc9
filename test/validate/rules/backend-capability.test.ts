import { ruleTable } from '../rule-table.js';

ruleTable('backend-capability', [
  { name: 'a multi-node job for EC2', job: 'name: ok\nrun: echo\nresources:\n  nodes: 4\nbackend: ec2\n', expect: [] },
  {
    name: 'a multi-node job for the local backend',
    job: 'name: bad\nrun: echo\nresources:\n  nodes: 2\nbackend: local\n',
    expect: ['error job.yaml:4:10'],
    says: /this one machine/,
  },
  {
    name: 'a portable multi-node job is warned about the local backend only',
    job: 'name: portable\nrun: echo\nresources:\n  nodes: 2\n',
    expect: ['warning job.yaml:4:10'],
  },
  {
    name: 'spot on the local backend is ignored, with a warning',
    job: 'name: spot\nrun: echo\nresources:\n  spot: true\nbackend: local\n',
    expect: ['warning job.yaml:4:9'],
  },
]);

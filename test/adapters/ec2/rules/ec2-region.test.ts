import { ruleTable } from '../../../validate/rule-table.js';

const ec2Job = (region: string): string =>
  `name: r\nrun: echo\nbackend: ec2\nbackends:\n  ec2:\n    region: ${region}\n`;

ruleTable('ec2-region', [
  { name: 'the region dlrun has prices for', job: ec2Job('us-east-1'), expect: [] },
  { name: 'a region dlrun has prices for besides us-east-1', job: ec2Job('eu-west-1'), expect: [] },
  {
    name: 'a region dlrun has no prices for (submit and quote refuse it)',
    job: ec2Job('af-south-1'),
    expect: ['error job.yaml:6:13'],
    says: /no EC2 prices for af-south-1.*ap-northeast-1, eu-central-1, eu-west-1, us-east-1, us-east-2, us-west-2/,
  },
  {
    name: 'a name that is no AWS region',
    job: ec2Job('us-eest-1'),
    expect: ['error job.yaml:6:13'],
    says: /'us-eest-1' is not an AWS region.*us-east-1/,
  },
  {
    name: 'no region in the file: AWS_REGION decides, as at submit',
    job: 'name: r\nrun: echo\nbackend: ec2\n',
    env: { AWS_REGION: 'ap-south-1' },
    expect: ['error job.yaml:3:10'],
    says: /AWS_REGION says ap-south-1/,
  },
  {
    name: "the file's region wins over AWS_REGION",
    job: ec2Job('us-east-1'),
    env: { AWS_REGION: 'ap-south-1' },
    expect: [],
  },
  {
    name: 'a job that names no backend: a warning, it may never go to EC2',
    job: 'name: r\nrun: echo\n',
    env: { AWS_DEFAULT_REGION: 'sa-east-1' },
    expect: ['warning job.yaml:1'],
    says: /AWS_DEFAULT_REGION says sa-east-1/,
  },
  {
    name: 'a job for this machine only',
    job: 'name: r\nrun: echo\nbackend: local\n',
    env: { AWS_REGION: 'eu-west-1' },
    expect: [],
  },
]);

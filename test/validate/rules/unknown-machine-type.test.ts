import { ruleTable } from '../rule-table.js';

ruleTable('unknown-machine-type', [
  {
    name: 'known names',
    job: [
      'name: ok',
      'run: echo',
      'resources:',
      '  gpu: A10G',
      'backends:',
      '  ec2:',
      '    instance_type: g5.xlarge',
      '  vertex:',
      '    machine_type: n1-standard-4',
      '    accelerator_type: NVIDIA_TESLA_T4',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'an instance type one letter off',
    job: 'name: typo\nrun: echo\nbackends:\n  ec2:\n    instance_type: g4dn.xlarg\n',
    expect: ['error job.yaml:5:20'],
    says: /g4dn\.xlarge/,
  },
  {
    name: 'an accelerator one letter off',
    job: 'name: typo\nrun: echo\nbackends:\n  vertex:\n    accelerator_type: NVIDIA_TESLA_T5\n',
    expect: ['error job.yaml:5:23'],
    says: /NVIDIA_TESLA_T4/,
  },
  {
    name: 'a GPU one letter off',
    job: 'name: typo\nrun: echo\nresources:\n  gpu: V10\n',
    expect: ['error job.yaml:4:8'],
    says: /V100/,
  },
  {
    name: 'a job for this machine may name a GPU no cloud rents',
    job: 'name: desk\nrun: echo\nbackend: local\nresources:\n  gpu: RTX4090\n',
    expect: [],
  },
  {
    name: 'a name far from every known one may be newer than the catalog',
    job: 'name: new\nrun: echo\nbackends:\n  ec2:\n    instance_type: zz9.galactic\n',
    expect: ['warning job.yaml:5:20'],
    says: /catalog was read on/,
  },
]);

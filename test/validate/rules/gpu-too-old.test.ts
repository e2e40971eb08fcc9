import { ruleTable } from '../rule-table.js';

ruleTable('gpu-too-old', [
  {
    name: 'a T4 with current PyTorch',
    job: 'name: ok\nrun: echo\nframework: pytorch==2.3.1\nresources:\n  gpu: T4\n',
    expect: [],
  },
  {
    name: 'a K520 (g2) with current PyTorch',
    job: 'name: old\nrun: echo\nframework: pytorch==2.3.1\nbackends:\n  ec2:\n    instance_type: g2.2xlarge\n',
    expect: ['error job.yaml:6:20'],
    says: /does not run on g2\.2xlarge \(K520, compute capability 3/,
  },
  {
    name: 'a K80 (p2) with PyTorch 2.8',
    job: 'name: old\nrun: echo\nframework: pytorch==2.8.0\nresources:\n  gpu: K80\n',
    expect: ['error job.yaml:5:8'],
  },
  {
    name: 'a K80 with TensorFlow 2.16',
    job: 'name: old\nrun: echo\nframework: tensorflow==2.16.1\nresources:\n  gpu: K80\n',
    expect: ['error job.yaml:5:8'],
  },
  {
    name: 'no framework pinned, nothing to check',
    job: 'name: unpinned\nrun: echo\nresources:\n  gpu: K80\n',
    expect: [],
  },
]);

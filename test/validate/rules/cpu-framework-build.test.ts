import { ruleTable } from '../rule-table.js';

ruleTable('cpu-framework-build', [
  {
    name: 'CUDA builds on a GPU machine, and CPU builds on a machine without one',
    job: [
      'name: ok',
      'setup: |',
      '  pip install torch==2.3.1+cu121 --index-url https://download.pytorch.org/whl/cu121',
      '  pip install -r requirements.txt',
      'run: python -c pass',
      'resources:',
      '  gpu: T4',
      '',
    ].join('\n'),
    files: { 'requirements.txt': 'jax[cuda12]==0.4.30\ntensorflow==2.16.1\n' },
    expect: [],
  },
  {
    name: 'no GPU: a CPU build is right',
    job: 'name: cpu\nsetup: pip install torch --index-url https://download.pytorch.org/whl/cpu\nrun: python -c pass\n',
    expect: [],
  },
  {
    name: "PyTorch's CPU index on a T4",
    job: [
      'name: cpu-index',
      'setup: pip install torch torchvision --index-url https://download.pytorch.org/whl/cpu',
      'run: python -c pass',
      'resources:',
      '  gpu: T4',
      '',
    ].join('\n'),
    expect: ['warning job.yaml:2:38'],
    says: /CPU-only index/,
  },
  {
    name: 'a +cpu pin and tensorflow-cpu in requirements files',
    job: 'name: req\nsetup: pip install -r requirements.txt\nrun: python -c pass\nresources:\n  gpu: A10G\n',
    files: { 'requirements.txt': 'numpy==1.26.4\ntorch==2.3.1+cpu\ntensorflow-cpu==2.16.1  # for the exporter\n' },
    expect: ['warning requirements.txt:2', 'warning requirements.txt:3'],
  },
]);

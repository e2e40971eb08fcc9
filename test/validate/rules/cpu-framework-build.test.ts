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
  {
    name: 'the CPU index in a nested requirements file, a pyproject.toml extra and a conda environment file',
    job: [
      'name: req',
      'setup: |',
      '  pip install -r requirements/base.txt',
      '  pip install -e ".[export]"',
      '  conda env create -f environment.yml',
      'run: python -c pass',
      'resources:',
      '  gpu: A10G',
      '',
    ].join('\n'),
    files: {
      'requirements/base.txt': 'numpy\n-r torch.txt\n',
      'requirements/torch.txt': '--index-url https://download.pytorch.org/whl/cpu\ntorch==2.3.1\n',
      'pyproject.toml': '[project]\nname = "m"\n[project.optional-dependencies]\nexport = ["onnx", "jax[cpu]"]\n',
      'environment.yml': 'dependencies:\n  - pip:\n    - tensorflow-cpu==2.16.1\n',
    },
    expect: ['warning environment.yml:3', 'warning pyproject.toml:4', 'warning requirements/torch.txt:1'],
  },
  {
    name: 'a CPU pin only as a constraint, and extras not installed',
    job: [
      'name: ok',
      'setup: |',
      '  pip install -c constraints.txt -r requirements.txt',
      '  pip install -e .',
      'run: python -c pass',
      'resources:',
      '  gpu: A10G',
      '',
    ].join('\n'),
    files: {
      'constraints.txt': 'torch==2.3.1+cpu\n',
      'requirements.txt': 'numpy\n',
      'pyproject.toml': '[project]\nname = "m"\n[project.optional-dependencies]\ncpu = ["torch==2.3.1+cpu"]\n',
    },
    expect: [],
  },
]);

import { ruleTable } from '../rule-table.js';

const job = 'name: reqs\nsetup: pip install -r requirements.txt\nrun: echo done\n';

ruleTable('local-version-index', [
  {
    name: 'the index in the requirements file',
    job,
    files: { 'requirements.txt': '--extra-index-url https://download.pytorch.org/whl/cu121\ntorch==2.3.1+cu121\n' },
    expect: [],
  },
  {
    name: 'the index on the pip line',
    job: [
      'name: reqs',
      'setup: |',
      '  pip install torch==2.3.1+cu118 torchvision==0.18.1+cu118 --index-url https://download.pytorch.org/whl/cu118',
      'run: echo',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'find-links, or an index from a variable',
    job: [
      'name: reqs',
      'setup: |',
      '  pip install torch==2.3.1+cu121 -f https://download.pytorch.org/whl/torch_stable.html',
      '  pip install torchvision==0.18.1+cu121 --extra-index-url "$TORCH_INDEX"',
      'run: echo',
      'env:',
      '  TORCH_INDEX: https://download.pytorch.org/whl/cu121',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'PIP_EXTRA_INDEX_URL in env',
    job: `${job}env:\n  PIP_EXTRA_INDEX_URL: https://download.pytorch.org/whl/cu121\n`,
    files: { 'requirements.txt': 'torch==2.3.1+cu121\n' },
    expect: [],
  },
  {
    name: 'the index in the including file reaches the nested one',
    job,
    files: {
      'requirements.txt': '-i https://download.pytorch.org/whl/cu121\n-r requirements/gpu.txt\n',
      'requirements/gpu.txt': 'torch==2.3.1+cu121\n',
    },
    expect: [],
  },
  {
    name: 'a +cu121 pin with PyPI only',
    job,
    files: { 'requirements.txt': 'numpy\ntorch==2.3.1+cu121\ntorchvision\n' },
    expect: ['error requirements.txt:2'],
    says: /--extra-index-url https:\/\/download\.pytorch\.org\/whl\/cu121/,
  },
  {
    name: 'a +cu121 pin on the cu118 index',
    job:
      'name: reqs\nsetup: pip install torch==2.3.1+cu121 --index-url https://download.pytorch.org/whl/cu118\n' +
      'run: echo\n',
    expect: ['error job.yaml:2'],
    says: /\+cu118/,
  },
  {
    name: 'a local label that is no framework build may come from a private index',
    job,
    files: { 'requirements.txt': 'mylib==1.4.0+acme.2\n' },
    expect: [],
  },
  {
    name: "pip install . reads the project's pyproject.toml: a +cu pin there needs an index too",
    job: 'name: pkg\nsetup: pip install .[train]\nrun: echo done\n',
    files: {
      'pyproject.toml':
        '[project]\nname = "pkg"\ndependencies = [\n  "numpy",\n]\n' +
        '[project.optional-dependencies]\ntrain = ["torch==2.3.1+cu121"]\neval = ["torchvision==0.18.1+cu121"]\n',
    },
    expect: ['error pyproject.toml:7'],
  },
  {
    name: "pyproject.toml's +cu pins with the index on the pip line, or extras not installed",
    job: [
      'name: pkg',
      'setup: |',
      '  pip install -e . --extra-index-url https://download.pytorch.org/whl/cu121',
      '  pip install --no-deps -e ".[eval]"',
      'run: echo',
      '',
    ].join('\n'),
    files: {
      'pyproject.toml':
        '[project]\nname = "pkg"\ndependencies = ["torch==2.3.1+cu121"]\n' +
        '[project.optional-dependencies]\neval = ["torchvision==0.18.1+cu121"]\n',
    },
    expect: [],
  },
  {
    name: "an extra naming the project's own extras (all = ['pkg[train]']) is followed",
    job: 'name: pkg\nsetup: pip install -e ".[All]"\nrun: echo done\n',
    files: {
      'pyproject.toml':
        '[project]\nname = "My.Pkg"\n[project.optional-dependencies]\n' +
        'train = ["torch==2.3.1+cu121"]\nall = ["my_pkg[train]"]\n',
    },
    expect: ['error pyproject.toml:4'],
  },
  {
    name: "a conda environment file's pip section: its own --extra-index-url applies to every entry",
    job: 'name: env\nsetup: conda env create -f envs/train.yml\nrun: echo done\n',
    files: {
      'envs/train.yml':
        'name: train\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip\n  - pip:\n' +
        '      - --extra-index-url https://download.pytorch.org/whl/cu121\n' +
        '      - torch==2.3.1+cu121\n',
    },
    expect: [],
  },
  {
    name: "a conda environment file's pip section without an index (conda env create reads environment.yml)",
    job: 'name: env\nsetup: |\n  conda env create\n  mamba env update --file=other.yaml\nrun: echo done\n',
    files: {
      'environment.yml':
        'name: train\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip\n  - pip:\n' +
        '      - numpy<2\n      - "torch==2.3.1+cu121"\n',
      'other.yaml':
        'dependencies:\n  - pip:\n    - -f https://download.pytorch.org/whl/torch_stable.html\n' +
        '    - torchvision==0.18.1+cu121\n',
    },
    expect: ['error environment.yml:9'],
  },
]);

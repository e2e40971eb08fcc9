import { ruleTable } from '../rule-table.js';

const job = 'name: reqs\nsetup: pip install -r requirements.txt\nrun: echo done\n';

ruleTable('requirement-syntax', [
  {
    name: 'every form pip accepts',
    job,
    files: {
      'requirements.txt': [
        '# pinned for the paper',
        'torch==2.3.1+cu121 ; platform_system == "Linux"',
        'numpy>=1.24,<2.0',
        'tensorflow[and-cuda]==2.15.*',
        'pandas ~= 2.1',
        'scipy (>=1.10)',
        'requests @ https://github.com/psf/requests/archive/refs/tags/v2.31.0.zip',
        'pkg @ git+https://github.com/org/pkg.git@v1.0 ; python_version >= "3.9"',
        'git+https://github.com/huggingface/transformers.git#egg=transformers',
        './vendor/mylib',
        'dist/tool-1.0-py3-none-any.whl',
        'protobuf===3.20.3',
        'numpy==1.26.4 \\',
        '    --hash=sha256:0123456789abcdef',
        'Pillow>=10.0.0.post1  # inline comment',
        'black==24.1.0rc1',
        'local-thing==1.0.dev3',
        'wandb; python_version>"3.7"',
        'accelerate>=${ACCELERATE_MIN}',
        '-e .',
        '--extra-index-url https://download.pytorch.org/whl/cu121',
        '',
      ].join('\n'),
      'vendor/mylib/setup.py': '',
      'dist/tool-1.0-py3-none-any.whl': '',
      'pyproject.toml': '',
    },
    backend: 'ec2',
    expect: [],
  },
  {
    name: "a single '=' in a requirements file",
    job,
    files: { 'requirements.txt': 'numpy==1.26.4\ntorch=2.3.1\n' },
    expect: ['error requirements.txt:2'],
    says: /'=' is not a version operator; use '==' \(torch==2\.3\.1\)/,
  },
  {
    name: 'a version with no operator',
    job,
    files: { 'requirements.txt': 'transformers 4.40.0\n' },
    expect: ['error requirements.txt:1'],
    says: /no comparison operator/,
  },
  {
    name: 'two clauses without a comma',
    job,
    files: { 'requirements.txt': 'torch>=2.0<3.0\n' },
    expect: ['error requirements.txt:1'],
  },
  {
    name: '~= with one number',
    job: 'name: reqs\nsetup: pip install "numpy~=2"\nrun: echo\n',
    expect: ['error job.yaml:2'],
    says: /two release numbers/,
  },
  {
    name: 'a nested requirements file, found relative to the including file',
    job,
    files: { 'requirements.txt': '-r reqs/base.txt\n', 'reqs/base.txt': 'numpy\nscipy=>1.10\n' },
    expect: ['error reqs/base.txt:2'],
    says: /use '>='/,
  },
  {
    name: 'a UTF-8 file with a byte-order mark and CRLF lines, read as pip reads it',
    job,
    files: { 'requirements.txt': `\ufeff${'numpy==1.26.4\r\ntorch=2.3.1\r\n'}` },
    expect: ['error requirements.txt:2'],
  },
  {
    name: 'an unquoted >= on the pip line is a redirect',
    job: 'name: reqs\nsetup: |\n  pip install torch>=2.0 numpy\nrun: echo\n',
    expect: ['error job.yaml:3'],
    says: /redirect/,
  },
  {
    name: 'a quoted range on the pip line',
    job: 'name: reqs\nsetup: |\n  pip install "torch>=2.0" \'numpy<2\' > 1.log 2>&1\nrun: echo\n',
    expect: [],
  },
  {
    name: "a pyproject.toml's dependency with an invalid specifier, read when the job installs the folder",
    job: 'name: pkg\nsetup: pip install -e ".[dev]"\nrun: echo\n',
    files: {
      'pyproject.toml':
        '[project]\nname = "pkg"\ndependencies = [\n  "numpy>=1.26",\n  "torch=2.3.1",\n]\n' +
        '[project.optional-dependencies]\ndev = ["pytest>=8"]\n',
    },
    expect: ['error pyproject.toml:5'],
  },
  {
    name: "a conda environment file's pip entries, and a -r there read from the environment file's folder",
    job: 'name: env\nsetup: micromamba create -y -f envs/gpu.yml\nrun: echo\n',
    files: {
      'envs/gpu.yml':
        'name: gpu\ndependencies:\n  - python=3.10\n  - pip:\n    - transformers=4.41.2\n    - -r requirements.txt\n',
      'envs/requirements.txt': 'numpy>=1.26\ndatasets 2.19\n',
    },
    expect: ['error envs/gpu.yml:5', 'error envs/requirements.txt:2'],
  },
]);

import { ruleTable } from '../rule-table.js';

const job = 'name: reqs\nsetup: pip install -r requirements.txt\nrun: echo done\nbackend: ec2\n';

ruleTable('requirement-local-file', [
  {
    name: 'relative paths and remote URLs',
    job,
    files: {
      'requirements.txt':
        'numpy==1.26.4\n./libs/x\nfoo @ https://example.com/foo-1.0.tar.gz\n/opt/wheels/bar-1.0-py3-none-any.whl\n',
      'libs/x/setup.py': '',
    },
    expect: [],
  },
  {
    name: "pip freeze's conda build path",
    job,
    files: {
      'requirements.txt': 'numpy==1.26.4\ncertifi @ file:///croot/certifi_1707229174982/work/certifi\ntorch==2.3.1\n',
    },
    expect: ['error requirements.txt:2'],
    says: /\/croot\/certifi/,
  },
  {
    name: 'a wheel on a Mac',
    job,
    files: { 'requirements.txt': '/Users/ana/Downloads/mylib-0.3-py3-none-any.whl\n' },
    expect: ['error requirements.txt:1'],
  },
  {
    name: 'a Windows build path',
    job,
    files: { 'requirements.txt': 'pywin @ file:///D:/bld/pywin_123/work\n' },
    expect: ['error requirements.txt:1'],
  },
  {
    name: 'a job that only runs here may use its own files',
    job: 'name: reqs\nsetup: pip install -r requirements.txt\nrun: echo done\nbackend: local\n',
    files: { 'requirements.txt': 'mylib @ file:///Users/ana/src/mylib\n' },
    expect: [],
  },
  {
    name: "a pyproject.toml's dependency on a file of someone's computer",
    job: 'name: pkg\nsetup: pip install .\nrun: echo\nbackend: ec2\n',
    files: {
      'pyproject.toml':
        '[project]\nname = "pkg"\ndependencies = [\n' +
        '  "tokenizer @ file:///Users/ana/code/tokenizer/dist/tokenizer-0.1-py3-none-any.whl",\n]\n',
    },
    expect: ['error pyproject.toml:4'],
  },
]);

import { ruleTable } from '../rule-table.js';

const vertex = (image: string) =>
  `backend: vertex\nbackends:\n  vertex:\n    project: research-lab\n` +
  `    region: us-central1\n    container_image: ${image}\n`;

ruleTable('no-wheel-for-python', [
  {
    name: 'a torch release with wheels for the image',
    job: `name: w\nsetup: pip install -r requirements.txt\nrun: echo\n${vertex('python:3.12-slim')}`,
    files: { 'requirements.txt': 'torch==2.3.1\nnumpy==1.26.4\n' },
    expect: [],
  },
  {
    name: 'a marker that keeps the pin from this Python',
    job: `name: w\nsetup: pip install -r requirements.txt\nrun: echo\n${vertex('python:3.12-slim')}`,
    files: { 'requirements.txt': 'torch==1.13.1; python_version < "3.11"\ntorch==2.3.1; python_version >= "3.11"\n' },
    expect: [],
  },
  {
    name: 'a job with a Python of its own',
    job:
      `name: w\nsetup: |\n  uv venv --python 3.10 .venv\n` +
      `  uv pip install torch==1.13.1\nrun: echo\n${vertex('python:3.12-slim')}`,
    expect: [],
  },
  {
    name: 'an image whose Python is unknown',
    job: `name: w\nsetup: pip install torch==1.13.1\nrun: echo\n${vertex('gcr.io/me/train:1')}`,
    expect: [],
  },
  {
    name: 'torch 1.13 on Python 3.12',
    job: `name: w\nsetup: pip install -r requirements.txt\nrun: echo\n${vertex('python:3.12-slim')}`,
    files: { 'requirements.txt': 'numpy\ntorch==1.13.1\n' },
    expect: ['error requirements.txt:2'],
    says: /Python 3\.7 to 3\.10, not for the Python 3\.12/,
  },
  {
    name: 'tensorflow 2.12 on Python 3.12',
    job: `name: w\nsetup: pip install tensorflow==2.12.0\nrun: echo\n${vertex('python:3.12')}`,
    expect: ['error job.yaml:2'],
  },
  {
    name: 'numpy 1.24 on Python 3.12 is built from source: a warning',
    job: `name: w\nsetup: pip install numpy==1.24.4\nrun: echo\n${vertex('python:3.12-slim')}`,
    expect: ['warning job.yaml:2'],
    says: /builds it from source/,
  },
  {
    name: "a pyproject.toml's torch pin with no wheel for the image's Python",
    job: `name: w\nsetup: pip install -e .\nrun: echo\n${vertex('python:3.12-slim')}`,
    files: { 'pyproject.toml': '[project]\nname = "w"\nversion = "0.1"\ndependencies = ["torch==1.13.1"]\n' },
    expect: ['error pyproject.toml:4'],
  },
]);

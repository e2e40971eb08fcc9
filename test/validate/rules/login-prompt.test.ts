import { ruleTable } from '../rule-table.js';

ruleTable('login-prompt', [
  {
    name: 'logins given their token, and wizards told the answers',
    job: [
      'name: ok',
      'secrets: [HF_TOKEN, WANDB_API_KEY, REGISTRY_TOKEN]',
      'setup: |',
      '  huggingface-cli login --token "$HF_TOKEN"',
      '  hf auth login --token="$HF_TOKEN"',
      '  wandb login',
      '  echo "$REGISTRY_TOKEN" | docker login -u ci --password-stdin ghcr.io',
      '  aws configure set region us-east-1',
      '  accelerate config default',
      '  gcloud auth activate-service-account --key-file=key.json',
      'run: echo',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'huggingface-cli login with no token',
    job: 'name: hf\nsetup: |\n  pip install -U huggingface_hub\n  huggingface-cli login\nrun: echo\n',
    expect: ['error job.yaml:4:3'],
    says: /--token "\$HF_TOKEN"/,
  },
  {
    name: 'wandb login with no key anywhere',
    job: 'name: wb\nrun: |\n  wandb login\n  python3 -c pass\n',
    expect: ['error job.yaml:3:3'],
    says: /WANDB_API_KEY/,
  },
  {
    name: 'a W&B key given as the argument (credentials says if it is written in)',
    job: 'name: wb\nsecrets: [WB_KEY]\nrun: wandb login "$WB_KEY"\n',
    expect: [],
  },
  {
    name: 'gcloud auth login and aws configure behind sudo',
    job: 'name: clouds\nsetup: |\n  gcloud auth login\n  sudo aws configure --profile ci\nrun: echo\n',
    expect: ['error job.yaml:3:3', 'error job.yaml:4:8'],
  },
  {
    name: 'the accelerate questionnaire',
    job: 'name: acc\nsetup: accelerate config\nrun: accelerate launch train.py\n',
    files: { 'train.py': 'pass\n' },
    expect: ['error job.yaml:2:8'],
  },
  {
    name: 'a W&B key the script exports, or variables loaded from a file',
    job: ['name: wb', 'run: |', '  export WANDB_API_KEY="$(cat /run/secrets/wandb)"', '  wandb login', ''].join('\n'),
    expect: [],
  },
]);

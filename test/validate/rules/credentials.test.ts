import { ruleTable } from '../rule-table.js';

ruleTable('credentials', [
  {
    name: 'secrets by name, keys by reference',
    job: [
      'name: ok',
      'secrets: [WANDB_API_KEY]',
      'env:',
      '  TOKEN_FILE: /run/secrets/token',
      '  API_TOKEN_LENGTH: 40',
      'run: wandb login "$WANDB_API_KEY"',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'an AWS access key id in env',
    job: 'name: aws\nenv:\n  AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE\nrun: echo\n',
    expect: ['error job.yaml:3'],
    says: /AWS access key id.*secrets:/,
  },
  {
    name: 'a token exported in the run script',
    job: 'name: token\nrun: |\n  echo start\n  export HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyzABCDEFGH12\n',
    expect: ['error job.yaml:4'],
  },
  {
    name: 'a wandb key written as a value',
    job: 'name: wandb\nrun: |\n  WANDB_API_KEY=0123456789abcdef0123456789abcdef01234567 python3 -c pass\n',
    expect: ['error job.yaml:3'],
  },
  {
    name: 'a private key in a script file the job runs',
    job: 'name: key\nrun: bash deploy.sh\n',
    files: {
      'deploy.sh':
        'cat > id_rsa <<EOF\n-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\nEOF\n',
    },
    expect: ['error deploy.sh:2'],
  },
]);

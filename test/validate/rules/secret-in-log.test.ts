import { ruleTable } from '../rule-table.js';

ruleTable('secret-in-log', [
  {
    name: 'secrets used, tested and stored without being printed',
    job: [
      'name: ok',
      'secrets: [HF_TOKEN, WANDB_API_KEY]',
      'run: |',
      '  set -x',
      '  echo "starting"',
      '  set +x',
      '  huggingface-cli login --token "$HF_TOKEN"',
      '  [ -n "$WANDB_API_KEY" ] && echo "W&B key is set"',
      '  echo "key ends in ${WANDB_API_KEY: -4}"',
      '  mkdir -p ~/.cache/huggingface && echo "$HF_TOKEN" > ~/.cache/huggingface/token',
      '  env | grep -i cuda',
      '  printenv CUDA_VISIBLE_DEVICES',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'a token echoed into the log',
    job: 'name: echo\nsecrets: [HF_TOKEN]\nrun: echo "token=$HF_TOKEN"\n',
    expect: ['warning job.yaml:3:6'],
    says: /HF_TOKEN/,
  },
  {
    name: 'set -x ahead of a login with a token',
    job:
      'name: trace\nsecrets: [HF_TOKEN]\nrun: |\n' +
      '  set -euxo pipefail\n  huggingface-cli login --token "$HF_TOKEN"\n',
    expect: ['warning job.yaml:4:3'],
  },
  {
    name: 'every variable dumped in a job with secrets, and a key written into the outputs',
    job: [
      'name: dump',
      'secrets: [WANDB_API_KEY]',
      'run: |',
      '  printenv',
      '  echo "$WANDB_API_KEY" > "$DLRUN_OUTPUT_DIR/wandb-key.txt"',
      '',
    ].join('\n'),
    expect: ['warning job.yaml:4:3', 'warning job.yaml:5:3'],
  },
]);

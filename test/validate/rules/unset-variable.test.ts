import { ruleTable } from '../rule-table.js';

ruleTable('unset-variable', [
  {
    name: "env, secrets, DLRUN_*, defaults and the script's own variables",
    job: [
      'name: ok',
      'env:',
      '  EPOCHS: 3',
      'secrets: [TOKEN]',
      'run: |',
      '  set -euo pipefail',
      '  OUT="$DLRUN_OUTPUT_DIR/model"',
      '  for f in a b; do echo "$f"; done',
      '  read -r LINE < /dev/null || true',
      '  echo "$EPOCHS $TOKEN $OUT ${BATCH:-32} ${LR:=0.1} $LR $HOME $RANDOM $DLRUN_NODE_RANK"',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'a near miss of an env variable',
    job: 'name: typo\nenv:\n  EPOCHS: 3\nrun: python3 -c pass --epochs "$EPOHCS"\n',
    expect: ['error job.yaml:4:32'],
    says: /\$EPOHCS is never set.*EPOCHS/,
  },
  {
    name: 'a variable in the wrong case',
    job: 'name: case\nenv:\n  BATCH_SIZE: 8\nrun: echo "$batch_size"\n',
    expect: ['error job.yaml:4:12'],
    says: /BATCH_SIZE/,
  },
  {
    name: 'never set, under set -u',
    job: 'name: nounset\nrun: |\n  set -u\n  echo "$DATA_ROOT"\n',
    expect: ['error job.yaml:4:9'],
    says: /set -u stops bash here/,
  },
  {
    name: 'never set, without set -u, is not reported (the machine may set it)',
    job: 'name: maybe\nrun: echo "$CUDA_HOME"\n',
    expect: [],
  },
  {
    name: 'used before set -u is turned on is fine',
    job: 'name: order\nrun: |\n  echo "$MAYBE"\n  set -u\n  echo ok\n',
    expect: [],
  },
  {
    name: 'a positional parameter under set -u in an inline script',
    job: 'name: positional\nrun: |\n  set -eu\n  echo "$1"\n',
    expect: ['error job.yaml:4:9'],
    says: /no arguments/,
  },
  {
    name: 'a variable in an unquoted heredoc',
    job: 'name: heredoc\nenv:\n  MODEL: bert\nrun: |\n  cat <<EOF > cfg.txt\n  model=$MODLE\n  EOF\n',
    expect: ['error job.yaml:6:9'],
  },
  {
    name: 'a quoted heredoc expands nothing',
    job: "name: heredoc\nrun: |\n  set -u\n  cat <<'EOF' > cfg.sh\n  echo $NOT_EXPANDED\n  EOF\n",
    expect: [],
  },
  {
    name: 'Vertex AI sets AIP_MODEL_DIR',
    job: 'name: vertex\nrun: |\n  set -u\n  echo "$AIP_MODEL_DIR"\n',
    backend: 'vertex',
    expect: [],
  },
]);

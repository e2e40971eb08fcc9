import { ruleTable } from '../rule-table.js';

ruleTable('assignment-spaces', [
  {
    name: 'assignments, comparisons and commands given = as an argument',
    job: [
      'name: ok',
      'run: |',
      '  LR=0.1',
      '  export EPOCHS=10 BATCH=',
      '  [ "$LR" = 0.1 ] && test "$EPOCHS" = 10',
      '  [[ $LR == 0.1 ]] || true',
      '  make CC = gcc || true',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'spaces around = in an assignment',
    job: 'name: sp\nrun: |\n  LR = 3e-4\n  python3 -c pass\n',
    expect: ['error job.yaml:3:6'],
    says: /LR=3e-4/,
  },
  {
    name: 'export with spaces, and a space after the name only',
    job: 'name: sp\nrun: |\n  export WANDB_PROJECT = vision\n  SEED =42\n',
    expect: ['error job.yaml:3:24', 'error job.yaml:4:8'],
  },
]);

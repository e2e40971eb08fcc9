import { ruleTable } from '../rule-table.js';

const FILES = { 'train.py': 'pass\n', 'eval.py': 'pass\n' };

ruleTable('prefix-assignment-scope', [
  {
    name: 'prefixes used by their own command only, export, plain assignments, defaults',
    job: [
      'name: ok',
      'run: |',
      '  CUDA_VISIBLE_DEVICES=0 python train.py && python eval.py',
      '  export DATA=/data/x',
      '  OMP_NUM_THREADS=4 python train.py --data "$DATA"',
      '  OUT=/tmp/out',
      '  HF_HUB_OFFLINE=1 python eval.py --out "$OUT" --offline "${HF_HUB_OFFLINE:-0}"',
      '  IFS=, read -r a b <<< "x,y"',
      '  echo "$a $b"',
      '  PYTHONPATH=src python train.py; echo "$PYTHONPATH"',
      '',
    ].join('\n'),
    files: FILES,
    expect: [],
  },
  {
    name: 'DATA=/x echo start; python train.py --data $DATA',
    job: 'name: p\nrun: |\n  DATA=/data/x echo "start"\n  python train.py --data $DATA\n',
    files: FILES,
    expect: ['error job.yaml:4:26'],
    says: /line 3/,
  },
  {
    name: 'expanded in the same command, before the assignment happens',
    job: 'name: p\nrun: |\n  EPOCHS=10 python train.py --epochs "$EPOCHS"\n',
    files: FILES,
    expect: ['error job.yaml:3:39'],
    says: /before/,
  },
  {
    name: 'a continuation line turns the assignment into a prefix of the next command',
    job: 'name: p\nrun: |\n  MODEL=gpt2 \\\n  python train.py\n  python eval.py --model "$MODEL"\n',
    files: FILES,
    expect: ['error job.yaml:5:27'],
  },
  {
    name: "env's assignments and a script file",
    job: 'name: p\nrun: bash run.sh\n',
    files: { ...FILES, 'run.sh': 'env RUN_ID=42 python train.py\necho "run $RUN_ID done"\n' },
    expect: ['error run.sh:2:11'],
  },
  {
    name: 'given to a function or a script file, read there',
    job: 'name: ok\nrun: |\n  train() { python train.py --data "$DATA"; }\n  DATA=/x train\n  DATA=/y bash step.sh\n',
    files: { ...FILES, 'step.sh': 'python eval.py --data "$DATA"\n' },
    expect: [],
  },
  {
    name: 'set by the job file, or by a file the script sources that is not followed',
    job: [
      'name: ok',
      'env:',
      '  DATA: /d',
      'run: |',
      '  DATA=/x echo a',
      '  echo "$DATA"',
      '  source ./settings.env',
      '  LR=1 echo b',
      '  echo "$LR"',
      '',
    ].join('\n'),
    files: FILES,
    expect: [],
  },
  {
    name: 'read in a heredoc written after the command',
    job: [
      'name: p',
      'run: |',
      '  CONFIG_DATA=/data/wiki python train.py --prepare',
      '  cat > config.yaml <<EOF',
      '  data: $CONFIG_DATA',
      '  EOF',
      '  python train.py --config config.yaml',
      '',
    ].join('\n'),
    files: FILES,
    expect: ['error job.yaml:5'],
  },
]);

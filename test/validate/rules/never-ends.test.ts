import { ruleTable } from '../rule-table.js';

ruleTable('never-ends', [
  {
    name: 'servers in the background, bounded or piped into a command that ends',
    job: [
      'name: ok',
      'run: |',
      '  tensorboard --logdir "$DLRUN_OUTPUT_DIR/runs" --port 6006 &',
      '  TB=$!',
      '  timeout 60 tail -f /var/log/syslog',
      '  tail -f log.txt | grep -m1 ready',
      '  python3 -m http.server --help',
      '  python3 -m pip list',
      '  kill "$TB"',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'TensorBoard in the foreground before training',
    job: 'name: tb\nrun: |\n  tensorboard --logdir runs\n  python3 -c pass\n',
    expect: ['error job.yaml:3:3'],
    says: /never ends on its own/,
  },
  {
    name: 'a Jupyter server, and nohup without &',
    job: 'name: nb\nsetup: nohup jupyter lab --no-browser --port 8888\nrun: python3 -m http.server 8000\n',
    expect: ['error job.yaml:2:14', 'error job.yaml:3:6'],
  },
  {
    name: 'tail -f and sleep infinity to keep a machine up',
    job: 'name: keep\nrun: |\n  python3 -c pass > log.txt\n  tail -n 20 -f log.txt\n  sleep infinity\n',
    expect: ['error job.yaml:4:3', 'error job.yaml:5:3'],
  },
  {
    name: 'inside a condition it may not run',
    job: 'name: cond\nrun: |\n  if [ -n "${DEBUG:-}" ]; then\n    tensorboard --logdir runs\n  fi\n',
    expect: [],
  },
  {
    name: 'Jupyter tasks that end, and tail -f bounded by a process',
    job: [
      'name: ok',
      'run: |',
      '  jupyter lab build',
      '  jupyter notebook list',
      '  python3 -c pass > log.txt &',
      '  tail -f --pid=$! log.txt',
      '',
    ].join('\n'),
    expect: [],
  },
]);

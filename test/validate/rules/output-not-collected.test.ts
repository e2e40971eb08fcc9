import { ruleTable } from '../rule-table.js';

const FILES = { 'train.py': 'pass\n' };

ruleTable('output-not-collected', [
  {
    name: 'results under DLRUN_OUTPUT_DIR or the outputs folder',
    job: [
      'name: ok',
      'run: |',
      '  python train.py --output_dir "$DLRUN_OUTPUT_DIR/model"',
      '  python train.py --save-dir outputs/ckpt --checkpoint_path=./outputs/last.pt',
      '  python train.py --output_dir "$OUT" --model_path pretrained/bert',
      '',
    ].join('\n'),
    files: FILES,
    backend: 'ec2',
    expect: [],
  },
  {
    name: 'saved to /tmp and copied into the outputs afterwards',
    job: 'name: ok\nrun: |\n  python train.py --output_dir /tmp/run\n  cp -r /tmp/run "$DLRUN_OUTPUT_DIR/"\n',
    files: FILES,
    backend: 'vertex',
    expect: [],
  },
  {
    name: 'checkpoints to /tmp, never collected',
    job: 'name: tmp\nrun: python train.py --output_dir /tmp/model --epochs 3\n',
    files: FILES,
    backend: 'ec2',
    expect: ['warning job.yaml:2:35'],
    says: /DLRUN_OUTPUT_DIR/,
  },
  {
    name: 'to the home folder and to a workdir folder that is not outputs',
    job: 'name: home\nrun: |\n  python train.py --save_dir ~/checkpoints\n  python train.py --output-dir=results\n',
    files: FILES,
    backend: 'rescale',
    expect: ['warning job.yaml:3:30', 'warning job.yaml:4:19'],
  },
  {
    name: 'a job that runs on this machine keeps its files',
    job: 'name: here\nbackend: local\nrun: python train.py --output_dir /tmp/model\n',
    files: FILES,
    expect: [],
  },
]);

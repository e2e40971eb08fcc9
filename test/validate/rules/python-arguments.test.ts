import { ruleTable } from '../rule-table.js';

const ARGPARSE = [
  'import argparse',
  '',
  'def main():',
  '    parser = argparse.ArgumentParser()',
  '    parser.add_argument("--learning-rate", type=float, default=1e-3)',
  '    parser.add_argument("--epochs", type=int, default=5)',
  '    parser.add_argument("--data-dir", required=True)',
  '    parser.add_argument("--fp16", action="store_true")',
  '    parser.add_argument("--layers", nargs="+", type=int, default=[64])',
  '    args = parser.parse_args()',
  '    print(args)',
  '',
  'if __name__ == "__main__":',
  '    main()',
  '',
].join('\n');

const CLICK = [
  'import click',
  '',
  '@click.command()',
  '@click.option("--epochs", default=3, type=int)',
  '@click.option("--fp16/--no-fp16", default=False)',
  '@click.option("--out", required=True)',
  '@click.argument("config")',
  'def main(epochs, fp16, out, config):',
  '    print(epochs, fp16, out, config)',
  '',
  'if __name__ == "__main__":',
  '    main()',
  '',
].join('\n');

ruleTable('python-arguments', [
  {
    name: 'every form argparse accepts: --a=b, --a b, abbreviations, flags, nargs, expansions as values',
    job: [
      'name: ok',
      'run: |',
      '  python train.py --data-dir data --learning-rate=3e-4 --epochs "$EPOCHS" --fp16 --layers 64 128',
      '  python -u train.py --data data --learn 0.1',
      '  torchrun --nproc_per_node 1 train.py --data-dir "$DLRUN_WORKDIR/data" -h',
      '',
    ].join('\n'),
    files: { 'train.py': ARGPARSE },
    expect: [],
  },
  {
    name: 'an option with underscores where the parser has dashes',
    job: 'name: typo\nrun: python train.py --data-dir data --learning_rate 3e-4\n',
    files: { 'train.py': ARGPARSE },
    expect: ['error job.yaml:2:38'],
    says: /does not accept --learning_rate.*--learning-rate/,
  },
  {
    name: 'a required option missing',
    job: 'name: required\nrun: python train.py --epochs 3\n',
    files: { 'train.py': ARGPARSE },
    expect: ['error job.yaml:2:6'],
    says: /requires --data-dir \(train\.py:7\)/,
  },
  {
    name: 'an expansion may hold the required option: not judged',
    job: 'name: extra\nrun: python train.py $EXTRA_ARGS --epochs 3\n',
    files: { 'train.py': ARGPARSE },
    expect: [],
  },
  {
    name: 'an unknown option in a script file the job runs, via accelerate launch',
    job: 'name: nested\nrun: bash scripts/run.sh\n',
    files: {
      'train.py': ARGPARSE,
      'scripts/run.sh': '#!/bin/bash\nset -e\naccelerate launch --num_processes 1 train.py --data-dir d --epcohs 3\n',
    },
    expect: ['error scripts/run.sh:3'],
    says: /--epcohs.*--epochs/,
  },
  {
    name: 'allow_abbrev=False refuses a prefix',
    job: 'name: abbrev\nrun: python train.py --epoch 3\n',
    files: {
      'train.py':
        'import argparse\np = argparse.ArgumentParser(allow_abbrev=False)\n' +
        'p.add_argument("--epochs")\np.parse_args()\n',
    },
    expect: ['error job.yaml:2:22'],
  },
  {
    name: 'parse_known_args, hydra, a parser handed to another module, or a loop of add_argument: not judged',
    job: [
      'name: skipped',
      'run: |',
      '  python known.py --anything 1',
      '  python hydra_app.py trainer.max_epochs=3 +x=1',
      '  python lightning_app.py --gpus 1',
      '  python loop.py --c 1',
      '',
    ].join('\n'),
    files: {
      'known.py': 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--a")\np.parse_known_args()\n',
      'hydra_app.py': 'import hydra\n@hydra.main(config_path="conf")\ndef main(cfg):\n    pass\nmain()\n',
      'lightning_app.py':
        'import argparse\nfrom helpers import add_args\np = argparse.ArgumentParser()\nadd_args(p)\np.parse_args()\n',
      'loop.py':
        'import argparse\np = argparse.ArgumentParser()\n' +
        'for n in "ab":\n    p.add_argument("--" + n)\np.parse_args()\n',
    },
    expect: [],
  },
  {
    name: 'single-dash options, with = or their value attached',
    job: 'name: single-dash\nrun: python train.py -lr=0.1 -n5 -n 3\n',
    files: {
      'train.py':
        'import argparse\np = argparse.ArgumentParser()\np.add_argument("-lr", type=float)\n' +
        'p.add_argument("-n", type=int)\np.parse_args()\n',
    },
    expect: [],
  },
  {
    name: 'a script without a parser of its own is not judged',
    job: 'name: none\nrun: python train.py --epochs 3\n',
    files: { 'train.py': 'from config import args\nprint(args)\n' },
    expect: [],
  },
  {
    name: 'click: switches, required options and arguments given',
    job: 'name: click-ok\nrun: python cli.py --out "$DLRUN_OUTPUT_DIR" --no-fp16 --epochs=2 configs/base.yaml\n',
    files: { 'cli.py': CLICK },
    expect: [],
  },
  {
    name: 'click: an option it does not have, and its argument missing',
    job: 'name: click-bad\nrun: |\n  python cli.py --out o --lr 0.1 c.yaml\n  python cli.py --out o\n',
    files: { 'cli.py': CLICK },
    expect: ['error job.yaml:3:25', 'error job.yaml:4:3'],
    says: /does not accept --lr/,
  },
  {
    name: 'a positional too many',
    job: 'name: extra\nrun: python prep.py in.csv out.csv\n',
    files: {
      'prep.py': 'import argparse\np = argparse.ArgumentParser()\np.add_argument("source")\nprint(p.parse_args())\n',
    },
    expect: ['error job.yaml:2:28'],
  },
]);

ruleTable('python-arguments', [
  {
    name: 'the --local_rank the deepspeed launcher and torch.distributed.launch add, accepted',
    job: [
      'name: launchers-ok',
      'run: |',
      '  deepspeed --num_gpus 1 ranked.py --epochs 2',
      '  python -m torch.distributed.launch --nproc_per_node 1 ranked.py',
      '  python -m torch.distributed.launch --use-env --nproc_per_node 1 train.py --data-dir d',
      '  deepspeed --no_local_rank train.py --data-dir d',
      '',
    ].join('\n'),
    files: {
      'train.py': ARGPARSE,
      'ranked.py':
        'import argparse\np = argparse.ArgumentParser()\np.add_argument("--local_rank", "--local-rank", type=int)\n' +
        'p.add_argument("--epochs", type=int)\np.parse_args()\n',
    },
    expect: [],
  },
  {
    name: 'the deepspeed launcher adds --local_rank to a script that has no such option',
    job: 'name: ds-rank\nrun: deepspeed --num_gpus 1 train.py --data-dir data\n',
    files: { 'train.py': ARGPARSE },
    expect: ['error job.yaml:2:6'],
    says: /deepspeed passes --local_rank=N/,
  },
]);

// Without python3 nothing is read: a note says so (python-syntax's), and the rules about Python code stay silent.
const WITHOUT_PYTHON = {
  name: 'python3 missing',
  job: 'name: no-python\nrun: python train.py --learning_rate 1\n',
  files: { 'train.py': ARGPARSE },
  env: { PATH: '/nonexistent-dlrun-test-path' },
};
ruleTable('python-arguments', [{ ...WITHOUT_PYTHON, expect: [] }]);
ruleTable('python-syntax', [{ ...WITHOUT_PYTHON, expect: ['info train.py:1'], says: /not compiled nor read/ }]);

const TYPER = [
  'from pathlib import Path',
  '',
  'import typer',
  '',
  'app = typer.Typer(add_completion=False)',
  '',
  '',
  '@app.command()',
  'def train(',
  '    config: Path,',
  '    batch_size: int = 32,',
  '    fp16: bool = False,',
  '    out: Path = typer.Option(..., "--out", "-o"),',
  '):',
  '    print(config, batch_size, fp16, out)',
  '',
  '',
  'if __name__ == "__main__":',
  '    app()',
  '',
].join('\n');

ruleTable('python-arguments', [
  {
    name: 'typer: options named from the parameters, switches, a required option and the argument',
    job: 'name: typer-ok\nrun: python cli.py configs/a.yaml --batch-size 8 --no-fp16 -o "$DLRUN_OUTPUT_DIR"\n',
    files: { 'cli.py': TYPER },
    expect: [],
  },
  {
    name: 'typer spells batch_size --batch-size',
    job: 'name: typer-bad\nrun: python cli.py configs/a.yaml --batch_size 8 --out o\n',
    files: { 'cli.py': TYPER },
    expect: ['error job.yaml:2:35'],
    says: /--batch-size/,
  },
  {
    name: 'typer.run, with its required option missing',
    job: 'name: typer-run\nrun: python run.py data.csv\n',
    files: {
      'run.py':
        'import typer\n\ndef main(path: str, epochs: int = typer.Option(...)):\n    print(path, epochs)\n\n' +
        'typer.run(main)\n',
    },
    expect: ['error job.yaml:2:6'],
    says: /requires --epochs/,
  },
]);

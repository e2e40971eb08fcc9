import { ruleTable } from '../rule-table.js';

ruleTable('conda-activate', [
  {
    name: 'with the shell hook',
    job: [
      'name: ok',
      'setup: conda create -y -n train python=3.11',
      'run: |',
      '  eval "$(conda shell.bash hook)"',
      '  conda activate train',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'after sourcing conda.sh',
    job: 'name: ok\nrun: |\n  source /opt/conda/etc/profile.d/conda.sh\n  conda activate base\n',
    expect: [],
  },
  {
    name: 'without the hook',
    job: 'name: bad\nrun: |\n  conda activate train\n  python3 -c pass\n',
    expect: ['error job.yaml:3:3'],
    says: /shell\.bash hook/,
  },
  {
    name: 'conda init does not help a script',
    job: 'name: bad\nsetup: conda init bash\nrun: conda activate train\n',
    expect: ['error job.yaml:3:6'],
  },
]);

import { ruleTable } from '../rule-table.js';

ruleTable('build-needs-framework', [
  {
    name: 'torch first, then flash-attn without build isolation',
    job: [
      'name: llm',
      'setup: |',
      '  pip install torch==2.3.1',
      '  pip install flash-attn==2.5.8 --no-build-isolation',
      'run: echo',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'PyG wheels from their find-links page, a prebuilt flash-attn wheel',
    job: [
      'name: gnn',
      'setup: |',
      '  pip install torch==2.3.0',
      '  pip install torch-scatter torch-sparse -f https://data.pyg.org/whl/torch-2.3.0+cu121.html',
      '  pip install https://github.com/Dao-AILab/flash-attention/releases/download/v2.5.8/' +
        'flash_attn-2.5.8+cu122torch2.3cxx11abiFALSE-cp310-cp310-linux_x86_64.whl',
      'run: echo',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'flash-attn in the requirements file beside torch',
    job: 'name: llm\nsetup: pip install -r requirements.txt\nrun: echo\n',
    files: { 'requirements.txt': 'torch==2.3.1\ntransformers==4.41.2\nflash-attn==2.5.8\n' },
    expect: ['error requirements.txt:3'],
    says: /No module named 'torch'/,
  },
  {
    name: '--no-build-isolation in the same command as torch',
    job: 'name: llm\nsetup: pip install torch==2.3.1 flash-attn --no-build-isolation\nrun: echo\nbackend: ec2\n',
    expect: ['error job.yaml:2'],
    says: /not installed before/,
  },
  {
    name: 'on this machine, torch may be installed already',
    job: 'name: llm\nsetup: pip install flash-attn --no-build-isolation\nrun: echo\nbackend: local\n',
    expect: [],
  },
  {
    name: 'torch-scatter from PyPI',
    job: 'name: gnn\nsetup: |\n  pip install torch==2.3.0\n  pip install torch-scatter\nrun: echo\n',
    expect: ['error job.yaml:4'],
  },
  {
    name: 'apex from its repository',
    job: [
      'name: apex',
      'setup: |',
      '  pip install torch==2.3.1',
      '  pip install git+https://github.com/NVIDIA/apex.git',
      'run: echo',
      '',
    ].join('\n'),
    expect: ['error job.yaml:4'],
  },
]);

import { ruleTable } from '../rule-table.js';

const TRAIN = 'import torch.distributed as dist\ndist.init_process_group("nccl")\n';

ruleTable('distributed-wiring', [
  {
    name: "a multi-node job wired from dlrun's variables",
    job: [
      'name: ok',
      'run: |',
      '  torchrun --nnodes "$DLRUN_NUM_NODES" --node_rank="$DLRUN_NODE_RANK" \\',
      '    --nproc_per_node "$DLRUN_GPUS_PER_NODE" --master_addr "$DLRUN_MASTER_ADDR" \\',
      '    --master_port "$DLRUN_MASTER_PORT" train.py',
      'resources:',
      '  gpu: A10G:4',
      '  nodes: 2',
      '',
    ].join('\n'),
    files: { 'train.py': TRAIN },
    expect: [],
  },
  {
    name: "c10d rendezvous at dlrun's master, a literal node count that matches, and a rank chosen in a branch",
    job: [
      'name: ok2',
      'run: |',
      '  if [ "$DLRUN_NODE_RANK" = 0 ]; then',
      '    accelerate launch --machine_rank 0 --num_machines 2 --main_process_ip "$DLRUN_MASTER_ADDR" train.py',
      '  fi',
      '  torchrun --nnodes 2 --node_rank 0 --rdzv_backend c10d \\',
      '    --rdzv_endpoint "$DLRUN_MASTER_ADDR:$DLRUN_MASTER_PORT" train.py',
      'resources:',
      '  gpu: A10G:4',
      '  nodes: 2',
      '',
    ].join('\n'),
    files: { 'train.py': TRAIN },
    expect: [],
  },
  {
    name: 'one node told of two: the rendezvous waits for a node that never comes',
    job:
      'name: two-of-one\nrun: |\n' +
      '  torchrun --nnodes=2 --nproc_per_node=1 train.py\n  torchrun --nnodes=1:2 train.py\n',
    files: { 'train.py': TRAIN },
    expect: ['error job.yaml:3:12'],
    says: /waits for 2 nodes/,
  },
  {
    name: 'one node: ranks and addresses written out are fine',
    job: 'name: single\nrun: torchrun --nnodes 1 --node_rank 0 --master_addr localhost train.py\n',
    files: { 'train.py': TRAIN },
    expect: [],
  },
  {
    name: 'a rank, a master address and a node count written by hand',
    job: [
      'name: by-hand',
      'run: |',
      '  torchrun --nnodes=4 --node_rank=0 --nproc_per_node 8 \\',
      '    --master_addr=10.0.0.1 --master_port 29500 train.py',
      'resources:',
      '  gpu: A100:8',
      '  nodes: 2',
      '',
    ].join('\n'),
    files: { 'train.py': TRAIN },
    expect: ['error job.yaml:3:12', 'error job.yaml:3:23', 'error job.yaml:4:5'],
    says: /told of 4 nodes/,
  },
  {
    name: 'MASTER_ADDR exported as localhost for torch env:// initialisation',
    job: [
      'name: env-init',
      'run: |',
      '  export MASTER_ADDR=localhost MASTER_PORT=29500',
      '  python train.py',
      'resources:',
      '  gpu: T4',
      '  nodes: 2',
      '',
    ].join('\n'),
    files: { 'train.py': TRAIN },
    expect: ['error job.yaml:3:10'],
    says: /localhost/,
  },
  {
    name: 'deepspeed given a master address by hand',
    job: [
      'name: ds',
      'run: deepspeed --num_nodes 2 --master_addr 172.31.5.10 train.py',
      'resources:',
      '  gpu: A10G:4',
      '  nodes: 2',
      '',
    ].join('\n'),
    files: { 'train.py': TRAIN },
    expect: ['error job.yaml:2:30'],
  },
]);

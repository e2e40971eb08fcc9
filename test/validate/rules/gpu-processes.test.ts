import { ruleTable } from '../rule-table.js';

const TRAIN = 'print("train")\n';

ruleTable('gpu-processes', [
  {
    name: 'processes as many as GPUs, from DLRUN_GPUS_PER_NODE, and GPUs the machine has',
    job: [
      'name: ok',
      'env:',
      '  CUDA_VISIBLE_DEVICES: "0,1,2,3"',
      'run: |',
      '  torchrun --nproc_per_node 4 train.py',
      '  torchrun --nproc-per-node="$DLRUN_GPUS_PER_NODE" train.py',
      '  deepspeed --num_gpus 4 train.py',
      '  CUDA_VISIBLE_DEVICES=3 python train.py',
      'resources:',
      '  gpu: A10G:4',
      '',
    ].join('\n'),
    files: { 'train.py': TRAIN },
    expect: [],
  },
  {
    name: 'a job that names no GPU is not judged',
    job: 'name: cpu\nrun: torchrun --nproc_per_node 8 train.py\n',
    files: { 'train.py': TRAIN },
    expect: [],
  },
  {
    name: 'eight processes on the one GPU of a g4dn.xlarge',
    job: [
      'name: eight',
      'run: torchrun --standalone --nproc_per_node=8 train.py',
      'backend: ec2',
      'backends:',
      '  ec2:',
      '    region: us-east-1',
      '    instance_type: g4dn.xlarge',
      '',
    ].join('\n'),
    files: { 'train.py': TRAIN },
    expect: ['error job.yaml:2:28'],
    says: /8 processes per node.*1 GPU/,
  },
  {
    name: "accelerate's num_processes over two machines, and CUDA_VISIBLE_DEVICES past the GPUs",
    job: [
      'name: accel',
      'env:',
      '  CUDA_VISIBLE_DEVICES: 0,1,2,3',
      'run: |',
      '  accelerate launch --num_machines 2 --num_processes 16 train.py',
      '  export CUDA_VISIBLE_DEVICES=2',
      'resources:',
      '  gpu: V100:2',
      '  nodes: 2',
      '',
    ].join('\n'),
    files: { 'train.py': TRAIN },
    expect: ['error job.yaml:3:25', 'error job.yaml:5:38', 'error job.yaml:6:10'],
  },
]);

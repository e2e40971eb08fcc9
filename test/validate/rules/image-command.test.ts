import { ruleTable } from '../rule-table.js';

const vertex = (image: string) =>
  `backend: vertex\nbackends:\n  vertex:\n    project: research-lab\n` +
  `    region: us-central1\n    container_image: ${image}\n`;

ruleTable('image-command', [
  {
    name: 'a slim container that does not use sudo',
    job:
      `name: slim\nsetup: |\n  apt-get update && apt-get install -y --no-install-recommends git\n` +
      `run: echo\n${vertex('python:3.12-slim')}`,
    expect: [],
  },
  {
    name: 'sudo on the Deep Learning AMI, yum on Amazon Linux 2023 (dnf keeps the name)',
    job: [
      'name: ami',
      'setup: |',
      '  sudo apt-get install -y ffmpeg',
      'run: echo',
      'backend: ec2',
      'backends:',
      '  ec2:',
      '    instance_type: g4dn.xlarge',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'yum on Amazon Linux 2023',
    job: [
      'name: al2023',
      'setup: sudo yum install -y git',
      'run: echo',
      'backend: ec2',
      'backends:',
      '  ec2:',
      '    image: ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      '',
    ].join('\n'),
    expect: [],
  },
  {
    name: 'a script that tries both package managers',
    job:
      `name: both\nsetup: |\n  apt-get install -y git || yum install -y git\n` +
      `run: echo\n${vertex('python:3.12-slim')}`,
    expect: [],
  },
  {
    name: 'a job that installs sudo first',
    job:
      `name: s\nsetup: |\n  apt-get update && apt-get install -y sudo\n` +
      `  sudo ls\nrun: echo\n${vertex('ubuntu:22.04')}`,
    expect: [],
  },
  {
    name: 'an image dlrun does not know is not judged',
    job: `name: own\nsetup: sudo yum install -y git\nrun: echo\n${vertex('gcr.io/me/trainer:latest')}`,
    expect: [],
  },
  {
    name: 'sudo in python:3.11-slim',
    job: `name: slim\nsetup: |\n  sudo apt-get update\nrun: echo\n${vertex('python:3.11-slim')}`,
    expect: ['error job.yaml:3:3'],
    says: /sudo is not installed on vertex \(python:3\.11-slim/,
  },
  {
    name: 'yum on the default EC2 image (Ubuntu)',
    job: 'name: yum\nsetup: |\n  sudo yum install -y htop\nrun: echo\nbackend: ec2\n',
    expect: ['error job.yaml:3:8'],
    says: /package manager is apt/,
  },
  {
    name: 'apt-get on a Rocky Linux CUDA image',
    job: `name: rocky\nsetup: apt-get install -y git\nrun: echo\n${vertex('nvidia/cuda:12.4.1-devel-rockylinux8')}`,
    expect: ['error job.yaml:2'],
    says: /dnf/,
  },
  {
    name: 'a portable job may never run on the default EC2 image: a warning',
    job: 'name: yum\nsetup: |\n  sudo yum install -y htop\nrun: echo\n',
    expect: ['warning job.yaml:3:8'],
  },
  {
    name: 'git after installing it in a slim container',
    job:
      'name: g\nsetup: |\n  apt-get update && apt-get install -y git\n  git clone https://github.com/a/b.git\n' +
      '  pip install git+https://github.com/a/c.git\n' +
      `run: echo\n${vertex('python:3.11-slim')}`,
    expect: [],
  },
  {
    name: 'git clone in a slim container',
    job: `name: g\nsetup: |\n  git clone https://github.com/a/b.git\nrun: echo\n${vertex('python:3.10-slim')}`,
    expect: ['error job.yaml:3:3'],
    says: /git is not installed on vertex \(python:3\.10-slim/,
  },
  {
    name: 'a git+https requirement in a slim container',
    job: `name: g\nsetup: pip install -r requirements.txt\nrun: echo\n${vertex('python:3.10-slim')}`,
    files: { 'requirements.txt': 'numpy\ntcxreader @ git+https://github.com/alenrajsp/tcxreader.git\n' },
    expect: ['error requirements.txt:2'],
  },
]);

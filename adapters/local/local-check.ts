import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BackendContext, CheckItem } from '../../src/backend/training-backend.js';

/** `dlrun check` for this machine: the programs a job needs, and a DLRUN_HOME its job folders can be written to. */
export async function checkLocal(context: BackendContext): Promise<CheckItem[]> {
  return [
    commandCheck('bash', ['--version'], true, 'runs setup and run'),
    homeWritable(context.home),
    commandCheck('python3', ['--version'], false, 'most training scripts need it'),
    commandCheck(
      'nvidia-smi',
      ['-L'],
      false,
      "lists this machine's NVIDIA GPUs; without it, jobs asking for a GPU have none",
    ),
  ];
}

function commandCheck(command: string, args: string[], required: boolean, why: string): CheckItem {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 5_000 });
  if (result.error || result.status !== 0)
    return { check: command, ok: false, detail: `${command} is not available (${why})`, required };
  const first = `${result.stdout}${result.stderr}`.trim().split('\n')[0] ?? '';
  return { check: command, ok: true, detail: first, required };
}

function homeWritable(home: string): CheckItem {
  const probe = path.join(home, 'jobs', `.write-check-${process.pid}`);
  try {
    mkdirSync(path.dirname(probe), { recursive: true, mode: 0o700 });
    writeFileSync(probe, '');
    rmSync(probe);
    return {
      check: 'DLRUN_HOME',
      ok: true,
      detail: `${home} is writable (job folders live in ${path.join(home, 'jobs')})`,
      required: true,
    };
  } catch (error) {
    return {
      check: 'DLRUN_HOME',
      ok: false,
      detail: `${home} is not writable: ${(error as Error).message}`,
      required: true,
    };
  }
}

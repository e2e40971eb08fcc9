import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readRegularText } from '../util/read-regular-file.js';

/** The NVIDIA GPUs of this machine, as far as can be told offline and at once, and how that was found out. */
export interface LocalGpus {
  /** The GPUs' names as the driver gives them ("Tesla T4", "NVIDIA A100-SXM4-40GB"), one per GPU. */
  readonly names: readonly string[];
  /** `nvidia-smi -L`, the driver's /proc files, or nothing (no nvidia-smi on PATH and no NVIDIA driver loaded). */
  readonly source: 'nvidia-smi' | '/proc/driver/nvidia' | 'none';
  /** What nvidia-smi said when it failed (a driver it cannot talk to): then no GPU can be used either. */
  readonly failure?: string;
}

/** nvidia-smi answers in well under a second; a hung driver must not hold the validator up. */
const NVIDIA_SMI_TIMEOUT_MS = 3_000;
const PROC_GPUS = '/proc/driver/nvidia/gpus';

/**
 * This machine's GPUs: `nvidia-smi -L` when it is on the PATH (of the submitting environment, the one local jobs
 * get), else the NVIDIA driver's /proc files; undefined when nvidia-smi is there but gives no answer (it timed out
 * or failed for another reason than finding no GPU), since then nothing can be told. Asked afresh on every run.
 */
export function localGpus(searchPath: string, procFolder = PROC_GPUS): LocalGpus | undefined {
  const smi = findOnPath('nvidia-smi', searchPath);
  if (smi) {
    const result = spawnSync(smi, ['-L'], {
      encoding: 'utf8',
      timeout: NVIDIA_SMI_TIMEOUT_MS,
      env: { PATH: searchPath },
    });
    const output = `${result.stdout ?? ''}`;
    const names = [...output.matchAll(/^GPU \d+: (.+?)(?: \(UUID: [^)]*\))?\s*$/gm)].map((match) => match[1]!.trim());
    if (names.length) return { names, source: 'nvidia-smi' };
    // A timeout (or nvidia-smi that cannot be run at all) tells nothing; "No devices were found" (exit 6) and a
    // driver it cannot talk to both mean no GPU a job could use.
    if (result.error || result.signal) return undefined;
    const said = `${output}\n${result.stderr ?? ''}`
      .split('\n')
      .map((line) => line.trim())
      .find(Boolean);
    if (/no devices were found/i.test(said ?? '')) return { names: [], source: 'nvidia-smi' };
    return { names: [], source: 'nvidia-smi', failure: said ?? `exit status ${result.status}` };
  }
  let folders: string[];
  try {
    folders = readdirSync(procFolder);
  } catch {
    return { names: [], source: 'none' };
  }
  const names = folders.sort().flatMap((folder) => {
    const text = readRegularText(path.join(procFolder, folder, 'information'), { maxBytes: 64 * 1024 }) ?? '';
    const model = /^Model:\s*(.+)$/m.exec(text)?.[1]?.trim();
    return model ? [model] : [];
  });
  return { names, source: '/proc/driver/nvidia' };
}

function findOnPath(command: string, searchPath: string): string | undefined {
  for (const folder of searchPath.split(path.delimiter)) {
    if (!folder) continue;
    const candidate = path.join(folder, command);
    try {
      // A folder on PATH that cannot be listed, or a name there that is not a file, is simply not the command.
      if (readdirSync(folder).includes(command)) return candidate;
    } catch {}
  }
  return undefined;
}

/**
 * Whether a driver's GPU name is the model a job asks for: "T4" is "Tesla T4", "A100" is "NVIDIA A100-SXM4-40GB",
 * "A100-80GB" is "NVIDIA A100-SXM4-80GB", "RTX4090" is "NVIDIA GeForce RTX 4090", but "A10" is not "A10G" and "L4" not
 * "L40S". Each part of the model (split at '-', '_' and spaces) must be whole words of the name, in order; a part may
 * span words ("RTX4090" is "RTX" "4090").
 */
export function gpuNameMatches(driverName: string, model: string): boolean {
  const words = driverName
    .toUpperCase()
    .split(/[\s_-]+/)
    .filter(Boolean);
  let from = 0;
  for (const part of model
    .toUpperCase()
    .split(/[\s_-]+/)
    .filter(Boolean)) {
    const next = wordsSpelling(words, part, from);
    if (next === undefined) return false;
    from = next;
  }
  return true;
}

/** Where the first run of consecutive words at or after `from` that spells `part` ends, or undefined. */
function wordsSpelling(words: readonly string[], part: string, from: number): number | undefined {
  for (let start = from; start < words.length; start++) {
    let joined = '';
    for (let end = start; end < words.length && joined.length < part.length; end++) {
      joined += words[end];
      if (joined === part) return end + 1;
    }
  }
  return undefined;
}

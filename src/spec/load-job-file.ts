import { readFileSync, readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { JobFileError } from '../base/errors.js';
import { hasErrors, type Finding } from '../base/finding.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { JobSpec } from './job-spec.js';
import { parseJobText } from './parse-job-text.js';

/** A job file is a page of settings; anything past this is not a job file, and reading it would be slow. */
export const MAX_JOB_FILE_BYTES = 1024 * 1024;

export interface LoadedJob {
  readonly job: JobSpec;
  /** Warnings found while loading (errors throw). */
  readonly findings: readonly Finding[];
}

/**
 * Read and parse a job file. Every problem throws a JobFileError whose findings name file, line and column;
 * a missing file, a folder, an empty, binary, huge or non-UTF-8 file each get one clear message.
 */
export function loadJobFile(jobPath: string, cwd: string = process.cwd()): LoadedJob {
  const absolute = path.resolve(cwd, jobPath);
  const file = path.basename(absolute);
  const dir = path.dirname(absolute);
  checkIsReadableFile(jobPath, absolute);
  const text = decode(jobPath, file, readFileSync(absolute));
  const { job, findings } = parseJobText(text, { path: jobPath, dir, file });
  if (!job || hasErrors(findings)) {
    throw new JobFileError(jobPath, `${jobPath} is not a valid job file`, findings);
  }
  checkWorkdir(job, jobPath);
  return { job, findings };
}

function checkIsReadableFile(jobPath: string, absolute: string): void {
  let stats: Stats;
  try {
    stats = statSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new JobFileError(jobPath, `no job file at ${jobPath}`, [], { hint: missingFileHint(absolute) });
    if (code === 'EACCES')
      throw new JobFileError(jobPath, `cannot read ${jobPath}: permission denied`, [], {
        hint: "check the file's permissions",
      });
    throw new JobFileError(jobPath, `cannot read ${jobPath}: ${(error as Error).message}`);
  }
  if (stats.isDirectory()) {
    const inside = ['job.yaml', 'job.yml'].find((name) => isFile(path.join(absolute, name)));
    throw new JobFileError(jobPath, `${jobPath} is a folder, not a job file`, [], {
      hint: inside
        ? `did you mean ${path.join(jobPath, inside)}?`
        : "give the path of a job.yaml file; 'dlrun init' writes one",
    });
  }
  if (!stats.isFile()) throw new JobFileError(jobPath, `${jobPath} is not a regular file`);
  if (stats.size === 0) {
    throw new JobFileError(jobPath, `${jobPath} is empty`, [], {
      hint: "a job needs at least 'name' and 'run'; 'dlrun init' writes a commented one",
    });
  }
  if (stats.size > MAX_JOB_FILE_BYTES) {
    throw new JobFileError(
      jobPath,
      `${jobPath} is ${formatBytes(stats.size)}; a job file is at most ${formatBytes(MAX_JOB_FILE_BYTES)}`,
      [],
      {
        hint: 'is this the right file? Data and code belong in the workdir, not in job.yaml',
      },
    );
  }
}

function missingFileHint(absolute: string): string {
  const dir = path.dirname(absolute);
  try {
    const close = didYouMean(path.basename(absolute), readdirSync(dir));
    if (close) return `did you mean ${path.join(path.dirname(absolute), close)}?`;
  } catch {
    return `the folder ${dir} does not exist either`;
  }
  return "check the path; 'dlrun init' writes a job.yaml";
}

function isFile(candidate: string): boolean {
  try {
    return statSync(candidate).isFile();
  } catch {
    return false;
  }
}

/**
 * UTF-8 text without its byte-order mark; binary and other encodings are refused with the place of the
 * first bad byte.
 */
function decode(jobPath: string, file: string, bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new JobFileError(jobPath, `${jobPath} is saved as UTF-16; dlrun reads UTF-8`, [], {
      hint: 'save the file as UTF-8 in your editor',
    });
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new JobFileError(
      jobPath,
      `${jobPath} is a binary file (it holds a NUL byte at offset ${nul}), not a YAML job file`,
      [],
      {
        hint: 'give the path of the job.yaml file',
      },
    );
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, offset).toString('utf8');
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new JobFileError(jobPath, `${jobPath} is not valid UTF-8`, [
      {
        rule: 'encoding',
        severity: 'error',
        file,
        line,
        column,
        message: `byte 0x${bytes[offset]?.toString(16).padStart(2, '0')} is not valid UTF-8`,
        hint: 'save the file as UTF-8 (it looks like Latin-1 or Windows-1252)',
      },
    ]);
  }
}

function firstInvalidUtf8(bytes: Buffer): number {
  const decodesAsStream = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = bytes.length;
  // The longest prefix without a bad byte, by bisection. Streamed, a prefix that ends inside a character ('ü'
  // cut in half) is no error, so the search cannot stop early at a good character before the bad byte.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (decodesAsStream(middle)) low = middle;
    else high = middle - 1;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, low));
    return low;
  } catch {
    // The prefix ends inside a character that the next byte does not complete: the bad sequence starts at its
    // first byte (a Latin-1 'é' followed by a plain letter).
    let start = low - 1;
    while (start > 0 && (bytes[start]! & 0xc0) === 0x80) start--;
    return start;
  }
}

function checkWorkdir(job: JobSpec, jobPath: string): void {
  const position = job.source.positions.workdir;
  const fail = (message: string): never => {
    throw new JobFileError(jobPath, `${jobPath} is not a valid job file`, [
      {
        rule: 'missing-workdir',
        severity: 'error',
        file: job.source.file,
        line: position?.line ?? 1,
        column: position?.column ?? null,
        message,
      },
    ]);
  };
  try {
    if (!statSync(job.workdir).isDirectory()) fail(`workdir: ${job.workdir} is a file, not a folder`);
  } catch (error) {
    if (error instanceof JobFileError) throw error;
    fail(`workdir: the folder ${job.workdir} does not exist`);
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

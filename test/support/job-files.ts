import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadJobFile } from '../../src/spec/load-job-file.js';
import type { JobSpec } from '../../src/spec/job-spec.js';

/** Write a job folder with `job.yaml` (and extra files) and load it as dlrun would. */
export function writeJob(
  dir: string,
  yaml: string,
  files: Readonly<Record<string, string>> = {},
): { jobPath: string; job: JobSpec } {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const jobPath = path.join(dir, 'job.yaml');
  writeFileSync(jobPath, yaml);
  return { jobPath, job: loadJobFile(jobPath).job };
}

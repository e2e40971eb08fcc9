import { parentPort, workerData } from 'node:worker_threads';
import { JobFileError } from '../../src/base/errors.js';
import { loadJobFile } from '../../src/spec/load-job-file.js';

/** Runs loadJobFile in a worker thread, so that a test can stop a loader that never returns. */
export interface WorkerAnswer {
  readonly outcome: 'job' | 'job-file-error' | 'other-error';
  readonly name?: string;
  readonly jobName?: string;
  readonly jobPath?: string;
  readonly message?: string;
  readonly hint?: string | undefined;
  readonly findings?: JobFileError['findings'];
  readonly stack?: string;
}

const { jobPath, cwd } = workerData as { jobPath: string; cwd: string };
let answer: WorkerAnswer;
try {
  answer = { outcome: 'job', jobName: loadJobFile(jobPath, cwd).job.name };
} catch (error) {
  answer =
    error instanceof JobFileError
      ? {
          outcome: 'job-file-error',
          jobPath: error.jobPath,
          message: error.message,
          hint: error.hint,
          findings: error.findings,
        }
      : {
          outcome: 'other-error',
          name: (error as Error).name,
          message: (error as Error).message,
          stack: (error as Error).stack ?? '',
        };
}
parentPort!.postMessage(answer);

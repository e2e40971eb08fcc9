import { Worker } from 'node:worker_threads';
import type { JobFileError } from '../../src/base/errors.js';

/** The worker's answer (load-job-worker.mjs, which runs the built loader). */
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

const WORKER = new URL('./load-job-worker.mjs', import.meta.url);

/**
 * loadJobFile(jobPath, cwd) in a worker thread. The loader is synchronous, so a test's timeout could not
 * interrupt it in the test's own thread; here a loader that runs past `timeoutMs` is stopped and fails the test.
 */
export function loadInWorker(jobPath: string, cwd: string, timeoutMs: number): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { jobPath, cwd } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`loadJobFile(${jobPath}) did not return within ${timeoutMs} ms`));
    }, timeoutMs);
    worker.once('message', (answer: WorkerAnswer) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(answer);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

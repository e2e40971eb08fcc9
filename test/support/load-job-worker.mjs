import { parentPort, workerData } from 'node:worker_threads';
import { JobFileError } from '../../dist/src/base/errors.js';
import { loadJobFile } from '../../dist/src/spec/load-job-file.js';

// Runs loadJobFile in a worker thread, so that a test can stop a loader that never returns. Plain JavaScript
// on the built dlrun (dist/), as a worker runs outside vitest; its answer is WorkerAnswer (load-in-worker.ts).
const { jobPath, cwd } = workerData;
let answer;
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
          name: error.name,
          message: error.message,
          stack: error.stack ?? '',
        };
}
parentPort.postMessage(answer);

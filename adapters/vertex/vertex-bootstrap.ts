import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

/** The lines of vertex-bootstrap.sh that the two embedded scripts replace, each present exactly once. */
const EMBEDDED = {
  '#@DLRUN_CLUSTER_ENV@': 'vertex-cluster-env.sh',
  '#@DLRUN_JOB_WRAPPER@': 'job-wrapper.sh',
} as const;

function template(name: string): string {
  return readFileSync(path.join(packageRoot(), 'templates', 'bootstrap', name), 'utf8');
}

/**
 * The script every replica runs as `bash -c` (containerSpec.command): templates/bootstrap/vertex-bootstrap.sh with
 * the cluster script and the job wrapper in place of their marker lines. The job's values never enter it: they come
 * in containerSpec.env, so the script is the same text for every job.
 */
export function renderVertexBootstrap(): string {
  let rendered = template('vertex-bootstrap.sh');
  for (const [marker, name] of Object.entries(EMBEDDED)) {
    if (rendered.split('\n').filter((line) => line === marker).length !== 1)
      throw new Error(`templates/bootstrap/vertex-bootstrap.sh must hold the line ${marker} exactly once`);
    const body = template(name).replace(/\n$/, '');
    rendered = rendered.replace(`\n${marker}\n`, () => `\n${body}\n`);
  }
  return rendered;
}

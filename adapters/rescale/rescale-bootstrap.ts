import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

/** The line of rescale-bootstrap.sh that job-wrapper.sh replaces; present exactly once. */
const WRAPPER_LINE = '#@DLRUN_JOB_WRAPPER@';

function template(name: string): string {
  return readFileSync(path.join(packageRoot(), 'templates', 'bootstrap', name), 'utf8');
}

/**
 * templates/bootstrap/rescale-bootstrap.sh with the job wrapper in place of its marker line. The job's values never
 * enter it: they come in the analysis' envVars, so the script is the same text for every job.
 */
export function renderRescaleBootstrap(): string {
  const rendered = template('rescale-bootstrap.sh');
  if (rendered.split('\n').filter((line) => line === WRAPPER_LINE).length !== 1)
    throw new Error(`templates/bootstrap/rescale-bootstrap.sh must hold the line ${WRAPPER_LINE} exactly once`);
  const wrapper = template('job-wrapper.sh').replace(/\n$/, '');
  return rendered.replace(`\n${WRAPPER_LINE}\n`, () => `\n${wrapper}\n`);
}

/** `text` as one single-quoted word of a POSIX shell: nothing in it is expanded. */
export function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The analysis' `command`: a string Rescale runs with a shell in the job's work directory [V]. `exec` makes the
 * bootstrap's bash the process Rescale started, so a stop's SIGTERM to it reaches the bootstrap (which stops the job)
 * rather than a shell that would die without passing it on [U: whether Rescale signals the process or its group].
 * The script is single-quoted: whatever shell Rescale uses, nothing in it is expanded before bash reads it.
 * Kept readable in Rescale's job page rather than packed (gzip + base64 would be about a third of the size, should
 * the command field turn out to have a length limit [U]).
 */
export function rescaleCommand(): string {
  return `exec bash -c ${singleQuoted(renderRescaleBootstrap())}`;
}

#!/usr/bin/env node
import { EXIT_CODES } from '../base/errors.js';
import { processIo } from './io.js';
import { main } from './main.js';

// Ctrl-C: commands that follow a job install their own handler and detach; anywhere else, stop with 130.
process.once('SIGINT', () => process.exit(EXIT_CODES.interrupted));
// `dlrun logs JOB | head`: once the reader has what it wanted and closed the pipe, stop quietly (a job being
// followed goes on, as after Ctrl-C) instead of crashing on EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(EXIT_CODES.success);
  });
}

const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
// No top-level await: the shipped bin runs this as CommonJS (scripts/bundle.mjs), which has none.
void main(process.argv.slice(2), processIo(noColor)).then((code) => {
  process.exitCode = code;
});

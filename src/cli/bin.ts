#!/usr/bin/env node
import { EXIT_CODES } from '../backend/errors.js';
import { processIo } from './io.js';
import { main } from './main.js';

// Ctrl-C: commands that follow a job install their own handler and detach; anywhere else, stop with 130.
process.once('SIGINT', () => process.exit(EXIT_CODES.interrupted));

const noColor = process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '';
process.exitCode = await main(process.argv.slice(2), processIo(noColor));

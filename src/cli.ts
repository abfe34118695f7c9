#!/usr/bin/env node
/** microcred command line: `microcred verify <file|->`, `microcred keys generate`. */
import { processIo, runCli } from './cli/index.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());

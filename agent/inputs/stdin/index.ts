/**
 * Stdin input: reads access log lines in `inputs.stdin.format` from standard input (a pipe such as
 * `zcat access.log.gz | lowslow agent`, or a Readable injected by tests), pausing the stream while
 * the pipeline is full. Resolves at the end of input or when its signal aborts.
 */
import type { Readable } from 'node:stream';
import type { Config } from '../../../contracts/index.js';
import { StdinInput } from './reader.js';

/** Reads `inputs.stdin` and `inputs.max_line_bytes`; `stream` is for tests. */
export function createStdinInput(config: Config, stream: Readable = process.stdin): StdinInput {
  return new StdinInput(config.inputs.stdin, config.inputs.max_line_bytes, stream);
}

export type { StdinInputConfig } from './config.js';
export { StdinInput } from './reader.js';
export { StdinInputMetrics } from './metrics.js';
export { LineSplitter } from './line-splitter.js';

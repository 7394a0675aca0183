/**
 * Parsers turn one log line into a RawRecord or a rejection reason. Registry of every format.
 */
import { parseNginxJson } from './nginx-json.js';
import type { ParseOptions, ParseResult } from './raw-record.js';

export type Parser = (line: string, opts: ParseOptions) => ParseResult;

export const parsers: Record<string, Parser> = {
  'nginx-json': parseNginxJson,
};

export * from './raw-record.js';

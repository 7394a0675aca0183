/**
 * Parsers turn one log line into a RawRecord or a rejection reason. Registry of every format.
 */
import { parseKong } from './kong.js';
import { parseEnvoyJson } from './envoy-json.js';
import { parseEnvoyText } from './envoy-text.js';
import { parseNginxCombined } from './nginx-combined.js';
import { parseNginxJson } from './nginx-json.js';
import type { ParseOptions, ParseResult } from './raw-record.js';

export type Parser = (line: string, opts: ParseOptions) => ParseResult;

export const parsers: Record<string, Parser> = {
  'nginx-json': parseNginxJson,
  'nginx-combined': parseNginxCombined,
  'envoy-json': parseEnvoyJson,
  'envoy-text': parseEnvoyText,
  kong: parseKong,
};

export * from './raw-record.js';

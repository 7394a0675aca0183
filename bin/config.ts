/**
 * Config loading, phase one (pure): file (YAML or JSON) + LOWSLOW_* environment variables,
 * validated against contracts/config.v1 with defaults filled. Any problem is a ConfigError whose
 * message is one line naming the field.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { YAMLError } from 'yaml';
import type { Config } from '../contracts/index.js';
import { CONFIG_ENV, describeError, validateConfig, type ConfigEnvVariable } from '../contracts/core.js';

/** Longest message: a field name can be as long as a config file. */
const MAX_MESSAGE = 300;

/** One short line: control characters and line separators escaped, a long middle left out. */
function oneLine(s: string): string {
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return flat.length <= MAX_MESSAGE ? flat : `${flat.slice(0, MAX_MESSAGE / 2)}…${flat.slice(-MAX_MESSAGE / 2)}`;
}

export class ConfigError extends Error {
  readonly code = 'LOWSLOW_CONFIG';
  constructor(message: string, options?: { cause?: unknown }) {
    super(oneLine(message), options);
    this.name = 'ConfigError';
  }
}

/**
 * What is wrong with the YAML, by its code and place only: yaml's messages and warnings quote the
 * source (an alias or tag name, the line itself), and a secret such as `key_secret: *x…` would be
 * printed with them.
 */
function yamlProblem(e: YAMLError): string {
  const at = e.linePos?.[0];
  return `${e.code.toLowerCase().replaceAll('_', ' ')}${at ? ` at line ${at.line}, column ${at.col}` : ''}`;
}

/** yaml is loaded only when a file is read: a start configured by the environment alone skips its ~40 ms. */
const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

/** The file's data: YAML (so JSON too); warnings count as errors, and nothing is printed. */
function parseConfigText(file: string, text: string): unknown {
  // No `cause`: yaml's errors quote the source, and whoever logs this error could print it.
  const fail = (what: string) => new ConfigError(`${file}: not valid YAML or JSON: ${what}`);
  let doc;
  try {
    // logLevel 'error': yaml would otherwise print its warnings, with the source line, to stderr.
    doc = yaml().parseDocument(text, { logLevel: 'error' });
  } catch {
    throw fail('cannot be parsed');
  }
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw fail(yamlProblem(problem));
  try {
    return doc.toJS() ?? {};
  } catch (err) {
    // An alias that is not defined, or that expands too much (yaml's maxAliasCount).
    throw fail(err instanceof ReferenceError ? 'an alias that cannot be resolved' : 'cannot be read as data');
  }
}

/** Every settable leaf: its variable, its path, its JSON type (and its items' for a list). */
export function envVariables(): readonly ConfigEnvVariable[] {
  return CONFIG_ENV;
}

/** A variable's text as its JSON type (left as text when it is not one: the validator names it). */
function convert(raw: string, type: string, items?: string): unknown {
  switch (type) {
    case 'integer':
    case 'number': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
    }
    case 'boolean':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      return raw;
    case 'array':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map((s) => convert(s, items ?? 'string'));
    default:
      return raw;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let o = target;
  for (const k of path.slice(0, -1)) {
    const next = o[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[path[path.length - 1] as string] = value;
}

export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Config {
  let data: unknown = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
    }
    data = parseConfigText(file, text);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new ConfigError(`${file}: must hold an object of sections`);
    }
  }
  const config = structuredClone(data) as Record<string, unknown>;
  for (const { name, path, type, items } of CONFIG_ENV) {
    const raw = env[name];
    if (raw !== undefined) setPath(config, path, convert(raw, type, items));
  }
  if (!validateConfig(config)) {
    const where = describeError(validateConfig.errors);
    // Never echo a value: it could be the secret.
    throw new ConfigError(where);
  }
  return config as Config;
}

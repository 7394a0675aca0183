/**
 * Config loading, phase one (pure): file (YAML or JSON) + LOWSLOW_* environment variables,
 * validated against contracts/config.v1 with defaults filled. Any problem is a ConfigError whose
 * message is one line naming the field.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigSchema, describeError, validateConfig, type Config } from '../contracts/index.js';

export class ConfigError extends Error {
  readonly code = 'LOWSLOW_CONFIG';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** Every settable leaf: env name → path and schema node. */
export function envVariables(): Array<{ name: string; path: string[]; node: SchemaNode }> {
  const out: Array<{ name: string; path: string[]; node: SchemaNode }> = [];
  const walk = (node: SchemaNode, path: string[]) => {
    if (node.type === 'object' && node.properties) {
      for (const [k, child] of Object.entries(node.properties)) walk(child, [...path, k]);
      return;
    }
    out.push({ name: `LOWSLOW_${path.join('_').toUpperCase()}`, path, node });
  };
  walk(ConfigSchema as unknown as SchemaNode, []);
  return out;
}

function convert(raw: string, node: SchemaNode): unknown {
  switch (node.type) {
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
        .map((s) => (node.items ? convert(s, node.items) : s));
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
    try {
      data = parseYaml(text) ?? {};
    } catch (err) {
      const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
      throw new ConfigError(`${file}: not valid YAML or JSON: ${first}`, { cause: err });
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new ConfigError(`${file}: must hold an object of sections`);
    }
  }
  const config = structuredClone(data) as Record<string, unknown>;
  for (const { name, path, node } of envVariables()) {
    const raw = env[name];
    if (raw !== undefined) setPath(config, path, convert(raw, node));
  }
  if (!validateConfig(config)) {
    const where = describeError(validateConfig.errors);
    // Never echo a value: it could be the secret.
    throw new ConfigError(where);
  }
  return config as Config;
}

/**
 * The gateway READMEs against the code they describe, so a changed option, default, header or
 * path cannot leave the operator's instructions behind: every Kong schema field with its default,
 * every njs option and variable, every Envoy header and json_format key, the agent's HTTP paths
 * and port, and every LOWSLOW_* variable and agent metric a README names.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateConfig, type Config } from '../../../contracts/index.js';
import { envVariables } from '../../../bin/config.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

const defaults = {} as Config;
validateConfig(defaults);

/** The table row of `README` whose first cell is `` `name` ``, or undefined. */
function row(readme: string, name: string): string | undefined {
  const escaped = name.replace(/[$.*+?^{}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\| \`${escaped}\`[^|]*\\|.*$`, 'm').exec(readme)?.[0];
}

/** First cells (in backticks) of the table rows under `## heading`, up to the next `## `. */
function firstCells(readme: string, heading: string): string[] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `section ${heading}`).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1] as string);
}

type LuaValue = string | number | boolean | LuaValue[] | { [k: string]: LuaValue };

/** The small Lua literals schema.lua uses as defaults: strings, numbers, booleans, lists, records. */
function luaLiteral(src: string): LuaValue {
  const s = src.trim();
  if (s.startsWith('"')) return JSON.parse(s) as string;
  if (s === 'true' || s === 'false') return s === 'true';
  if (/^-?[0-9.]+$/.test(s)) return Number(s);
  if (s.startsWith('{')) {
    const inner = s.slice(1, -1).trim();
    if (inner === '') return [];
    const items = inner.split(',').map((p) => p.trim()).filter((p) => p !== '');
    if (items.every((p) => /^[a-z_]+\s*=/.test(p))) {
      return Object.fromEntries(items.map((p) => [p.slice(0, p.indexOf('=')).trim(), luaLiteral(p.slice(p.indexOf('=') + 1))]));
    }
    return items.map(luaLiteral);
  }
  throw new Error(`not a literal this test reads: ${s}`);
}

interface SchemaField {
  name: string;
  default?: LuaValue;
  required: boolean;
  encrypted: boolean;
  referenceable: boolean;
}

/** The config fields of gateway-plugins/kong/lowslow/schema.lua, in order. */
function kongFields(): SchemaField[] {
  const src = read('gateway-plugins/kong/lowslow/schema.lua');
  const body = src.slice(src.indexOf('type = "record"'));
  const starts = [...body.matchAll(/\{ ([a-z_]+) = (?:typedefs\.[a-z_]+|\{)/g)];
  return starts.map((m, i) => {
    const block = body.slice(m.index, starts[i + 1]?.index ?? body.length);
    const d = /default = (\{[^}]*\}|"[^"]*"|[^,\n]+)/.exec(block);
    return {
      name: m[1] as string,
      ...(d ? { default: luaLiteral(d[1] as string) } : {}),
      required: /required = true/.test(block),
      encrypted: /encrypted = true/.test(block),
      referenceable: /referenceable = true/.test(block),
    };
  });
}

describe('gateway-plugins/kong/README.md', () => {
  const readme = read('gateway-plugins/kong/README.md');
  const fields = kongFields();

  it('documents every schema field with its default, and no field the schema lacks', () => {
    // The parse found what 06-schema_spec.lua says the schema holds.
    expect(fields.map((f) => f.name)).toEqual(['endpoint', 'token', 'secret', 'gateway', 'host', 'key_headers', 'bearer', 'credential_fallback', 'key_params', 'raw_params', 'truncate_ip', 'timeout', 'keepalive', 'queue']);
    for (const f of fields) {
      const r = row(readme, f.name);
      expect(r, `no row for ${f.name}`).toBeDefined();
      const line = r as string;
      const d = f.default;
      if (d === undefined) expect(line, f.name).toMatch(/\| (unset|none) \|/);
      else if (Array.isArray(d)) {
        if (d.length === 0) expect(line, f.name).toContain('| empty |');
        for (const v of d) expect(line, f.name).toContain(`\`${String(v)}\``);
      } else if (typeof d === 'object') {
        for (const [k, v] of Object.entries(d)) expect(line, f.name).toContain(`\`${k}\` \`${String(v)}\``);
      } else expect(line, f.name).toContain(`\`${String(d)}\``);
      if (f.encrypted) expect(line, f.name).toContain('encrypted');
      if (f.referenceable) expect(line, f.name).toContain('referenceable');
      if (f.required && d === undefined) expect(line, f.name).toContain('required');
    }
    expect(firstCells(readme, 'Options').sort()).toEqual(fields.map((f) => f.name).sort());
  });

  it('keeps the secret and the agent token encrypted and referenceable', () => {
    for (const name of ['secret', 'token']) {
      const f = fields.find((x) => x.name === name) as SchemaField;
      expect(f.encrypted && f.referenceable, name).toBe(true);
    }
  });

  it('points both paths at the agent’s HTTP input as it is: POST /events, POST /kong, its default port', () => {
    const app = read('agent/inputs/http/app.ts');
    expect(app).toContain("app.post('/events'");
    expect(app).toContain("app.post('/kong'");
    expect(app).toContain("app.get('/healthz'");
    const base = `http://${defaults.inputs.http.host}:${defaults.inputs.http.port}`;
    expect(fields.find((f) => f.name === 'endpoint')?.default).toBe(`${base}/events`);
    expect(readme).toContain(`config.http_endpoint=${base}/kong`);
    expect(readme).toContain(`${base}/healthz`);
    expect(readme).toContain('`POST /events`');
    expect(readme).toContain('`POST /kong`');
  });
});

describe('gateway-plugins/nginx/README.md', () => {
  const readme = read('gateway-plugins/nginx/README.md');
  const conf = read('gateway-plugins/nginx/lowslow-safe.conf');
  const jsVars = Object.fromEntries([...conf.matchAll(/^js_var \$([a-z_]+)\s+(?:"([^"]*)"|(\S+));/gm)].map((m) => [m[1] as string, m[2] ?? m[3] ?? '']));
  const jsSets = Object.fromEntries([...conf.matchAll(/^js_set \$([a-z_]+)\s+lowslow\.([a-z_]+);/gm)].map((m) => [m[1] as string, m[2] as string]));

  it('lowslow.js falls back to exactly the defaults lowslow-safe.conf sets', () => {
    const src = read('gateway-plugins/nginx/lowslow.js');
    const block = src.slice(src.indexOf('var DEFAULTS = {'), src.indexOf('};', src.indexOf('var DEFAULTS = {')));
    const fallbacks = Object.fromEntries([...block.matchAll(/^\s+([a-z_]+): '([^']*)',$/gm)].map((m) => [m[1] as string, m[2] as string]));
    expect(Object.keys(jsVars)).toHaveLength(4);
    expect(fallbacks).toEqual(jsVars);
  });

  it('documents every option with its default and every variable the module sets', async () => {
    for (const [name, value] of Object.entries(jsVars)) {
      const r = row(readme, `$${name}`);
      expect(r, `no row for $${name}`).toBeDefined();
      expect(r, name).toContain(value === '' ? '| empty |' : `| \`${value}\` |`);
    }
    expect(firstCells(readme, 'Options').filter((c) => c.startsWith('$')).sort()).toEqual(
      [...Object.keys(jsVars), ...Object.keys(jsSets)].map((n) => `$${n}`).sort(),
    );
    expect(row(readme, 'LOWSLOW_KEY_SECRET')).toBeDefined();
    const njs = ((await import(new URL('gateway-plugins/nginx/lowslow.js', root).href)) as { default: Record<string, unknown> }).default;
    expect(Object.keys(jsSets)).toHaveLength(2);
    for (const [name, fn] of Object.entries(jsSets)) {
      expect(typeof njs[fn], fn).toBe('function');
      expect(row(readme, `$${name}`), name).toBeDefined();
    }
  });

  it('names every field both log formats write', () => {
    for (const file of ['lowslow-safe.conf', 'lowslow.conf']) {
      const format = read(`gateway-plugins/nginx/${file}`);
      const keys = [...format.slice(format.indexOf('log_format')).matchAll(/"([a-z_]+)":"/g)].map((m) => m[1] as string);
      expect(keys.length, file).toBeGreaterThan(10);
      for (const k of keys) expect(readme, `${file}: ${k}`).toContain(`\`${k}\``);
    }
  });

  it('shows the output the module really gives for its check request', async () => {
    const njs = ((await import(new URL('gateway-plugins/nginx/lowslow.js', root).href)) as {
      default: { shapeArgs(q: string, keyParams: string, rawParams: string): string };
    }).default;
    expect(readme).toContain("customers/42?page=2&q=hello'");
    expect(readme).toContain(`"args":"${njs.shapeArgs('page=2&q=hello', jsVars.lowslow_key_params as string, '')}"`);
    expect(readme).toContain(`syslog:server=${defaults.inputs.syslog.host}:${defaults.inputs.syslog.port},nohostname,tag=lowslow lowslow_safe`);
  });
});

describe('gateway-plugins/envoy/README.md', () => {
  const readme = read('gateway-plugins/envoy/README.md');
  type Obj = Record<string, unknown>;
  const hcm = (b: Obj) => ((((b.static_resources as Obj).listeners as Obj[])[0]?.filter_chains as Obj[])[0]?.filters as Obj[])[0]?.typed_config as Obj;
  const als = parse(read('gateway-plugins/envoy/als.yaml')) as Obj;
  const logger = ((hcm(als).access_log as Obj[])[0] as Obj).typed_config as Obj;
  const common = logger.common_config as Obj;

  it('documents the ALS settings as als.yaml has them', () => {
    const headersRow = row(readme, 'additional_request_headers_to_log') as string;
    expect(headersRow).toBeDefined();
    for (const h of logger.additional_request_headers_to_log as string[]) expect(headersRow, h).toContain(`\`${h}\``);
    expect(row(readme, 'common_config.buffer_flush_interval')).toContain(`\`${String(common.buffer_flush_interval)}\``);
    expect(row(readme, 'common_config.buffer_size_bytes')).toContain(`\`${String(common.buffer_size_bytes)}\``);
    expect(row(readme, 'common_config.log_name')).toContain(`\`${String(common.log_name)}\``);
    expect(row(readme, 'common_config.transport_api_version')).toContain(`\`${String(common.transport_api_version)}\``);
    const cluster = ((common.grpc_service as Obj).envoy_grpc as Obj).cluster_name as string;
    expect(row(readme, 'common_config.grpc_service.envoy_grpc.cluster_name')).toContain(`\`${cluster}\``);
    expect(readme).toContain(`\`127.0.0.1:${defaults.inputs.envoy_als.port}\``);
  });

  it('documents exactly the json_format of file-log.yaml', () => {
    const file = ((hcm(parse(read('gateway-plugins/envoy/file-log.yaml')) as Obj).access_log as Obj[])[0] as Obj).typed_config as Obj;
    const jsonFormat = (file.log_format as Obj).json_format as Record<string, string>;
    expect(readme).toContain(`path: ${String(file.path)}`);
    for (const [k, cmd] of Object.entries(jsonFormat)) expect(row(readme, k), k).toContain(`| \`${cmd}\``);
    const documented = firstCells(readme, 'Options').filter((c) => !c.includes('.') && c !== 'additional_request_headers_to_log');
    expect(documented.sort()).toEqual(Object.keys(jsonFormat).sort());
  });
});

describe('every gateway README', () => {
  const names = ['nginx', 'envoy', 'kong'];
  const readmes = Object.fromEntries(names.map((n) => [n, read(`gateway-plugins/${n}/README.md`)]));

  it('is linked from gateway-plugins/README.md', () => {
    const index = read('gateway-plugins/README.md');
    for (const n of names) expect(index).toContain(`(${n}/README.md)`);
    expect(index).toContain('test-vectors/key-id.json');
  });

  it('has install steps, options, what is logged or sent, and a check', () => {
    for (const [n, text] of Object.entries(readmes)) {
      expect(text, n).toMatch(/^## Install/m);
      expect(text, n).toMatch(/^## Options$/m);
      expect(text, n).toMatch(/^## What is (logged|sent)$/m);
      expect(text, n).toMatch(/^## Check that it works$/m);
      expect(text, n).toMatch(/^Never (logged|sent|published)/m);
    }
  });

  it('names only LOWSLOW_* variables the agent reads and metrics it exports', () => {
    const known = new Set(envVariables().map((v) => v.name));
    const metrics = read('agent/metrics.ts');
    for (const [n, text] of Object.entries(readmes)) {
      for (const [v] of text.matchAll(/LOWSLOW_[A-Z_]+[A-Z]/g)) expect(known.has(v), `${n}: ${v}`).toBe(true);
      const used = [...text.matchAll(/lowslow_agent_[a-z_]+_total/g)].map((m) => m[0]);
      expect(used.length, n).toBeGreaterThan(0);
      for (const m of used) expect(metrics, `${n}: ${m}`).toContain(m);
    }
  });
});

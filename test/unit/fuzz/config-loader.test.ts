/**
 * The config loader (bin/config.ts) on hostile files and environments: every outcome is a config
 * that validates, or a ConfigError whose message is one short line naming the field (or the
 * file), never a stack trace, another exception, a warning printed by the YAML parser, or the
 * secret. Files are the deploy/ configs and the defaults, changed structurally (wrong types,
 * unknown and odd keys, deep nesting) or as text (the line mutations plus YAML syntax: aliases,
 * tags, documents, tabs); environments set LOWSLOW_* variables to hostile values.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema, validateConfig } from '../../../contracts/index.js';
import { ConfigError, envVariables, loadConfig } from '../../../bin/config.js';
import { runCli } from '../../support/cli.js';
import { Rng } from '../../sim/prng.js';
import { JSON_VALUES } from './hostile.js';
import { Mutator } from './mutate.js';
import { FUZZ_SEED } from './seed.js';

/** Stands for the secret: it must never be in a message. */
const CANARY = 'canary-secret-Zq81x-00000000';
const RUNS = 1_500;

const dir = mkdtempSync(join(tmpdir(), 'lowslow-fuzz-config-'));
const file = join(dir, 'lowslow.yaml');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}
/** Every property name of the config schema, at any depth. */
function schemaNames(node: SchemaNode, out = new Set<string>()): Set<string> {
  for (const [k, child] of Object.entries(node.properties ?? {})) {
    out.add(k);
    schemaNames(child, out);
  }
  if (node.items) schemaNames(node.items, out);
  return out;
}
const NAMES = [...schemaNames(ConfigSchema as unknown as SchemaNode)];
const SECTIONS = new Set([...Object.keys((ConfigSchema as unknown as SchemaNode).properties ?? {}), '(root)']);

const deployDir = new URL('../../../deploy/', import.meta.url);
const DEPLOY = readdirSync(deployDir).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(new URL(f, deployDir), 'utf8'));
const defaults: Record<string, unknown> = {};
validateConfig(defaults);
const SEED_OBJECTS: Array<Record<string, unknown>> = [{}, defaults, ...DEPLOY.map((t) => parseYaml(t) as Record<string, unknown>)];
const SEED_TEXTS = [...DEPLOY, '', '{}', JSON.stringify(defaults), toYaml(defaults), `key_secret: ${CANARY}\n`, `{"key_secret": "${CANARY}", "nats": {"partitions": 4}}`];

const ODD_KEYS = ['a\nb', 'x\r\ny', '\u0000', '\u2028', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'k'.repeat(5_000), '💥', '', ' ', 'nats.partitions', '$ref', '-', '<<', '0', CANARY.slice(0, 6)];
const keyArb = fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom(...ODD_KEYS), fc.string({ maxLength: 8 }));
const deep = (n: number): unknown => (n === 0 ? 'leaf' : [deep(n - 1)]);
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...JSON_VALUES),
  fc.constantFrom(CANARY, `${CANARY},${CANARY}`, Number.NaN, Number.POSITIVE_INFINITY, -0, 65_536, 1024, 2 ** 53, deep(200), Array.from({ length: 2_000 }, (_, i) => i), { [CANARY]: CANARY }),
  fc.jsonValue({ maxDepth: 3 }),
);
const editArb = fc.record({ path: fc.array(keyArb, { minLength: 1, maxLength: 4 }), value: valueArb, remove: fc.boolean() });

/** Sets (or deletes) `path` in `o`, making objects on the way; own properties only. */
function edit(o: Record<string, unknown>, path: readonly string[], value: unknown, remove: boolean): void {
  let at: Record<string, unknown> = o;
  for (const k of path.slice(0, -1)) {
    const next = Object.hasOwn(at, k) ? at[k] : undefined;
    if (next === null || typeof next !== 'object' || Array.isArray(next)) Object.defineProperty(at, k, { value: {}, enumerable: true, writable: true, configurable: true });
    at = at[k] as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  if (remove && Object.hasOwn(at, last)) delete at[last];
  else Object.defineProperty(at, last, { value, enumerable: true, writable: true, configurable: true });
}

const ENV_NAMES = envVariables().map((v) => v.name);
const envValueArb = fc.oneof(
  fc.constantFrom('', ' ', ',', ',,,', 'true', 'false', '1', '0', 'yes', '-1', '1e400', '0x10', 'NaN', 'Infinity', '2.5', CANARY, `${CANARY},x`, 'a,b', '\n', 'x'.repeat(10_000), 'nats://a:1,nats://b:2', 'nginx-json', 'debug', '[]', '{}'),
  fc.string({ maxLength: 12 }),
);
const envArb = fc.dictionary(fc.constantFrom(...ENV_NAMES), envValueArb, { maxKeys: 6 });

/** YAML syntax a text mutation may insert. */
const YAML_BITS = ['&a ', '*a', '*undefined_alias', '!!binary ', '!foo ', '!!set ', '<<: *a\n', '\n---\n', '\n...\n', '? ', '|\n', '>-\n', '\t', '%YAML 1.1\n', '\ufeff', '- ', ': ', '{', '[', '"', "'", '#', '*x', '!x'];

let warnings = 0;
const countWarning = () => warnings++;
process.on('warning', countWarning);
afterAll(() => {
  process.off('warning', countWarning);
});

/** Loads `text` (or no file) with `env`; checks whatever happens. */
function check(text: string | null, env: Record<string, string>): void {
  if (text !== null) writeFileSync(file, text);
  let config: unknown;
  try {
    config = loadConfig(text === null ? undefined : file, env);
  } catch (err) {
    expect(err, `not a ConfigError: ${(err as Error)?.stack}`).toBeInstanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect((err as ConfigError).code).toBe('LOWSLOW_CONFIG');
    expect(msg, 'one line, no control characters').not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(msg.length).toBeGreaterThan(0);
    expect(msg.length).toBeLessThanOrEqual(301);
    const m = /^(.*): (unknown field|is required|must .*)$/s.exec(msg);
    // Values are never echoed; a name is, even when a mutation made the secret's text a key.
    if (m?.[2] !== 'unknown field') expect(msg).not.toContain(CANARY.slice(0, 20));
    if (!msg.startsWith(`${file}: `)) {
      // `<field>: unknown field`, `<field>: is required` or `<field>: must …`; a known field or section.
      expect(m, `does not name a field: ${msg}`).not.toBeNull();
      if (m?.[2] !== 'unknown field') expect(SECTIONS.has((m?.[1] ?? '').split('.')[0] ?? ''), msg).toBe(true);
    }
    return;
  }
  expect(validateConfig(structuredClone(config))).toBe(true);
}

describe('config loader on hostile files and environments', () => {
  it('stops every broken config with one line naming the field, from structural changes', () => {
    const arb = fc.record({
      base: fc.constantFrom(...SEED_OBJECTS),
      edits: fc.array(editArb, { minLength: 1, maxLength: 4 }),
      json: fc.boolean(),
      env: envArb,
    });
    fc.assert(
      fc.property(arb, ({ base, edits, json, env }) => {
        const o = structuredClone(base);
        for (const e of edits) edit(o, e.path, e.value, e.remove);
        check(json ? JSON.stringify(o) : toYaml(o, { aliasDuplicateObjects: false }), env);
      }),
      { seed: FUZZ_SEED + 10, numRuns: RUNS },
    );
    expect(warnings).toBe(0);
  });

  it('stops every broken config with one line naming the file or the field, from text mutations', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEED_TEXTS), fc.integer(), fc.array(fc.constantFrom(...YAML_BITS), { maxLength: 3 }), (seed, n, bits) => {
        const rng = Rng.from(n, 'config');
        let text = new Mutator(rng, SEED_TEXTS, 1_000_000).mutate(seed, 3).line;
        for (const b of bits) {
          const at = rng.int(0, text.length);
          text = text.slice(0, at) + b + text.slice(at);
        }
        check(text, {});
      }),
      { seed: FUZZ_SEED + 11, numRuns: RUNS },
    );
    expect(warnings).toBe(0);
  });

  it('stops every broken environment with one line naming the variable’s field', () => {
    fc.assert(
      fc.property(envArb, fc.boolean(), (env, withSecret) => {
        check(null, withSecret ? { ...env, LOWSLOW_KEY_SECRET: CANARY } : env);
      }),
      { seed: FUZZ_SEED + 12, numRuns: RUNS },
    );
  });

  it('never prints a secret that YAML reads as an alias, a tag or an anchor', () => {
    for (const v of [`*${CANARY}`, `!${CANARY}`, `&${CANARY}`, `!!${CANARY} x`, `[${CANARY}`, `{${CANARY}`, `"${CANARY}`, `'${CANARY}`, `${CANARY}: x`, `| ${CANARY}`]) {
      check(`key_secret: ${v}\n`, {});
    }
    expect(warnings).toBe(0);
  });
});

describe('the lowslow command on a broken config', () => {
  it('exits 2 with exactly one stderr line, no stack trace and no secret', async () => {
    const cases = [`"natz\\nservers": 1\n`, `key_secret: *${CANARY}\n`, (DEPLOY[0] ?? '').replace(/partitions: \d+/, 'partitions: -1'), `key_secret: !${CANARY}\ninputs: {file: {paths: [/x]}}\n`];
    const runs = cases.map((text, i) => {
      const f = join(dir, `cli-${i}.yaml`);
      writeFileSync(f, text);
      return runCli(['agent', '--config', f], { LOWSLOW_KEY_SECRET: CANARY });
    });
    for (const p of runs) {
      expect(await p.exited).toBe(2);
      const err = p.stderr();
      expect(err.endsWith('\n')).toBe(true);
      expect(err.trimEnd().split('\n'), err).toHaveLength(1);
      expect(err).toMatch(/^lowslow: config error: \S/);
      expect(err).not.toContain(CANARY);
      expect(err).not.toMatch(/\n\s+at /);
      expect(p.stdout()).toBe('');
    }
  });
});

import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { configReference } from '../../../contracts/config-reference.js';
import { contractFiles } from '../../../contracts/files.js';
import { envVariables } from '../../../bin/config.js';
import { eventPartition, eventSubject, fnv1a32, partitionOf, validateAccessEvent, alertSubject } from '../../../contracts/index.js';

const event = {
  v: 1,
  id: 'f'.repeat(32),
  ts: 1_793_600_000_000,
  source: { gateway: 'nginx', host: 'gw1' },
  key_id: 'a'.repeat(32),
  client: { ip: '10.0.0.1', ua: 'x' },
  request: { method: 'GET', route: '/v1/x/{int}', objects: [1], params: [{ name: 'page', type: 'int', len: 1, chars: 'd', value: 2 }], bytes: 1 },
  response: { status: 200, bytes: 2, latency_ms: 3 },
};

describe('contracts', () => {
  it('the JSON Schema files and compiled validators are generated from the TypeScript modules (npm run contracts)', () => {
    for (const [file, text] of contractFiles()) {
      expect(readFileSync(new URL(`../../../contracts/${file}`, import.meta.url), 'utf8'), file).toBe(text);
    }
  });

  it('every contract schema is valid against the JSON Schema meta-schema (validators are compiled without that check)', () => {
    const ajv = new Ajv({ strict: true });
    for (const [file, text] of contractFiles().filter(([f]) => f.endsWith('.json'))) {
      expect(ajv.validateSchema(JSON.parse(text) as object), `${file}: ${ajv.errorsText()}`).toBe(true);
    }
    expect(ajv.validateSchema({ type: 'object', properties: { a: { type: 'strin' } } })).toBe(false);
  });

  it('docs/config.md is generated from the config schema and names every option and variable', () => {
    const text = readFileSync(new URL('../../../docs/config.md', import.meta.url), 'utf8');
    expect(text).toBe(configReference());
    for (const v of envVariables()) {
      expect(text, v.path.join('.')).toContain(`\`${v.path.join('.')}\``);
      expect(text, v.name).toContain(`\`${v.name}\``);
    }
  });

  it('accepts a well-formed AccessEvent and refuses extra or secret-shaped fields', () => {
    expect(validateAccessEvent(event)).toBe(true);
    expect(validateAccessEvent({ ...event, authorization: 'Bearer x' })).toBe(false);
    expect(validateAccessEvent({ ...event, request: { ...event.request, query: 'a=b' } })).toBe(false);
    expect(validateAccessEvent({ ...event, key_id: 'sk_live_raw_key' })).toBe(false);
    expect(validateAccessEvent({ ...event, source: { gateway: 'a.b', host: 'h' } })).toBe(false);
  });

  it('partitions with FNV-1a 32 and names subjects per DESIGN.md', () => {
    // Published FNV-1a 32-bit test vectors.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(partitionOf('a'.repeat(32), 8)).toBe(fnv1a32('a'.repeat(32)) % 8);
    expect(partitionOf(null, 8)).toBe(0);
    // Events go by their key; keyless ones by their own id, over every partition.
    expect(eventPartition('b'.repeat(32), 'some-event', 8)).toBe(partitionOf('b'.repeat(32), 8));
    expect(eventPartition(null, 'c'.repeat(32), 8)).toBe(fnv1a32('c'.repeat(32)) % 8);
    const used = new Set(Array.from({ length: 200 }, (_, i) => eventPartition(null, `${i}`.padStart(32, '0'), 8)));
    expect(used.size).toBe(8);
    expect(eventSubject(3, 'nginx', 'gw1')).toBe('lowslow.events.p3.nginx.gw1');
    expect(alertSubject('high', 'envoy')).toBe('lowslow.alerts.high.envoy');
  });
});

